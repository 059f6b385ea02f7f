-- kme-dec (dec_keys, one round trip): per-SAE rate limit, then the keys bound to (master, slave)
-- are taken under a lease, all or nothing: state 'taken' until kme-settle confirms the response was
-- flushed (then they are consumed) or not (then they are bound again for a retry). A replay of the
-- same operation (the keys already taken under its ID) returns the same reply and changes nothing.
-- KEYS: none (own ledger)
-- ARGV: prefix, now, opId, master, slave, maxOpAgeMs, ratePoints, rateWindowMs, n, n x keyId
-- Returns: flat array of (ctBase64, bits) in request order; -1 a key is unknown, expired, already
--   delivered, repeated, or bound to another master; -3 a key is bound to this master but to another
--   slave (the caller is not its slave); -4 a key is taken by another request not yet settled (retry); -7 the operation ID is too old or too new; -9 over the rate limit.
local prefix, now, opId, master, slave = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5]
local maxAge, n = tonumber(ARGV[6]), tonumber(ARGV[9])
local bucket, opMs = leaseKey(prefix, opId)
if not bucket or math.abs(now - opMs) > maxAge then return -7 end
if overRate(prefix, slave, now, tonumber(ARGV[7]), tonumber(ARGV[8])) then return -9 end
local out, seen, rows = {}, {}, {}
local replay, unauthorized, busy = true, false, false
for i = 1, n do
  local id = ARGV[9 + i]
  if seen[id] then return -1 end
  seen[id] = true
  local f = redis.call('HMGET', prefix .. 'seg:' .. id, 'master', 'slave', 'state', 'ct', 'bits', 'lease', 'expiresAt')
  if f[1] ~= master then return -1 end
  if not (f[3] == 'taken' and f[6] == opId) then
    replay = false
    -- Taken for this slave under another request's lease (in flight, or its process died and the
    -- lease is not settled yet): the key still exists, so not 'not found' (final for a client) but
    -- retry later; the lease ends consumed or bound again within the lease timeout.
    if f[3] == 'taken' and f[2] == slave then busy = true
    elseif f[3] ~= 'bound' or tonumber(f[7]) <= now then return -1 end
  end
  if f[2] ~= slave then unauthorized = true end
  out[#out + 1] = f[4]
  out[#out + 1] = f[5]
  rows[i] = id
end
if unauthorized then return -3 end
if busy then return -4 end
if replay then return out end
for i = 1, n do redis.call('HSET', prefix .. 'seg:' .. rows[i], 'state', 'taken', 'lease', opId) end
redis.call('HSET', bucket, opId, cjson.encode({ side = 'slave', master = master, slave = slave, keyIds = rows }))
return out
