-- take-units (enc_keys fast path): when pools are cut into units of exactly the requested key size,
-- each unit becomes a delivered key in place: its ID (random, assigned at deposit, the AAD of its
-- ciphertext) becomes the key_ID. One atomic step: no reservation, nothing to recover after a crash.
-- The unit's own lifetime is kept as segExpiresAt, for void-units should a ciphertext fail to decrypt.
-- KEYS: none (keys under ARGV[1])
-- ARGV: prefix, now, master, slave, sizeBits, n, expiresAt, np, np x pool
-- Returns: flat array of (keyId, ctBase64, pool); -1 not enough key (nothing taken);
--          -4 a unit of another size is in the way (nothing taken: use reserve/commit instead).
local prefix, now, master, slave = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
local size, n, expiresAt, np = tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7], tonumber(ARGV[8])
local pools, avail = {}, 0
for p = 1, np do
  pools[p] = ARGV[8 + p]
  avail = avail + tonumber(redis.call('HGET', prefix .. 'poolbits', pools[p]) or '0')
end
if avail < n * size then return -1 end
local taken = {}
local function rollback()
  for i = #taken, 1, -1 do redis.call('LPUSH', prefix .. 'pool:' .. taken[i][1], taken[i][2]) end
end
for p = 1, np do
  local pool = pools[p]
  while #taken < n do
    local id = redis.call('LPOP', prefix .. 'pool:' .. pool)
    if not id then break end
    local seg = prefix .. 'seg:' .. id
    local f = redis.call('HMGET', seg, 'bits', 'expiresAt', 'ct')
    if not f[1] then
      redis.call('ZREM', prefix .. 'expiry', 's:' .. id)
    elseif tonumber(f[2]) <= now then
      redis.call('HINCRBY', prefix .. 'poolbits', pool, -tonumber(f[1]))
      redis.call('DEL', seg)
      redis.call('ZREM', prefix .. 'expiry', 's:' .. id)
      audit(prefix, now, 'expire', cjson.encode({ segment = id, link = pool, bits = tonumber(f[1]) }))
    elseif tonumber(f[1]) ~= size then
      redis.call('LPUSH', prefix .. 'pool:' .. pool, id)
      rollback()
      return -4
    else
      taken[#taken + 1] = { pool, id, f[3] or '', f[2] }
    end
  end
end
if #taken < n then
  rollback()
  return -1
end
local out, ids, segExpiry, drawn, direct = {}, {}, {}, {}, true
for _, t in ipairs(taken) do
  local pool, id = t[1], t[2]
  segExpiry[id] = t[4]
  redis.call('HINCRBY', prefix .. 'poolbits', pool, -size)
  redis.call('ZREM', prefix .. 'expiry', 's:' .. id)
  redis.call('RENAME', prefix .. 'seg:' .. id, prefix .. 'key:' .. id)
  if string.sub(pool, 1, 6) ~= 'fibre:' then direct = false end
  drawn[pool] = (drawn[pool] or 0) + size
  ids[#ids + 1] = id
  for _, v in ipairs({ id, t[3], pool }) do out[#out + 1] = v end
end
local route = direct and 'direct' or 'indirect'
for _, id in ipairs(ids) do
  redis.call('HSET', prefix .. 'key:' .. id, 'master', master, 'slave', slave, 'state', 'delivered', 'route', route, 'expiresAt', expiresAt,
    'segExpiresAt', segExpiry[id])
  redis.call('ZADD', prefix .. 'expiry', expiresAt, 'k:' .. id)
end
audit(prefix, now, 'deliver', cjson.encode({ side = 'master', master = master, slave = slave, route = route, sizeBits = size, drawn = drawn, keyIds = ids }))
return out
