-- commit: ends a reservation: its segments are consumed, new segments (remainders, relayed key) and
-- keys bound to (master, slave) are stored, one audit entry records it. Atomic.
-- KEYS: [ledger] (idempotent: a replay returns the first reply and changes nothing)
-- ARGV: prefix, now, resId, auditType, auditJson, leaseOpId ('' for none), leaseJson,
--       ns, ns x (pool, segId, bits, ctBase64, createdAt, expiresAt, front 0|1),
--       nk, nk x (keyId, master, slave, bits, ctBase64, route, expiresAt)
--   With a lease (enc_keys), the keys are under that KME lease until the response is flushed, and
--   the audit entry is written when the lease settles (kme-settle), not here.
-- Returns: 1; -2 when the reservation no longer exists (released after a timeout: nothing done).
local prefix, now, resId, kind, auditJson, leaseOp, leaseJson = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local resKey = prefix .. 'res:' .. resId
if redis.call('EXISTS', resKey) == 0 then return -2 end
for _, id in ipairs(redis.call('LRANGE', resKey, 0, -1)) do
  local f = redis.call('HMGET', prefix .. 'seg:' .. id, 'state', 'res')
  if f[1] == 'reserved' and f[2] == resId then dropItem(prefix, id) end
end
redis.call('DEL', resKey)
redis.call('ZREM', prefix .. 'reservations', resId)
local at = 9
for _ = 1, tonumber(ARGV[8]) do
  addSegment(prefix, ARGV[at], ARGV[at + 1], tonumber(ARGV[at + 2]), ARGV[at + 3], ARGV[at + 4], ARGV[at + 5], ARGV[at + 6] == '1')
  at = at + 7
end
local nk = tonumber(ARGV[at]); at = at + 1
for _ = 1, nk do
  local id = ARGV[at]
  redis.call('HSET', prefix .. 'seg:' .. id, 'master', ARGV[at + 1], 'slave', ARGV[at + 2], 'bits', ARGV[at + 3],
    'ct', ARGV[at + 4], 'route', ARGV[at + 5], 'expiresAt', ARGV[at + 6], 'state', 'bound', 'lease', leaseOp, 'link', '')
  redis.call('ZADD', prefix .. 'expiry', ARGV[at + 6], 's:' .. id)
  at = at + 7
end
if leaseOp ~= '' then
  local bucket = leaseKey(prefix, leaseOp)
  redis.call('HSET', bucket, leaseOp, leaseJson)
else
  audit(prefix, now, kind, auditJson)
end
return 1
