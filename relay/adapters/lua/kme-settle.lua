-- kme-settle: settles a batch of KME leases with their outcomes (settleLease in the prelude): each
-- lease is claimed by deleting its record (a lease is settled once; a claimed one is skipped), one
-- 'deliver' audit entry for all that were sent, one read and write of the chain head per batch.
-- KEYS: none (own ledger: the lease records)
-- ARGV: prefix, now, n, n x (opId, outcome 'sent' | 'unsent', leaseJson as the caller holds it:
--   { side, master, slave, keyIds, and for the master side route, sizeBits, drawn })
-- Returns: number of leases settled now
local prefix, now, n = ARGV[1], ARGV[2], tonumber(ARGV[3])
local chain = auditOpen(prefix)
local drop, delivered = {}, {}
local settled = 0
for i = 1, n do
  local opId, outcome = ARGV[1 + 3 * i], ARGV[2 + 3 * i]
  local bucket = leaseKey(prefix, opId)
  if bucket and redis.call('HDEL', bucket, opId) == 1 then
    for _, id in ipairs(settleLease(chain, prefix, now, opId, cjson.decode(ARGV[3 + 3 * i]), outcome, delivered)) do drop[#drop + 1] = id end
    settled = settled + 1
  end
end
auditDelivered(chain, now, delivered)
dropItems(prefix, drop)
auditClose(chain)
return settled
