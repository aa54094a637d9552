"""Lua scripts of the Redis rate-limit pool: the steps of ``hubdeck.core.pool.quota`` run
atomically on the server, so that any number of processes never reserve more quota than a
credential has.

Per credential: a hash (``lim:<bucket>``, ``rst:``, ``us:`` used seen, ``an:`` answered, ``fr:``
rolled over, ``cool``, ``rm``), a sorted set of reservations in flight scored by lease deadline,
and a sorted set of recent points (member ``<reservation>:<points>``) scored by time. Times are
the caller's epoch seconds (every process of a deployment reads the same clock source).
Numbers are returned as strings: Redis truncates Lua numbers to integers.
"""

from __future__ import annotations

_HELPERS = """
local function num(value)
  if value == false or value == nil then return nil end
  return tonumber(value)
end

local function points_used(key)
  local total = 0
  for _, member in ipairs(redis.call('ZRANGE', key, 0, -1)) do
    local p = string.match(member, ':(%d+)$')
    total = total + (tonumber(p) or 0)
  end
  return total
end

-- The window whose reset passed starts afresh.
local function roll(h, bucket, now, window, margin)
  local reset = num(redis.call('HGET', h, 'rst:' .. bucket))
  if reset ~= nil and now >= reset + margin then
    redis.call('HSET', h, 'us:' .. bucket, 0, 'an:' .. bucket, 0,
      'rst:' .. bucket, tostring(now + window), 'fr:' .. bucket, 1)
  end
end

local function available(h, f, bucket)
  local limit = num(redis.call('HGET', h, 'lim:' .. bucket))
  if limit == nil then return nil end
  local used = num(redis.call('HGET', h, 'us:' .. bucket)) or 0
  local answered = num(redis.call('HGET', h, 'an:' .. bucket)) or 0
  return limit - math.max(used, answered) - redis.call('ZCARD', f)
end
"""

# KEYS: (hash, in-flight, points) per candidate, in candidate order.
# ARGV: bucket, points, prefer, max_concurrent, points_per_minute, lease, window, now,
#       reservation, reset margin, candidate names...
# Returns {index (0: none), wait_until}.
RESERVE = (
    _HELPERS
    + """
local bucket = ARGV[1]
local points = tonumber(ARGV[2])
local prefer = ARGV[3]
local max_concurrent = tonumber(ARGV[4])
local per_minute = tonumber(ARGV[5])
local lease = tonumber(ARGV[6])
local window = tonumber(ARGV[7])
local now = tonumber(ARGV[8])
local reservation = ARGV[9]
local margin = tonumber(ARGV[10])
local best, best_left = 0, 0
local times = {}
for i = 1, #KEYS / 3 do
  local h, f, p = KEYS[3 * i - 2], KEYS[3 * i - 1], KEYS[3 * i]
  local name = ARGV[10 + i]
  if redis.call('HGET', h, 'rm') ~= '1' then
    local cool = num(redis.call('HGET', h, 'cool')) or 0
    if cool > now then
      table.insert(times, cool)
    else
      redis.call('ZREMRANGEBYSCORE', f, '-inf', now)
      redis.call('ZREMRANGEBYSCORE', p, '-inf', now - 60)
      roll(h, bucket, now, window, margin)
      local left = available(h, f, bucket)
      if left == nil then
        table.insert(times, now + 1)
      else
        local in_flight = redis.call('ZCARD', f)
        local spent = points_used(p)
        if in_flight < max_concurrent and spent + points <= per_minute and left > 0 then
          if name == prefer then
            best, best_left = i, left
            break
          end
          if left > best_left then
            best, best_left = i, left
          end
        else
          local reset = num(redis.call('HGET', h, 'rst:' .. bucket))
          if reset ~= nil and left <= 0 then table.insert(times, reset + margin) end
          local leases = redis.call('ZRANGE', f, 0, -1, 'WITHSCORES')
          for j = 2, #leases, 2 do table.insert(times, tonumber(leases[j])) end
          local oldest = redis.call('ZRANGE', p, 0, 0, 'WITHSCORES')
          if oldest[2] ~= nil then table.insert(times, tonumber(oldest[2]) + 60) end
        end
      end
    end
  end
end
if best > 0 then
  local f, p = KEYS[3 * best - 1], KEYS[3 * best]
  redis.call('ZADD', f, now + lease, reservation)
  redis.call('ZADD', p, now, reservation .. ':' .. points)
  redis.call('PEXPIRE', f, math.floor((lease + 60) * 1000))
  redis.call('PEXPIRE', p, 120000)
  return {best, ''}
end
local soonest = nil
for _, t in ipairs(times) do
  if t > now and (soonest == nil or t < soonest) then soonest = t end
end
if soonest == nil then soonest = now + 1 end
return {0, tostring(soonest)}
"""
)

# KEYS: hash, in-flight. ARGV: reservation ('' for a probe), bucket, paid (0/1), has_rate (0/1),
# limit, used, reset.
SETTLE = """
local h, f = KEYS[1], KEYS[2]
local bucket = ARGV[2]
local paid = ARGV[3] == '1'
if ARGV[1] ~= '' then redis.call('ZREM', f, ARGV[1]) end
if ARGV[4] == '1' then
  local limit, used, reset = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
  local current = redis.call('HGET', h, 'rst:' .. bucket)
  current = current and tonumber(current) or nil
  local fresh = redis.call('HGET', h, 'fr:' .. bucket) == '1'
  if current == nil or fresh or reset > current + 1 then
    redis.call('HSET', h, 'rst:' .. bucket, ARGV[7], 'us:' .. bucket, used,
      'an:' .. bucket, paid and 1 or 0, 'fr:' .. bucket, 0, 'lim:' .. bucket, limit)
  elseif math.abs(reset - current) <= 1 then
    local seen = tonumber(redis.call('HGET', h, 'us:' .. bucket) or '0') or 0
    if used > seen then redis.call('HSET', h, 'us:' .. bucket, used) end
    if paid then redis.call('HINCRBY', h, 'an:' .. bucket, 1) end
    redis.call('HSET', h, 'lim:' .. bucket, limit)
  end
elseif paid then
  redis.call('HINCRBY', h, 'an:' .. bucket, 1)
end
return 1
"""

# KEYS: hash. ARGV: until.
COOL_DOWN = """
local current = tonumber(redis.call('HGET', KEYS[1], 'cool') or '0') or 0
if tonumber(ARGV[1]) > current then redis.call('HSET', KEYS[1], 'cool', ARGV[1]) end
return 1
"""

# KEYS: hash, in-flight. ARGV: bucket, now, window, margin. Returns {limit, remaining, reset,
# in_flight, cooldown, removed} as strings ('' when unknown); rolls a passed window as RESERVE
# does.
VIEW = (
    _HELPERS
    + """
local h, f = KEYS[1], KEYS[2]
local bucket, now, window = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', f, '-inf', now)
roll(h, bucket, now, window, tonumber(ARGV[4]))
local limit = redis.call('HGET', h, 'lim:' .. bucket) or ''
local left = available(h, f, bucket)
local reset = redis.call('HGET', h, 'rst:' .. bucket) or ''
return {limit, left == nil and '' or tostring(math.max(left, 0)), reset,
  tostring(redis.call('ZCARD', f)), redis.call('HGET', h, 'cool') or '0',
  redis.call('HGET', h, 'rm') or '0'}
"""
)
