-- deposit: stores segments of one key block in a link's pool (all or nothing). A block larger than
-- one call's bounded argument list is deposited in several chunks, each its own operation.
-- KEYS: [ledger] (idempotent: a replay returns the first reply and changes nothing)
-- ARGV: prefix, now, link, linkMetaJson, auditJson, expiresAt, n, then n x (segId, bits, ctBase64)
-- Returns: bits deposited (>= 0)
local prefix, now, link, meta, auditJson, expiresAt = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local n = tonumber(ARGV[7])
local total = 0
redis.call('HSETNX', prefix .. 'links', link, meta)
for i = 0, n - 1 do
  local id, bits, ct = ARGV[8 + 3 * i], tonumber(ARGV[9 + 3 * i]), ARGV[10 + 3 * i]
  addSegment(prefix, link, id, bits, ct, now, expiresAt, false)
  total = total + bits
end
audit(prefix, now, 'deposit', auditJson)
return total
