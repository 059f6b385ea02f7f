-- void-taken: undoes a take-for-slave (dec_keys) whose answer was never sent because some stored
-- ciphertexts failed authentication (tampered, or another KEK). The failed keys stay destroyed:
-- voided, they can never be served. The others are bound to their (master, slave) again exactly as
-- before, so the slave can ask for them anew. One 'void' audit entry. Atomic.
-- KEYS: none (keys under ARGV[1])
-- ARGV: prefix, now, master, slave, auditJson (an object: the caller's context),
--       n, n x (keyId, failed 0|1, bits, ctBase64, route, expiresAt) as take-for-slave returned them
-- Audit data: the context plus reason 'integrity', voided [{ keyId, bits, route }] and restoredKeyIds
--   (their preceding slave-side 'deliver' entry never reached the slave; omitted when none).
-- Returns: number of keys voided.
local prefix, now, master, slave = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local data = cjson.decode(ARGV[5])
local n = tonumber(ARGV[6])
local voided, restored = {}, {}
for i = 1, n do
  local at = 7 + 6 * (i - 1)
  local id, bits, route, expiresAt = ARGV[at], tonumber(ARGV[at + 2]), ARGV[at + 4], ARGV[at + 5]
  local key = prefix .. 'key:' .. id
  if ARGV[at + 1] == '1' then
    voided[#voided + 1] = { keyId = id, bits = bits, route = route }
  elseif redis.call('EXISTS', key) == 0 then
    redis.call('HSET', key, 'master', master, 'slave', slave, 'bits', bits, 'ct', ARGV[at + 3], 'route', route,
      'expiresAt', expiresAt, 'state', 'delivered')
    redis.call('ZADD', prefix .. 'expiry', expiresAt, 'k:' .. id)
    restored[#restored + 1] = id
  end
end
data.reason = 'integrity'
data.voided = voided
if #restored > 0 then data.restoredKeyIds = restored end
audit(prefix, now, 'void', cjson.encode(data))
return #voided
