-- kme-enc (enc_keys, one round trip): per-SAE rate limit, then `n` whole units of `size` bits become
-- keys bound to (master, slave) under a lease: the unit's ID (random, assigned at deposit, the AAD
-- of its ciphertext) is the key_ID. The lease record (lease:<bucket> opId) is the operation's
-- ledger: a replay returns the first reply. (Once settled it is gone, and no copy of the script can
-- still be in flight: the server settles only leases whose reply it received, and ioredis re-sends
-- only commands whose reply never came.) The keys count as delivered, and are audited, only when
-- kme-settle confirms the response was flushed; an unsettled lease is voided by sweep-leases.
-- KEYS: none (own ledger)
-- ARGV: prefix, now, opId, master, slave, size, n, maxOpAgeMs, ratePoints, rateWindowMs, np, np x pool
-- Returns: flat array (route, then n x (keyId, ctBase64, pool)); -1 not enough key (nothing taken);
--   0 a unit of another size is in the way (nothing taken: use reserve/commit instead);
--   -7 the operation ID is too old or too new; -9 over the rate limit.
local prefix, now, opId, master, slave = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5]
local size, n, maxAge, np = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[11])
local bucket, opMs = leaseKey(prefix, opId)
if not bucket or math.abs(now - opMs) > maxAge then return -7 end
local prior = redis.call('HGET', bucket, opId)
if prior then return cjson.decode(prior).reply end
if overRate(prefix, master, now, tonumber(ARGV[9]), tonumber(ARGV[10])) then return -9 end
local taken = {}
local function putBack()
  for i = #taken, 1, -1 do redis.call('LPUSH', prefix .. 'pool:' .. taken[i][1], taken[i][2]) end
end
for p = 1, np do
  local pool = ARGV[11 + p]
  while #taken < n do
    local id = redis.call('LPOP', prefix .. 'pool:' .. pool)
    if not id then break end
    local f = redis.call('HMGET', prefix .. 'seg:' .. id, 'bits', 'expiresAt', 'ct', 'state', 'link')
    if f[4] == 'available' and f[5] == pool then
      local bits = tonumber(f[1])
      if tonumber(f[2]) <= now then
        redis.call('HINCRBY', prefix .. 'poolbits', pool, -bits)
        dropItem(prefix, id)
        audit(prefix, now, 'expire', cjson.encode({ segment = id, link = pool, bits = bits }))
      elseif bits ~= size then
        redis.call('LPUSH', prefix .. 'pool:' .. pool, id)
        putBack()
        return 0
      else
        taken[#taken + 1] = { pool, id, f[3] }
      end
    end
  end
end
if #taken < n then
  putBack()
  return -1
end
local out, ids, drawn, direct = { '' }, {}, {}, true
for _, t in ipairs(taken) do
  if string.sub(t[1], 1, 6) ~= 'fibre:' then direct = false end
  drawn[t[1]] = (drawn[t[1]] or 0) + size
end
local route = direct and 'direct' or 'indirect'
out[1] = route
for _, t in ipairs(taken) do
  redis.call('HSET', prefix .. 'seg:' .. t[2], 'state', 'bound', 'master', master, 'slave', slave, 'lease', opId, 'route', route)
  ids[#ids + 1] = t[2]
  for _, v in ipairs({ t[2], t[3], t[1] }) do out[#out + 1] = v end
end
for pool, bits in pairs(drawn) do redis.call('HINCRBY', prefix .. 'poolbits', pool, -bits) end
redis.call('HSET', bucket, opId, cjson.encode({ side = 'master', master = master, slave = slave, route = route,
  sizeBits = size, drawn = drawn, keyIds = ids, reply = out }))
return out
