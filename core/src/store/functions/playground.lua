#!lua name=playground
-- The playground's server-side functions (Redis 7 functions, FCALL).
--
-- Each one reads and writes its keys in one step, so no other client can
-- slip in between (a client doing GET, then DEL, or HGET, then HSET, can be
-- interleaved with another client doing the same). The store runs a Rust
-- twin of every function (functions/mod.rs); the differential test loads
-- this file into a real redis-server and checks both answer alike.
--
-- Times are passed in (milliseconds on the application's clock), never
-- read with TIME, so that a replay is deterministic. Numbers stay below
-- 1e14: Lua turns larger ones into text like 1e+14 when it stores them.

-- redis.pcall, with an error reply handed back as (nil, err): the
-- function returns it unchanged (an error raised by redis.call would get
-- " script: …, on @user_function:<line>." appended).
local function call(...)
  local r = redis.pcall(...)
  if type(r) == 'table' and r.err then
    return nil, r
  end
  return r
end

-- The number of keys and the integer arguments a function takes, checked
-- before anything runs: plain decimal digits, at most `max` (all far below
-- 2^53, so Lua's floating-point numbers hold them exactly).
-- The checked arguments start at ARGV[first] (default 1).
local function check(name, keys, nkeys, args, max, first)
  first = first or 1
  if #keys ~= nkeys then
    return nil, redis.error_reply('ERR ' .. name .. ' takes ' .. nkeys .. ' key(s)')
  end
  local out = {}
  for i, m in ipairs(max) do
    local at = first + i - 1
    local s = args[at]
    if s == nil or not string.match(s, '^%d+$') or #s > 15 or tonumber(s) > m then
      return nil, redis.error_reply('ERR ' .. name .. ' argument ' .. at .. ' must be an integer from 0 to ' .. m)
    end
    out[i] = tonumber(s)
  end
  return out
end

-- Upper bounds: a limit, a window in ms (one day), a time in ms (about
-- 300 years), a fencing token.
local LIMIT, WINDOW, TIME, TOKEN = 1000000, 86400000, 10000000000000, 100000000000000

-- KEYS[1] lock, ARGV[1] the owner's token. Deletes the lock only if it
-- still holds this token: 1 if released, 0 if it had expired or passed
-- to someone else.
local function release_lock(keys, args)
  if #keys ~= 1 or args[1] == nil then
    return redis.error_reply('ERR pg_release_lock takes 1 key and a token')
  end
  local v, err = call('GET', keys[1])
  if err then return err end
  if v == args[1] then
    return redis.call('DEL', keys[1])
  end
  return 0
end

-- KEYS[1] counter, ARGV[1] window in ms. INCR, and set the TTL on the
-- window's first request, in one step: no counter is ever left without a
-- TTL. Returns {count, ms until the window resets}.
local function fixed_window(keys, args)
  local a, bad = check('pg_fixed_window', keys, 1, args, {WINDOW})
  if bad then return bad end
  local n, err = call('INCR', keys[1])
  if err then return err end
  if n == 1 then
    redis.call('PEXPIRE', keys[1], a[1])
  end
  return {n, redis.call('PTTL', keys[1])}
end

-- KEYS[1] previous window's counter, KEYS[2] current window's counter;
-- ARGV limit, window ms, now ms. Counts the request only if the weighted
-- total floor(prev * (w - elapsed) / w) + cur is under the limit.
-- Returns {allowed 1|0, the weighted total before this request, prev, cur}.
local function sliding_counter(keys, args)
  local a, bad = check('pg_sliding_counter', keys, 2, args, {LIMIT, WINDOW, TIME})
  if bad then return bad end
  local limit, w, now = a[1], a[2], a[3]
  if w == 0 then return redis.error_reply('ERR pg_sliding_counter window must be positive') end
  local p, err = call('GET', keys[1])
  if err then return err end
  local c, err2 = call('GET', keys[2])
  if err2 then return err2 end
  local prev = tonumber(p) or 0
  local cur = tonumber(c) or 0
  local elapsed = now % w
  local weighted = math.floor((w - elapsed) * prev / w) + cur
  if weighted >= limit then
    return {0, weighted, prev, cur}
  end
  local n, err3 = call('INCR', keys[2])
  if err3 then return err3 end
  cur = n
  if cur == 1 then
    redis.call('PEXPIRE', keys[2], 2 * w)
  end
  return {1, weighted, prev, cur}
end

-- KEYS[1] sorted set of request times; ARGV limit, window ms, now ms, a
-- member unique to the request. Drops entries older than the window, then
-- adds this one if fewer than limit remain.
-- Returns {allowed 1|0, entries in the window (this one included if
-- added), the oldest entry's time or -1}.
local function sliding_log(keys, args)
  local a, bad = check('pg_sliding_log', keys, 1, args, {LIMIT, WINDOW, TIME})
  if bad then return bad end
  local limit, w, now = a[1], a[2], a[3]
  if args[4] == nil then return redis.error_reply('ERR pg_sliding_log takes a member') end
  local _, err = call('ZREMRANGEBYSCORE', keys[1], '-inf', now - w)
  if err then return err end
  local count = redis.call('ZCARD', keys[1])
  local allowed = 0
  if count < limit then
    redis.call('ZADD', keys[1], now, args[4])
    redis.call('PEXPIRE', keys[1], w)
    count = count + 1
    allowed = 1
  end
  local oldest = redis.call('ZRANGE', keys[1], 0, 0, 'WITHSCORES')
  local first = -1
  if oldest[2] then
    first = tonumber(oldest[2])
  end
  return {allowed, count, first}
end

-- KEYS[1] a hash {tokens, ts}; ARGV capacity, window ms (the time to
-- refill an empty bucket), now ms. Tokens are kept in units of 1/window of
-- a token, so the refill (capacity units per ms) is whole numbers: a
-- request costs `window` units and a full bucket holds capacity * window.
-- Returns {allowed 1|0, whole tokens left, ms until full, ms until one
-- token (0 when allowed)}.
local function token_bucket(keys, args)
  local a, bad = check('pg_token_bucket', keys, 1, args, {LIMIT, WINDOW, TIME})
  if bad then return bad end
  local capacity, w, now = a[1], a[2], a[3]
  if capacity == 0 or w == 0 then return redis.error_reply('ERR pg_token_bucket capacity and window must be positive') end
  local full = capacity * w
  local state, err = call('HMGET', keys[1], 'tokens', 'ts')
  if err then return err end
  local tokens = tonumber(state[1]) or full
  local ts = tonumber(state[2]) or now
  if now > ts then
    tokens = math.min(full, tokens + (now - ts) * capacity)
    ts = now
  end
  local allowed = 0
  local retry = 0
  if tokens >= w then
    tokens = tokens - w
    allowed = 1
  else
    retry = math.ceil((w - tokens) / capacity)
  end
  local until_full = math.ceil((full - tokens) / capacity)
  redis.call('HSET', keys[1], 'tokens', tokens, 'ts', ts)
  redis.call('PEXPIRE', keys[1], until_full + 1)
  return {allowed, math.floor(tokens / w), until_full, retry}
end

-- KEYS[1] the theoretical arrival time (TAT); ARGV limit, window ms, now
-- ms. Generic cell rate algorithm with emission interval w / limit and a
-- burst of limit; times are kept multiplied by limit, so the interval is
-- exactly w. Returns {allowed 1|0, requests left, ms until the burst is
-- whole again, ms until a request passes (0 when allowed)}.
local function gcra(keys, args)
  local a, bad = check('pg_gcra', keys, 1, args, {LIMIT, WINDOW, TIME})
  if bad then return bad end
  local limit, w = a[1], a[2]
  if limit == 0 or w == 0 then return redis.error_reply('ERR pg_gcra limit and window must be positive') end
  if (a[3] + w) * limit >= 100000000000000 then
    return redis.error_reply('ERR pg_gcra (now + window) * limit must stay below 1e14')
  end
  local now = a[3] * limit
  local t, err = call('GET', keys[1])
  if err then return err end
  local tat = tonumber(t) or now
  if tat < now then
    tat = now
  end
  local burst = w * limit
  if tat + w - now > burst then
    local retry = math.ceil((tat + w - now - burst) / limit)
    return {0, 0, math.ceil((tat - now) / limit), retry}
  end
  tat = tat + w
  local ahead = tat - now
  redis.call('SET', keys[1], tat, 'PX', math.ceil(ahead / limit))
  return {1, math.floor((burst - ahead) / w), math.ceil(ahead / limit), 0}
end

-- KEYS[1] lock, KEYS[2] the fencing counter; ARGV owner, ttl ms. Takes the
-- lock if free and hands out the next fencing token; nil if taken.
local function acquire_fenced(keys, args)
  if #keys ~= 2 or args[1] == nil then
    return redis.error_reply('ERR pg_acquire_fenced takes 2 keys, an owner and a ttl')
  end
  local a, bad = check('pg_acquire_fenced', keys, 2, args, {WINDOW}, 2)
  if bad then return bad end
  if a[1] == 0 then return redis.error_reply('ERR pg_acquire_fenced ttl must be positive') end
  local ok, err = call('SET', keys[1], args[1], 'NX', 'PX', a[1])
  if err then return err end
  if ok then
    local token, err2 = call('INCR', keys[2])
    if err2 then
      redis.call('DEL', keys[1])
      return err2
    end
    return token
  end
  return false
end

-- KEYS[1] the protected record (a hash {value, token}); ARGV fencing
-- token, new value. The storage side of fencing: a write carrying an older
-- token than the last one accepted is refused (0), else stored (1).
local function fenced_write(keys, args)
  local a, bad = check('pg_fenced_write', keys, 1, args, {TOKEN})
  if bad then return bad end
  if args[2] == nil then return redis.error_reply('ERR pg_fenced_write takes a token and a value') end
  local t, err = call('HGET', keys[1], 'token')
  if err then return err end
  local last = tonumber(t) or 0
  if a[1] < last then
    return 0
  end
  redis.call('HSET', keys[1], 'value', args[2], 'token', a[1])
  return 1
end

redis.register_function('pg_release_lock', release_lock)
redis.register_function('pg_fixed_window', fixed_window)
redis.register_function('pg_sliding_counter', sliding_counter)
redis.register_function('pg_sliding_log', sliding_log)
redis.register_function('pg_token_bucket', token_bucket)
redis.register_function('pg_gcra', gcra)
redis.register_function('pg_acquire_fenced', acquire_fenced)
redis.register_function('pg_fenced_write', fenced_write)
