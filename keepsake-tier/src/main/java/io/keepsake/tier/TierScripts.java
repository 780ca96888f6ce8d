package io.keepsake.tier;

/**
 * The Lua scripts behind every step of the tier. Each runs atomically inside Redis, so a check and the change it
 * guards can never be split by another client's write. Times are Redis's own clock ({@code TIME}, milliseconds),
 * shared by every process that works on the same queue.
 *
 * <p>Bookkeeping keys (all under the tier's prefix): {@code dirty} (sorted set: key -> when it may be claimed),
 * {@code claims} (sorted set: key -> visibility deadline, which doubles as the claim's token), {@code attempts}
 * (hash: key -> failed freezes in a row), {@code dead} (hash: key -> "attempts|failedAtMs|error"), {@code frozen}
 * (hash: key -> "version:sha1 of the DUMP" of the cold copy in force), {@code resident} (sorted set: frozen keys
 * still in Redis -> when frozen or restored; the eviction candidates), {@code evicted} (set: keys the tier expired,
 * restorable), {@code seq} (the freeze version counter). User keys are touched by name (not declared in KEYS), so
 * Redis Cluster is not supported.
 */
final class TierScripts {
    private TierScripts() {
    }

    private static final String NOW = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            """;

    /**
     * Queues keys, all or none. KEYS: dirty, evicted, dead. ARGV: the user keys. Returns the keys that are neither
     * in Redis nor evicted (nothing was queued then), or an empty list. An evicted key is already frozen at its
     * latest content and a dead-lettered key waits for an explicit retry: neither is queued.
     */
    static final String DIRTY = NOW + """
            local missing = {}
            for i = 1, #ARGV do
              if redis.call('EXISTS', ARGV[i]) == 0 and redis.call('SISMEMBER', KEYS[2], ARGV[i]) == 0 then
                missing[#missing + 1] = ARGV[i]
              end
            end
            if #missing > 0 then return missing end
            for i = 1, #ARGV do
              local k = ARGV[i]
              if redis.call('EXISTS', k) == 1 and redis.call('HEXISTS', KEYS[3], k) == 0 then
                redis.call('ZADD', KEYS[1], 'NX', now, k)
              end
            end
            return missing
            """;

    /**
     * Returns expired claims to the queue, then claims up to ARGV[1] due keys for ARGV[2] ms and DUMPs each with a
     * fresh version, in the same atomic step (so a version orders DUMPs). KEYS: dirty, claims, dead, seq. Returns
     * {deadline, key1, version1, dump1, ...}. A key re-marked dirty while another claim on it is open waits until
     * that claim ends; a key deleted since it was marked, or dead-lettered, is dropped from the queue.
     */
    static final String CLAIM = NOW + """
            local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 1000)
            for _, k in ipairs(expired) do
              redis.call('ZREM', KEYS[2], k)
              redis.call('ZADD', KEYS[1], 'NX', now, k)
            end
            local deadline = now + tonumber(ARGV[2])
            local out = {string.format('%.0f', deadline)}
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
            for _, k in ipairs(due) do
              local open = redis.call('ZSCORE', KEYS[2], k)
              if open then
                redis.call('ZADD', KEYS[1], open, k)
              else
                redis.call('ZREM', KEYS[1], k)
                if redis.call('HEXISTS', KEYS[3], k) == 0 and redis.call('EXISTS', k) == 1 then
                  local v = redis.call('INCR', KEYS[4])
                  redis.call('ZADD', KEYS[2], deadline, k)
                  out[#out + 1] = k
                  out[#out + 1] = tostring(v)
                  out[#out + 1] = redis.call('DUMP', k)
                end
              end
            end
            return out
            """;

    /**
     * Records a cold copy as the one in force, unless a newer version already is. KEYS: frozen, resident,
     * evicted, claims, attempts, dirty. ARGV: key, version, sha1 of the DUMP, claim deadline. Returns {'ok', the
     * replaced "version:sha1" or ''} or {'stale'}. Releases the claim if it is still this one.
     */
    static final String COMMIT = NOW + """
            local k = ARGV[1]
            local cur = redis.call('HGET', KEYS[1], k)
            local curv = 0
            if cur then curv = tonumber(string.match(cur, '^(%d+):')) end
            local res
            if tonumber(ARGV[2]) == curv then
              res = {'ok', ''} -- this very copy is in force already: a commit replayed after a reconnect
            elseif tonumber(ARGV[2]) < curv then
              res = {'stale'}
            else
              redis.call('HSET', KEYS[1], k, ARGV[2] .. ':' .. ARGV[3])
              redis.call('ZADD', KEYS[2], now, k)
              redis.call('SREM', KEYS[3], k)
              res = {'ok', cur or ''}
            end
            if tonumber(redis.call('ZSCORE', KEYS[4], k)) == tonumber(ARGV[4]) then
              redis.call('ZREM', KEYS[4], k)
              redis.call('HDEL', KEYS[5], k)
              redis.call('ZADD', KEYS[6], 'XX', 'LT', now, k)
            end
            return res
            """;

    /**
     * Records a failed freeze of a claim that is still this one. KEYS: claims, dirty, attempts, dead. ARGV: key,
     * claim deadline, max attempts, backoff ms, error text. Returns {'retry', n}, {'dead', n} or {'lost'} (the
     * claim had expired and was taken back).
     */
    static final String FAIL = NOW + """
            local k = ARGV[1]
            if tonumber(redis.call('ZSCORE', KEYS[1], k)) ~= tonumber(ARGV[2]) then return {'lost'} end
            redis.call('ZREM', KEYS[1], k)
            local n = redis.call('HINCRBY', KEYS[3], k, 1)
            if n >= tonumber(ARGV[3]) then
              redis.call('HSET', KEYS[4], k, n .. '|' .. string.format('%.0f', now) .. '|' .. ARGV[5])
              redis.call('HDEL', KEYS[3], k)
              redis.call('ZREM', KEYS[2], k)
              return {'dead', n}
            end
            redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), k)
            return {'retry', n}
            """;

    /** Queues dead-lettered keys again. KEYS: dead, dirty, attempts. ARGV: keys. Returns how many were dead. */
    static final String RETRY = NOW + """
            local n = 0
            for i = 1, #ARGV do
              if redis.call('HDEL', KEYS[1], ARGV[i]) == 1 then
                redis.call('HDEL', KEYS[3], ARGV[i])
                redis.call('ZADD', KEYS[2], now, ARGV[i])
                n = n + 1
              end
            end
            return n
            """;

    /**
     * One eviction pass. KEYS: resident, frozen, evicted, dirty, claims, dead. ARGV: ttl ms, minimum idle
     * seconds, batch size. For each key frozen at least ttl ago, atomically: a key queued, claimed or dead-lettered
     * is left alone (its next successful freeze makes it a candidate again); a key gone from Redis (deleted or
     * expired by its own TTL) is forgotten; a key used within the idle time waits another ttl; a key whose DUMP
     * digest equals the frozen digest is expired at once; any other key was written after its freeze and is
     * queued for freezing again. Returns {evicted, changed, gone, skipped, busy}.
     *
     * <p>The expiry is immediate (UNLINK), never a PEXPIRE into the future: most write commands (HSET, LPUSH,
     * SADD, APPEND...) keep a key's TTL, so a future expiry would still fire after a write nobody froze.
     */
    static final String EVICT = NOW + """
            local cands = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]), 'LIMIT', 0,
              tonumber(ARGV[3]))
            local evicted, changed, gone, skipped, busy = 0, 0, 0, 0, 0
            for _, k in ipairs(cands) do
              if redis.call('ZSCORE', KEYS[4], k) or redis.call('ZSCORE', KEYS[5], k)
                  or redis.call('HEXISTS', KEYS[6], k) == 1 then
                redis.call('ZREM', KEYS[1], k)
                skipped = skipped + 1
              elseif redis.call('EXISTS', k) == 0 then
                redis.call('ZREM', KEYS[1], k)
                redis.call('HDEL', KEYS[2], k)
                gone = gone + 1
              else
                local idle = redis.pcall('OBJECT', 'IDLETIME', k)
                if type(idle) == 'number' and idle < tonumber(ARGV[2]) then
                  redis.call('ZADD', KEYS[1], now, k)
                  busy = busy + 1
                else
                  local ptr = redis.call('HGET', KEYS[2], k)
                  local digest = ptr and string.match(ptr, ':(%x+)$')
                  redis.call('ZREM', KEYS[1], k)
                  if digest and redis.sha1hex(redis.call('DUMP', k)) == digest then
                    redis.call('UNLINK', k)
                    redis.call('SADD', KEYS[3], k)
                    evicted = evicted + 1
                  else
                    redis.call('ZADD', KEYS[4], 'NX', now, k)
                    changed = changed + 1
                  end
                end
              end
            end
            return {evicted, changed, gone, skipped, busy}
            """;

    /**
     * Where each key is. KEYS: evicted, frozen, dirty. ARGV: keys. Returns {state1, pointer1, ...}: 'p' (in
     * Redis), 'e' (evicted, with its "version:sha1"), 'a' (neither). An evicted key that a writer recreated is
     * present: its value wins, it is no longer evicted, and it is queued for freezing.
     */
    static final String PROBE = NOW + """
            local out = {}
            for i = 1, #ARGV do
              local k = ARGV[i]
              if redis.call('EXISTS', k) == 1 then
                if redis.call('SREM', KEYS[1], k) == 1 then redis.call('ZADD', KEYS[3], 'NX', now, k) end
                out[#out + 1] = 'p'
                out[#out + 1] = ''
              elseif redis.call('SISMEMBER', KEYS[1], k) == 1 then
                out[#out + 1] = 'e'
                out[#out + 1] = redis.call('HGET', KEYS[2], k) or ''
              else
                out[#out + 1] = 'a'
                out[#out + 1] = ''
              end
            end
            return out
            """;

    /**
     * Brings an evicted key back with RESTORE (no REPLACE). KEYS: evicted, frozen, resident, dirty. ARGV: key,
     * the "version:sha1" the payload belongs to, the DUMP payload. Returns {'restored'}, {'busy'} (a writer
     * recreated the key: its value wins and is queued for freezing), {'notevicted'} (restored or refrozen
     * meanwhile), {'moved'} (another copy is now in force) or {'error', message}.
     */
    static final String RESTORE = NOW + """
            local k = ARGV[1]
            if redis.call('SISMEMBER', KEYS[1], k) == 0 then return {'notevicted'} end
            if redis.call('HGET', KEYS[2], k) ~= ARGV[2] then return {'moved'} end
            local r = redis.pcall('RESTORE', k, 0, ARGV[3])
            if type(r) == 'table' and r.err then
              if string.find(r.err, 'BUSYKEY', 1, true) then
                redis.call('SREM', KEYS[1], k)
                redis.call('ZADD', KEYS[4], 'NX', now, k)
                return {'busy'}
              end
              return {'error', r.err}
            end
            redis.call('SREM', KEYS[1], k)
            redis.call('ZADD', KEYS[3], now, k)
            return {'restored'}
            """;

    /** Counts. KEYS: dirty, claims, frozen, resident, evicted, dead. */
    static final String STATS = """
            return {redis.call('ZCARD', KEYS[1]), redis.call('ZCARD', KEYS[2]), redis.call('HLEN', KEYS[3]),
              redis.call('ZCARD', KEYS[4]), redis.call('SCARD', KEYS[5]), redis.call('HLEN', KEYS[6])}
            """;
}
