-- release-stale: returns segments of reservations older than a cutoff to the front of their pools
-- (the process that reserved them died or stalled; a later commit of them answers -2).
-- KEYS: [ledger] (idempotent)
-- ARGV: prefix, now, cutoff (reservations created at or before it are released)
-- Returns: number of reservations released
local prefix, now, cutoff = ARGV[1], ARGV[2], ARGV[3]
local stale = redis.call('ZRANGEBYSCORE', prefix .. 'reservations', '-inf', cutoff)
for _, resId in ipairs(stale) do
  local resKey = prefix .. 'res:' .. resId
  local ids = redis.call('LRANGE', resKey, 0, -1)
  local bits = 0
  for i = #ids, 1, -1 do
    local f = redis.call('HMGET', prefix .. 'seg:' .. ids[i], 'link', 'bits', 'state', 'res')
    if f[3] == 'reserved' and f[4] == resId then
      backToPool(prefix, ids[i], f[1], tonumber(f[2]))
      bits = bits + tonumber(f[2])
    end
  end
  redis.call('DEL', resKey)
  redis.call('ZREM', prefix .. 'reservations', resId)
  audit(prefix, now, 'release', cjson.encode({ reservation = resId, segments = #ids, bits = bits }))
end
return #stale
