-- kme-status (status, one round trip): per-SAE rate limit, then the available bits of the pools
-- that serve a pair. Reads only.
-- KEYS: none
-- ARGV: prefix, now, caller, ratePoints, rateWindowMs, ndirect, nall, then the direct pools, then the others
-- Returns: { directBits, allBits }; -9 over the rate limit.
local prefix, now, caller = ARGV[1], tonumber(ARGV[2]), ARGV[3]
if overRate(prefix, caller, now, tonumber(ARGV[4]), tonumber(ARGV[5])) then return -9 end
local nd, na = tonumber(ARGV[6]), tonumber(ARGV[7])
local direct, all = 0, 0
if na > 0 then
  local v = redis.call('HMGET', prefix .. 'poolbits', unpack(ARGV, 8, 7 + na))
  for i = 1, na do
    local b = tonumber(v[i] or '0')
    all = all + b
    if i <= nd then direct = direct + b end
  end
end
return { direct, all }
