-- link-calibration-cas: writes a calibrated link record if its version is still the one read
-- (compare-and-set), and indexes it.
-- KEYS[1] record hash (version, record)   KEYS[2] index set of record keys   [ledger]
-- ARGV[1] expected version ('' = absent)   ARGV[2] record JSON
-- Returns 1 written, 0 stale (someone else wrote first: read again). Idempotent under the caller's
-- operation ID (one per attempt): a re-sent call answers its first outcome.
local v = redis.call('HGET', KEYS[1], 'version')
if (v or '') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'version', tostring((tonumber(v) or 0) + 1), 'record', ARGV[2])
redis.call('SADD', KEYS[2], KEYS[1])
return 1
