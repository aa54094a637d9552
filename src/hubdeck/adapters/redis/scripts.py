"""Lua scripts of the Redis adapters.

A script runs atomically on the server, so read-modify-write steps (offset assignment, compare
and delete, tag invalidation) stay correct with many processes sharing one Redis. Times come from
the server's clock (``TIME``) so that processes with skewed clocks agree on expiry.

The cache scripts touch keys listed in a tag set rather than in ``KEYS``: fine on a single Redis,
not on Redis Cluster (which these adapters do not target).
"""

from __future__ import annotations

# Milliseconds since the epoch by the server's clock, as a Lua number.
_NOW_MS = """
local __time = redis.call('TIME')
local now_ms = tonumber(__time[1]) * 1000 + math.floor(tonumber(__time[2]) / 1000)
"""

# Extend a container key's expiry so it outlives its longest-lived member (PTTL is -1 for a key
# without expiry and -2 for a missing one; both are below any ttl).
_OUTLIVE = """
local function outlive(key, ttl_ms)
  if redis.call('PTTL', key) < ttl_ms then
    redis.call('PEXPIRE', key, ttl_ms)
  end
end
"""

# KEYS: entry, tag sets...; ARGV: value, ttl_ms, tags... (ARGV[i + 1] is the tag of KEYS[i])
# The entry is a hash: 'v' holds the value and one 't:<tag>' field per tag, so invalidation can
# tell whether a key listed in a tag set still carries that tag (it may have been re-set since).
CACHE_SET = (
    _OUTLIVE
    + """
local ttl = tonumber(ARGV[2])
redis.call('DEL', KEYS[1])
local fields = {'v', ARGV[1]}
for i = 3, #ARGV do
  fields[#fields + 1] = 't:' .. ARGV[i]
  fields[#fields + 1] = '1'
end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('PEXPIRE', KEYS[1], ttl)
for i = 2, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[1])
  outlive(KEYS[i], ttl)
  -- Checking two random members per set keeps a tag set that is never invalidated from
  -- growing with keys that expired or dropped the tag.
  local field = 't:' .. ARGV[i + 1]
  for _, member in ipairs(redis.call('SRANDMEMBER', KEYS[i], 2)) do
    if redis.call('HEXISTS', member, field) == 0 then
      redis.call('SREM', KEYS[i], member)
    end
  end
end
"""
)

# KEYS: tag set; ARGV: tag. Returns how many live entries were deleted.
CACHE_INVALIDATE = """
local field = 't:' .. ARGV[1]
local dropped = 0
for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('HEXISTS', key, field) == 1 then
    dropped = dropped + redis.call('DEL', key)
  end
end
redis.call('DEL', KEYS[1])
return dropped
"""

# KEYS: key; ARGV: amount, ttl_ms. The ttl applies only when this call creates the key.
KV_INCR_TTL = """
local created = redis.call('EXISTS', KEYS[1]) == 0
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if created then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return value
"""

# KEYS: lock; ARGV: token, lease_ms.
LOCK_EXTEND = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""

# KEYS: lock; ARGV: token.
LOCK_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""

# Creates a channel's meta hash with a fresh epoch when it is missing. A stream left without its
# meta belongs to a lost epoch, and its ids would collide with the restarted offsets: drop it.
_HISTORY_META = """
local function ensure_meta(meta, stream, new_epoch, meta_ttl_ms)
  local epoch = redis.call('HGET', meta, 'epoch')
  if epoch then
    return epoch
  end
  redis.call('DEL', stream)
  redis.call('HSET', meta, 'epoch', new_epoch, 'offset', 0)
  redis.call('PEXPIRE', meta, meta_ttl_ms)
  return new_epoch
end
"""

# KEYS: meta, stream; ARGV: data, max_size, max_age_ms, meta_ttl_ms, new_epoch.
# Returns {offset, epoch}. Stream ids are '<offset>-0' and each entry holds
# 't' (append time, server ms) then 'd' (data).
HISTORY_APPEND = (
    _NOW_MS
    + _HISTORY_META
    + """
local epoch = ensure_meta(KEYS[1], KEYS[2], ARGV[5], ARGV[4])
local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], offset .. '-0',
  't', string.format('%.0f', now_ms), 'd', ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {offset, epoch}
"""
)

# KEYS: meta, stream; ARGV: offset, limit (-1: no limit, 0: top only), max_age_ms, meta_ttl_ms,
# new_epoch. Returns {top offset, epoch, {offset, data, offset, data, ...}}.
HISTORY_SINCE = (
    _NOW_MS
    + _HISTORY_META
    + """
local epoch = ensure_meta(KEYS[1], KEYS[2], ARGV[5], ARGV[4])
local top = tonumber(redis.call('HGET', KEYS[1], 'offset'))
local limit = tonumber(ARGV[2])
local out = {}
if limit == 0 then
  return {top, epoch, out}
end
-- Append times never decrease along the stream, so entries past max_age form a prefix: delete
-- it (nobody may read it again) and read from what is left.
local cutoff = now_ms - tonumber(ARGV[3])
while true do
  local batch = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 64)
  local old = {}
  for _, entry in ipairs(batch) do
    if tonumber(entry[2][2]) > cutoff then
      break
    end
    old[#old + 1] = entry[1]
  end
  if #old > 0 then
    redis.call('XDEL', KEYS[2], unpack(old))
  end
  if #old < 64 then
    break
  end
end
local range = {'XRANGE', KEYS[2], '(' .. ARGV[1] .. '-0', '+'}
if limit > 0 then
  range[#range + 1] = 'COUNT'
  range[#range + 1] = limit
end
for _, entry in ipairs(redis.call(unpack(range))) do
  out[#out + 1] = string.match(entry[1], '^%d+')
  out[#out + 1] = entry[2][4]
end
return {top, epoch, out}
"""
)

# KEYS: zset (client -> expiry ms), hash (client -> info); ARGV: client, info, ttl_ms.
PRESENCE_ADD = (
    _NOW_MS
    + _OUTLIVE
    + """
local ttl = tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], now_ms + ttl, ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
outlive(KEYS[1], ttl)
outlive(KEYS[2], ttl)
"""
)

# KEYS: zset, hash. Drops expired clients, then returns the hash (client, info, ...).
PRESENCE_MEMBERS = (
    _NOW_MS
    + """
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now_ms)
if #expired > 0 then
  -- unpack() is limited to a few thousand values: delete in chunks.
  for i = 1, #expired, 1000 do
    redis.call('HDEL', KEYS[2], unpack(expired, i, math.min(i + 999, #expired)))
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms)
end
return redis.call('HGETALL', KEYS[2])
"""
)

# KEYS: meta, stream, fan-out channel; ARGV as HISTORY_APPEND. Appends, then publishes
# "offset:epoch:data" in the same script: Redis runs scripts one at a time, so subscribers get
# a channel's publications in offset order whichever process published them.
HISTORY_APPEND_PUBLISH = HISTORY_APPEND.replace(
    "return {offset, epoch}",
    "redis.call('PUBLISH', KEYS[3], offset .. ':' .. epoch .. ':' .. ARGV[1])\n"
    "return {offset, epoch}",
)
