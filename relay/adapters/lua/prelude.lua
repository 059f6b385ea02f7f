-- Prelude shared by every relay script (prepended at load time).
-- Audit: a hash-chained stream. hash = sha1(prev .. '|' .. seq .. '|' .. at .. '|' .. kind .. '|' .. data);
-- the first prev is 'genesis'. data is JSON made by the caller or by cjson; it never holds key bytes.
-- auditOpen/auditAdd/auditClose write several entries with one read and one write of the chain head.
local function auditOpen(prefix)
  return { prefix = prefix, prev = redis.call('GET', prefix .. 'audit:head') or 'genesis',
    seq = tonumber(redis.call('GET', prefix .. 'audit:seq') or '0'), n = 0 }
end

local function auditAdd(chain, now, kind, data)
  chain.seq = chain.seq + 1
  local hash = redis.sha1hex(chain.prev .. '|' .. chain.seq .. '|' .. now .. '|' .. kind .. '|' .. data)
  redis.call('XADD', chain.prefix .. 'audit', '*', 'seq', chain.seq, 'at', now, 'type', kind, 'data', data, 'prev', chain.prev, 'hash', hash)
  chain.prev = hash
  chain.n = chain.n + 1
end

local function auditClose(chain)
  if chain.n > 0 then
    redis.call('SET', chain.prefix .. 'audit:head', chain.prev)
    redis.call('SET', chain.prefix .. 'audit:seq', chain.seq)
  end
end

local function audit(prefix, now, kind, data)
  local chain = auditOpen(prefix)
  auditAdd(chain, now, kind, data)
  auditClose(chain)
end

-- Segments and keys: one hash per item, seg:<id>, whose state says where it is:
--   available (listed in pool:<link>), reserved (in res:<resId>), bound (a key awaiting its slave),
--   taken (handed to the slave, awaiting the response's flush). expiry holds 's:<id>' -> expiresAt.
local function addSegment(prefix, pool, id, bits, ct, createdAt, expiresAt, front)
  redis.call('HSET', prefix .. 'seg:' .. id, 'link', pool, 'bits', bits, 'ct', ct, 'state', 'available',
    'createdAt', createdAt, 'expiresAt', expiresAt)
  if front then redis.call('LPUSH', prefix .. 'pool:' .. pool, id) else redis.call('RPUSH', prefix .. 'pool:' .. pool, id) end
  redis.call('HINCRBY', prefix .. 'poolbits', pool, bits)
  redis.call('ZADD', prefix .. 'expiry', expiresAt, 's:' .. id)
end

-- Drops an item for good (consumed, delivered, voided, expired).
local function dropItem(prefix, id)
  redis.call('DEL', prefix .. 'seg:' .. id)
  redis.call('ZREM', prefix .. 'expiry', 's:' .. id)
end

-- Puts an item back into its pool (front: it is older than what was deposited since).
local function backToPool(prefix, id, link, bits)
  redis.call('HSET', prefix .. 'seg:' .. id, 'state', 'available', 'res', '', 'lease', '')
  redis.call('HDEL', prefix .. 'seg:' .. id, 'master', 'slave', 'route')
  redis.call('LPUSH', prefix .. 'pool:' .. link, id)
  redis.call('HINCRBY', prefix .. 'poolbits', link, bits)
end

-- Leases of the KME hot path: lease:<bucket> HASH opId -> JSON record until settled, bucket = opMs / 1 s.
local LEASE_BUCKET_MS = 1000
local function leaseKey(prefix, opId)
  local ms = tonumber(string.match(opId, '^(%d+)-'))
  if not ms then return nil, nil end
  return prefix .. 'lease:' .. math.floor(ms / LEASE_BUCKET_MS), ms
end

-- Settles one KME lease (see kme-enc.lua, kme-dec.lua) whose record the caller has claimed (HDEL:
-- a lease is settled once), with its outcome:
--   'sent'    the response was flushed: master side, the keys stay bound for the slave; slave side,
--             the keys are consumed. Both are collected in `delivered` for one 'deliver' entry.
--   'unsent'  the response never left (client gone, write failed) or, 'unknown', the serving process
--             died before settling: master side, the keys still bound are voided (they must never
--             reach anyone else, and nobody may have their IDs; a 'void' entry charges the lease's
--             drawn bits and lists voidedKeyIds, and deliveredKeyIds for keys its slave has taken
--             since, which the master evidently had; with none voided it is a delivery); slave side,
--             they are bound again so the slave can ask anew ('release'; at worst the same slave gets
--             the same key twice, never another).
-- While a lease is unclaimed its items cannot move (only its settle, sweep or void moves them), so
-- a sent lease needs no per-item check. Returns the items to delete.
local function settleLease(chain, prefix, now, opId, rec, outcome, delivered)
  local data = { side = rec.side, master = rec.master, slave = rec.slave, keyIds = rec.keyIds }
  if rec.side == 'master' then data.route, data.sizeBits, data.drawn = rec.route, rec.sizeBits, rec.drawn end
  if outcome == 'sent' then
    delivered[#delivered + 1] = data
    if rec.side == 'slave' then return rec.keyIds end
    return {}
  end
  data.reason = outcome == 'unsent' and 'response not sent' or 'serving process lost before the response was confirmed'
  local drop, moved, onward = {}, {}, {}
  for _, id in ipairs(rec.keyIds) do
    local seg = prefix .. 'seg:' .. id
    local f = redis.call('HMGET', seg, 'state', 'lease')
    if f[2] == opId then
      if rec.side == 'master' and f[1] == 'bound' then
        drop[#drop + 1] = id
        moved[#moved + 1] = id
      elseif rec.side == 'slave' and f[1] == 'taken' then
        redis.call('HSET', seg, 'state', 'bound')
        moved[#moved + 1] = id
      end
    elseif rec.side == 'master' then
      -- Its slave has taken it since (or already consumed it): the master evidently had it.
      onward[#onward + 1] = id
    end
  end
  if rec.side == 'master' then
    if #moved == 0 then
      data.reason = nil
      delivered[#delivered + 1] = data
    else
      data.voidedKeyIds = moved
      if #onward > 0 then data.deliveredKeyIds = onward end
      auditAdd(chain, now, 'void', cjson.encode(data))
    end
  else
    data.keyIds = moved
    auditAdd(chain, now, 'release', cjson.encode(data))
  end
  return drop
end

-- One 'deliver' entry for every lease a batch settled as sent: { deliveries = [ lease data ] }.
local function auditDelivered(chain, now, delivered)
  if #delivered > 0 then auditAdd(chain, now, 'deliver', cjson.encode({ deliveries = delivered })) end
end

local function dropItems(prefix, ids)
  for i = 1, #ids, 500 do
    local keys, members = {}, {}
    for j = i, math.min(#ids, i + 499) do
      keys[#keys + 1] = prefix .. 'seg:' .. ids[j]
      members[#members + 1] = 's:' .. ids[j]
    end
    redis.call('DEL', unpack(keys))
    redis.call('ZREM', prefix .. 'expiry', unpack(members))
  end
end

-- Per-SAE request limit shared by every KME process: a fixed window counter. True when over.
local function overRate(prefix, sae, now, points, windowMs)
  local key = prefix .. 'rate:' .. sae .. ':' .. math.floor(now / windowMs)
  local c = redis.call('INCR', key)
  if c == 1 then redis.call('PEXPIRE', key, windowMs * 2) end
  return c > points
end
