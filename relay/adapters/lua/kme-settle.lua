-- kme-settle: settles a batch of KME leases with their outcomes (settleLease in the prelude), one
-- audit entry per lease, one read and write of the chain head per batch. Idempotent: a settled
-- lease is skipped.
-- KEYS: none (own ledger: the lease records)
-- ARGV: prefix, now, n, n x (opId, outcome 'sent' | 'unsent')
-- Returns: number of leases settled now
local prefix, now, n = ARGV[1], ARGV[2], tonumber(ARGV[3])
local chain = auditOpen(prefix)
local drop = {}
local settled = 0
for i = 1, n do
  local opId, outcome = ARGV[2 + 2 * i], ARGV[3 + 2 * i]
  local bucket = leaseKey(prefix, opId)
  if bucket then
    local before = chain.n
    for _, id in ipairs(settleLease(chain, prefix, now, bucket, opId, outcome)) do drop[#drop + 1] = id end
    if chain.n > before then settled = settled + 1 end
  end
end
dropItems(prefix, drop)
auditClose(chain)
return settled
