-- reserve: takes segments out of pools into one reservation, all or nothing.
-- KEYS: [ledger] (idempotent: a replay returns the first reply and changes nothing)
-- ARGV: prefix, now, resId, auditJson, g, then per group: needBits, np, np x pool
--   Each group draws needBits from its pools in order (FIFO within a pool). Only a listed segment
--   whose state is 'available' is taken; a listed ID without such a segment is dropped from the
--   list and counted nowhere. Expired segments met on the way are expired (and audited).
-- Returns: flat array of (group, segId, pool, bits, ctBase64, createdAt); -1 when some group lacks
--   key (nothing is reserved).
local prefix, now, resId, auditJson = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
local g = tonumber(ARGV[5])
local at = 6
local taken, out = {}, {}
local ok = true
for gi = 1, g do
  local need = tonumber(ARGV[at]); local np = tonumber(ARGV[at + 1]); at = at + 2
  local pools = {}
  local avail = 0
  for p = 1, np do
    pools[p] = ARGV[at]; at = at + 1
    avail = avail + tonumber(redis.call('HGET', prefix .. 'poolbits', pools[p]) or '0')
  end
  if ok and avail < need then ok = false end
  local got = 0
  for p = 1, np do
    if not ok then break end
    local pool = pools[p]
    while got < need do
      local id = redis.call('LPOP', prefix .. 'pool:' .. pool)
      if not id then break end
      local seg = prefix .. 'seg:' .. id
      local f = redis.call('HMGET', seg, 'bits', 'expiresAt', 'ct', 'createdAt', 'state', 'link')
      if f[5] == 'available' and f[6] == pool then
        local bits = tonumber(f[1])
        redis.call('HINCRBY', prefix .. 'poolbits', pool, -bits)
        if tonumber(f[2]) <= now then
          dropItem(prefix, id)
          audit(prefix, now, 'expire', cjson.encode({ segment = id, link = pool, bits = bits }))
        else
          redis.call('HSET', seg, 'state', 'reserved', 'res', resId)
          taken[#taken + 1] = { pool, id, bits }
          got = got + bits
          for _, v in ipairs({ gi, id, pool, bits, f[3], f[4] }) do out[#out + 1] = v end
        end
      end
    end
  end
  if got < need then ok = false end
end
if not ok then
  for i = #taken, 1, -1 do backToPool(prefix, taken[i][2], taken[i][1], taken[i][3]) end
  return -1
end
for _, t in ipairs(taken) do redis.call('RPUSH', prefix .. 'res:' .. resId, t[2]) end
redis.call('ZADD', prefix .. 'reservations', now, resId)
audit(prefix, now, 'reserve', auditJson)
return out
