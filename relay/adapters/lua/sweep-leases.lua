-- sweep-leases: settles, as 'unknown', every KME lease left in buckets up to a cutoff (the process
-- that served it died or lost Redis before confirming), then deletes those buckets.
-- KEYS: [ledger] (idempotent)
-- ARGV: prefix, now, cutoffBucket (buckets <= it are past every lease deadline), maxBuckets
-- Returns: number of leases settled
local prefix, now, cutoff, maxBuckets = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local cursorKey = prefix .. 'lease:cursor'
local from = tonumber(redis.call('GET', cursorKey) or '0') + 1
if from < cutoff - maxBuckets then from = cutoff - maxBuckets end
local chain = auditOpen(prefix)
local drop, delivered = {}, {}
for b = from, cutoff do
  local bucket = prefix .. 'lease:' .. b
  local h = redis.call('HGETALL', bucket)
  for i = 1, #h, 2 do
    for _, id in ipairs(settleLease(chain, prefix, now, h[i], cjson.decode(h[i + 1]), 'unknown', delivered)) do drop[#drop + 1] = id end
  end
  redis.call('DEL', bucket)
end
if cutoff >= from then redis.call('SET', cursorKey, cutoff) end
auditDelivered(chain, now, delivered)
dropItems(prefix, drop)
auditClose(chain)
return chain.n
