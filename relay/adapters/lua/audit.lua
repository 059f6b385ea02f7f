-- Prelude shared by every script (prepended at load time).
-- audit(prefix, now, kind, data): appends a hash-chained entry to the audit stream.
--   hash = sha1(prev .. '|' .. seq .. '|' .. at .. '|' .. kind .. '|' .. data); the first prev is 'genesis'.
--   data is JSON made by the caller or by cjson; it never holds key bytes.
local function audit(prefix, now, kind, data)
  local headKey = prefix .. 'audit:head'
  local prev = redis.call('GET', headKey) or 'genesis'
  local seq = redis.call('INCR', prefix .. 'audit:seq')
  local hash = redis.sha1hex(prev .. '|' .. seq .. '|' .. now .. '|' .. kind .. '|' .. data)
  redis.call('XADD', prefix .. 'audit', '*', 'seq', seq, 'at', now, 'type', kind, 'data', data, 'prev', prev, 'hash', hash)
  redis.call('SET', headKey, hash)
end

local function addSegment(prefix, pool, id, bits, ct, createdAt, expiresAt, front)
  redis.call('HSET', prefix .. 'seg:' .. id, 'link', pool, 'bits', bits, 'ct', ct, 'state', 'available',
    'createdAt', createdAt, 'expiresAt', expiresAt)
  if front then redis.call('LPUSH', prefix .. 'pool:' .. pool, id) else redis.call('RPUSH', prefix .. 'pool:' .. pool, id) end
  redis.call('HINCRBY', prefix .. 'poolbits', pool, bits)
  redis.call('ZADD', prefix .. 'expiry', expiresAt, 's:' .. id)
end
