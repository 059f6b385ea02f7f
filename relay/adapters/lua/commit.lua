-- commit: ends a reservation: its segments are consumed (their ciphertexts deleted), new segments
-- (remainders, relayed key) and delivered keys are stored, one audit entry records it. Atomic.
-- KEYS: none (keys under ARGV[1])
-- ARGV: prefix, now, resId, auditType, auditJson,
--       ns, ns x (pool, segId, bits, ctBase64, createdAt, expiresAt, front 0|1),
--       nk, nk x (keyId, master, slave, bits, ctBase64, route, expiresAt)
-- Returns: 1; -2 when the reservation no longer exists (released after a timeout: nothing done).
local prefix, now, resId, kind, auditJson = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local resKey = prefix .. 'res:' .. resId
if redis.call('EXISTS', resKey) == 0 then return -2 end
for _, id in ipairs(redis.call('LRANGE', resKey, 0, -1)) do
  redis.call('DEL', prefix .. 'seg:' .. id)
  redis.call('ZREM', prefix .. 'expiry', 's:' .. id)
end
redis.call('DEL', resKey)
redis.call('ZREM', prefix .. 'reservations', resId)
local at = 7
for _ = 1, tonumber(ARGV[6]) do
  addSegment(prefix, ARGV[at], ARGV[at + 1], tonumber(ARGV[at + 2]), ARGV[at + 3], ARGV[at + 4], ARGV[at + 5], ARGV[at + 6] == '1')
  at = at + 7
end
local nk = tonumber(ARGV[at]); at = at + 1
for _ = 1, nk do
  local id = ARGV[at]
  redis.call('HSET', prefix .. 'key:' .. id, 'master', ARGV[at + 1], 'slave', ARGV[at + 2], 'bits', ARGV[at + 3],
    'ct', ARGV[at + 4], 'route', ARGV[at + 5], 'expiresAt', ARGV[at + 6], 'state', 'delivered')
  redis.call('ZADD', prefix .. 'expiry', ARGV[at + 6], 'k:' .. id)
  at = at + 7
end
audit(prefix, now, kind, auditJson)
return 1
