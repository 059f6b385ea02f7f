-- sweep-expired: expires stored segments and keys awaiting their slave whose lifetime ended, with an
-- audit entry for each (a key never disappears silently). Reserved and taken items are left to
-- their commit, settle or release.
-- KEYS: [ledger] (idempotent)
-- ARGV: prefix, now, limit
-- Returns: number of items expired
local prefix, now, limit = ARGV[1], ARGV[2], ARGV[3]
local due = redis.call('ZRANGEBYSCORE', prefix .. 'expiry', '-inf', now, 'LIMIT', 0, limit)
local n = 0
local chain = auditOpen(prefix)
for _, member in ipairs(due) do
  local id = string.sub(member, 3)
  local f = redis.call('HMGET', prefix .. 'seg:' .. id, 'link', 'bits', 'state', 'master', 'slave')
  if f[3] == 'available' then
    redis.call('LREM', prefix .. 'pool:' .. f[1], 1, id)
    redis.call('HINCRBY', prefix .. 'poolbits', f[1], -tonumber(f[2]))
    dropItem(prefix, id)
    auditAdd(chain, now, 'expire', cjson.encode({ segment = id, link = f[1], bits = tonumber(f[2]) }))
    n = n + 1
  elseif f[3] == 'bound' then
    dropItem(prefix, id)
    auditAdd(chain, now, 'expire', cjson.encode({ keyId = id, master = f[4], slave = f[5], bits = tonumber(f[2]) }))
    n = n + 1
  elseif not f[3] then
    redis.call('ZREM', prefix .. 'expiry', member)
  end
end
auditClose(chain)
return n
