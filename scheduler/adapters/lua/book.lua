-- book: atomically books a pass unless its station or satellite is taken (with gaps).
-- KEYS[1] booking hash   KEYS[2] station zset   KEYS[3] satellite zset   KEYS[4] all-bookings zset
-- ARGV[1] id  ARGV[2] startMs  ARGV[3] endMs  ARGV[4] stationGapMs  ARGV[5] satelliteGapMs
-- ARGV[6] maxPassMs  ARGV[7] nowMs  ARGV[8..] field, value pairs stored on the booking
-- Resource zsets hold "startMs|endMs|id" scored by startMs, for active bookings only.
-- Returns 1 booked (new or revived from SUPERSEDED), 0 already active (idempotent),
--        -1 station conflict, -2 satellite conflict, -3 exists in a final state.
local id, s, e = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'SCHEDULED' or state == 'PREPASS' or state == 'PASS' then return 0 end
if state and state ~= 'SUPERSEDED' then return -3 end
local function clash(zkey, gap)
  local near = redis.call('ZRANGEBYSCORE', zkey, s - tonumber(ARGV[6]) - gap, e + gap)
  for _, m in ipairs(near) do
    local os, oe, oid = string.match(m, '^([^|]+)|([^|]+)|(.+)$')
    if oid ~= id and s < tonumber(oe) + gap and tonumber(os) < e + gap then return true end
  end
  return false
end
if clash(KEYS[2], tonumber(ARGV[4])) then return -1 end
if clash(KEYS[3], tonumber(ARGV[5])) then return -2 end
local member = ARGV[2] .. '|' .. ARGV[3] .. '|' .. id
redis.call('ZADD', KEYS[2], s, member)
redis.call('ZADD', KEYS[3], s, member)
redis.call('ZADD', KEYS[4], s, id)
redis.call('HSET', KEYS[1], 'id', id, 'startMs', ARGV[2], 'endMs', ARGV[3], 'state', 'SCHEDULED', 'reason', 'planned', 'updatedMs', ARGV[7])
for i = 8, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 1
