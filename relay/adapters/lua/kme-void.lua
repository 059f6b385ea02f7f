-- kme-void: a KME lease whose answer was never sent because some stored ciphertexts failed
-- authentication (tampered in Redis, or sealed under another KEK). The failed items are destroyed:
-- voided, they can never be served. The others go back where they were: master side (enc_keys), to
-- the front of their pools; slave side (dec_keys), bound again for the slave. The lease is settled;
-- one 'void' audit entry. Atomic; a replay (lease already settled) changes nothing.
-- KEYS: none (own ledger: the lease record, deleted when settled)
-- ARGV: prefix, now, opId, auditJson (an object: the caller's context), n, n x (keyId, failed 0|1)
-- Audit data: the context plus reason 'integrity', voided [{ keyId, link?, bits }], master side also
--   drawn { link: bits } (bits that leave the pools for good) and returnedKeyIds; slave side
--   restoredKeyIds (omitted when none).
-- Returns: number of items voided
local prefix, now, opId = ARGV[1], ARGV[2], ARGV[3]
local data = cjson.decode(ARGV[4])
local n = tonumber(ARGV[5])
local bucket = leaseKey(prefix, opId)
local raw = bucket and redis.call('HGET', bucket, opId)
if not raw then return 0 end
local rec = cjson.decode(raw)
redis.call('HDEL', bucket, opId)
local voided, drawn, back = {}, {}, {}
-- In reverse, so that units put back at the front of their pool keep their order.
for i = n, 1, -1 do
  local id, failed = ARGV[4 + 2 * i], ARGV[5 + 2 * i] == '1'
  local seg = prefix .. 'seg:' .. id
  local f = redis.call('HMGET', seg, 'link', 'bits', 'state', 'lease')
  if f[4] == opId then
    local bits = tonumber(f[2])
    if failed then
      dropItem(prefix, id)
      table.insert(voided, 1, { keyId = id, link = f[1] ~= '' and f[1] or nil, bits = bits })
      if rec.side == 'master' then drawn[f[1]] = (drawn[f[1]] or 0) + bits end
    elseif rec.side == 'master' and f[3] == 'bound' then
      backToPool(prefix, id, f[1], bits)
      table.insert(back, 1, id)
    elseif rec.side == 'slave' and f[3] == 'taken' then
      redis.call('HSET', seg, 'state', 'bound')
      table.insert(back, 1, id)
    end
  end
end
data.reason = 'integrity'
data.voided = voided
if rec.side == 'master' then
  data.drawn = drawn
  if #back > 0 then data.returnedKeyIds = back end
elseif #back > 0 then data.restoredKeyIds = back end
audit(prefix, now, 'void', cjson.encode(data))
return #voided
