-- take-for-slave (dec_keys): hands keys to their bound slave once, all or nothing, then deletes them.
-- KEYS: none (keys under ARGV[1])
-- ARGV: prefix, now, master, slave, n, n x keyId
-- Returns: flat array of (ctBase64, bits, route, expiresAt) in request order (all four so that
--            void-taken can bind the keys again should a ciphertext fail to decrypt);
--          -1 a key is unknown, expired, already delivered, repeated, or bound to another master;
--          -3 a key is bound to this master but to another slave (the caller is not its slave).
local prefix, now, master, slave = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
local n = tonumber(ARGV[5])
local out, seen, ids = {}, {}, {}
local unauthorized = false
for i = 1, n do
  local id = ARGV[5 + i]
  if seen[id] then return -1 end
  seen[id] = true
  local f = redis.call('HMGET', prefix .. 'key:' .. id, 'master', 'slave', 'ct', 'expiresAt', 'bits', 'route')
  if not f[1] or f[1] ~= master or tonumber(f[4]) <= now then return -1 end
  if f[2] ~= slave then unauthorized = true end
  for _, v in ipairs({ f[3] or '', f[5] or '0', f[6] or '', f[4] }) do out[#out + 1] = v end
  ids[i] = id
end
if unauthorized then return -3 end
for i = 1, n do
  redis.call('DEL', prefix .. 'key:' .. ids[i])
  redis.call('ZREM', prefix .. 'expiry', 'k:' .. ids[i])
end
audit(prefix, now, 'deliver', cjson.encode({ side = 'slave', master = master, slave = slave, keyIds = ids }))
return out
