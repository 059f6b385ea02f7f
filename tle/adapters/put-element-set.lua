-- put-element-set: store an element set in its history; make it current when its epoch is newest.
-- KEYS[1] hash  <prefix>:tle:current   noradId -> element set JSON
-- KEYS[2] hash  <prefix>:tle:epoch     noradId -> epoch ms of the current set
-- KEYS[3] zset  <prefix>:tle:hist:<id> epoch ms (score and member)
-- KEYS[4] hash  <prefix>:tle:sets:<id> epoch ms -> element set JSON
-- KEYS[5] zset  <prefix>:tle:ids       noradId (score and member): the paging index
-- KEYS[6] str   <prefix>:tle:version   incremented whenever a current set changes (ETags)
-- ARGV[1] noradId, ARGV[2] epoch ms, ARGV[3] JSON
-- Returns 1 when the set became current, 0 when a newer one is current.
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[2])
redis.call('HSET', KEYS[4], ARGV[2], ARGV[3])
local cur = redis.call('HGET', KEYS[2], ARGV[1])
if cur and tonumber(cur) > tonumber(ARGV[2]) then
  return 0
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[5], ARGV[1], ARGV[1])
redis.call('INCR', KEYS[6])
return 1
