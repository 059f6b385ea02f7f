-- void-units: undoes a take-units whose keys were never sent because some stored ciphertexts failed
-- authentication (tampered, or another KEK). The failed units are destroyed; the others become
-- available segments again, at the front of their pools with their own lifetime (take-units keeps
-- it in segExpiresAt), so the enc_keys request takes nothing. One 'void' audit entry. Atomic.
-- KEYS: none (keys under ARGV[1])
-- ARGV: prefix, now, auditJson (an object: the caller's context), n, n x (keyId, failed 0|1) in the
--   order take-units returned them
-- Audit data: the context plus reason 'integrity', voided [{ keyId, link, bits }], returned
--   { link: bits } (bits the preceding 'deliver' entry counted as drawn that are back in the pools)
--   and returnedKeyIds (back in the pools as segments under the same IDs, never sent; omitted when none).
-- Returns: number of units voided.
local prefix, now = ARGV[1], ARGV[2]
local data = cjson.decode(ARGV[3])
local n = tonumber(ARGV[4])
local voided, returned, back = {}, {}, {}
for i = n, 1, -1 do
  local id, failed = ARGV[3 + 2 * i], ARGV[4 + 2 * i] == '1'
  local key = prefix .. 'key:' .. id
  local f = redis.call('HMGET', key, 'link', 'bits', 'segExpiresAt', 'expiresAt')
  if f[1] then
    local bits = tonumber(f[2])
    local segExpiresAt = f[3] or f[4]
    redis.call('ZREM', prefix .. 'expiry', 'k:' .. id)
    if failed then
      redis.call('DEL', key)
      table.insert(voided, 1, { keyId = id, link = f[1], bits = bits })
    else
      local seg = prefix .. 'seg:' .. id
      redis.call('RENAME', key, seg)
      redis.call('HDEL', seg, 'master', 'slave', 'route', 'segExpiresAt')
      redis.call('HSET', seg, 'state', 'available', 'expiresAt', segExpiresAt)
      redis.call('LPUSH', prefix .. 'pool:' .. f[1], id)
      redis.call('HINCRBY', prefix .. 'poolbits', f[1], bits)
      redis.call('ZADD', prefix .. 'expiry', segExpiresAt, 's:' .. id)
      returned[f[1]] = (returned[f[1]] or 0) + bits
      table.insert(back, 1, id)
    end
  end
end
data.reason = 'integrity'
data.voided = voided
data.returned = returned
if #back > 0 then data.returnedKeyIds = back end
audit(prefix, now, 'void', cjson.encode(data))
return #voided
