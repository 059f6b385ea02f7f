-- sweep-expired: expires stored segments and undelivered keys whose lifetime ended, with an audit
-- entry for each (a key never disappears silently). Reserved segments are left to their commit or
-- release.
-- KEYS: none (keys under ARGV[1])
-- ARGV: prefix, now, limit
-- Returns: number of items expired
local prefix, now, limit = ARGV[1], ARGV[2], ARGV[3]
local due = redis.call('ZRANGEBYSCORE', prefix .. 'expiry', '-inf', now, 'LIMIT', 0, limit)
local n = 0
for _, member in ipairs(due) do
  local kind, id = string.sub(member, 1, 1), string.sub(member, 3)
  if kind == 's' then
    local seg = prefix .. 'seg:' .. id
    local f = redis.call('HMGET', seg, 'link', 'bits', 'state')
    if f[3] == 'available' then
      redis.call('LREM', prefix .. 'pool:' .. f[1], 1, id)
      redis.call('HINCRBY', prefix .. 'poolbits', f[1], -tonumber(f[2]))
      redis.call('DEL', seg)
      redis.call('ZREM', prefix .. 'expiry', member)
      audit(prefix, now, 'expire', cjson.encode({ segment = id, link = f[1], bits = tonumber(f[2]) }))
      n = n + 1
    elseif not f[3] then
      redis.call('ZREM', prefix .. 'expiry', member)
    end
  else
    local key = prefix .. 'key:' .. id
    local f = redis.call('HMGET', key, 'master', 'slave', 'bits')
    redis.call('ZREM', prefix .. 'expiry', member)
    if f[1] then
      redis.call('DEL', key)
      audit(prefix, now, 'expire', cjson.encode({ keyId = id, master = f[1], slave = f[2], bits = tonumber(f[3]) }))
      n = n + 1
    end
  end
end
return n
