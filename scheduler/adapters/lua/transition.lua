-- transition: moves a booking to a new state if its current state allows it; final states release
-- the station and the satellite.
-- KEYS[1] booking hash   KEYS[2] station zset   KEYS[3] satellite zset
-- ARGV[1] to-state  ARGV[2] reason  ARGV[3] nowMs  ARGV[4] comma-separated allowed from-states
-- ARGV[5] "1" when to-state is final  ARGV[6..] extra field, value pairs
-- Returns 1 moved, 0 already in to-state (idempotent), -4 no such booking, -5 transition not allowed.
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return -4 end
if state == ARGV[1] then return 0 end
if not string.find(',' .. ARGV[4] .. ',', ',' .. state .. ',', 1, true) then return -5 end
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'reason', ARGV[2], 'updatedMs', ARGV[3])
for i = 6, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
if ARGV[5] == '1' then
  local b = redis.call('HMGET', KEYS[1], 'startMs', 'endMs', 'id')
  local member = b[1] .. '|' .. b[2] .. '|' .. b[3]
  redis.call('ZREM', KEYS[2], member)
  redis.call('ZREM', KEYS[3], member)
end
return 1
