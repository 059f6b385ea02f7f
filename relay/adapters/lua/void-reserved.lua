-- void-reserved: some segments of a reservation failed authentication when decrypted (tampered in
-- Redis, or sealed under another KEK). Those are destroyed, never handed out; the reservation's
-- other segments return to the front of their pools (the request is all or nothing); one 'void'
-- audit entry records it. Atomic.
-- KEYS: [ledger] (idempotent)
-- ARGV: prefix, now, resId, auditJson (an object: the caller's context), n, n x segId (the failed ones)
-- Audit data: the context plus reason 'integrity', voided [{ segment, link, bits }], drawn
--   { link: bits } (bits that leave the pools for good) and released (segments returned).
-- Returns: number of segments voided. A failed segment that release-stale already returned to its
--   pool is taken out of it; one reserved meanwhile by another request is left to that request.
local prefix, now, resId = ARGV[1], ARGV[2], ARGV[3]
local data = cjson.decode(ARGV[4])
local n = tonumber(ARGV[5])
local resKey = prefix .. 'res:' .. resId
local failed, voided, drawn = {}, {}, {}
for i = 1, n do
  local id = ARGV[5 + i]
  failed[id] = true
  local f = redis.call('HMGET', prefix .. 'seg:' .. id, 'link', 'bits', 'state', 'res')
  if f[1] and ((f[3] == 'reserved' and f[4] == resId) or f[3] == 'available') then
    local bits = tonumber(f[2])
    if f[3] == 'available' then
      redis.call('LREM', prefix .. 'pool:' .. f[1], 1, id)
      redis.call('HINCRBY', prefix .. 'poolbits', f[1], -bits)
    end
    dropItem(prefix, id)
    voided[#voided + 1] = { segment = id, link = f[1], bits = bits }
    drawn[f[1]] = (drawn[f[1]] or 0) + bits
  end
end
local ids = redis.call('LRANGE', resKey, 0, -1)
local released = 0
for i = #ids, 1, -1 do
  local f = redis.call('HMGET', prefix .. 'seg:' .. ids[i], 'link', 'bits', 'state', 'res')
  if not failed[ids[i]] and f[3] == 'reserved' and f[4] == resId then
    backToPool(prefix, ids[i], f[1], tonumber(f[2]))
    released = released + 1
  end
end
redis.call('DEL', resKey)
redis.call('ZREM', prefix .. 'reservations', resId)
data.reason = 'integrity'
data.voided = voided
data.drawn = drawn
data.released = released
audit(prefix, now, 'void', cjson.encode(data))
return #voided
