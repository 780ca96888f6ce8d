package io.keepsake.tier;

/**
 * The Lua scripts behind every step of the tier. Each runs atomically inside Redis, so a check and the change it
 * guards can never be split by another client's write. Times are Redis's own clock ({@code TIME}, milliseconds),
 * shared by every process that works on the same queue.
 *
 * <p>Bookkeeping keys (all under the tier's prefix): {@code dirty} (sorted set: key -> when it may be claimed),
 * {@code claims} (sorted set: key -> visibility deadline, which doubles as the claim's token), {@code attempts}
 * (hash: key -> failed freezes in a row), {@code dead} (hash: key -> "attempts|failedAtMs|error"), {@code frozen}
 * (hash: key -> "version:pack id:sha1 of the DUMP:entry offset:entry length" of the cold copy in force; records
 * written before entries had offsets lack the last two fields and are still read), {@code packs} (hash: pack id -> how
 * many {@code frozen} entries name it; a pack reaches zero when its last copy in force is superseded or its key is
 * gone, and is then deleted), {@code resident} (sorted set: frozen keys still in Redis -> when frozen or restored;
 * the eviction candidates), {@code evicted} (set: keys the tier expired, restorable), {@code seq} (the freeze
 * version counter). User keys are touched by name (not declared in KEYS), so Redis Cluster is not supported.
 *
 * <p>Invariant: {@code packs[p]} equals the number of {@code frozen} entries naming {@code p}, and is absent when
 * that number is zero; only COMMIT and EVICT change either, together. So a pack absent from {@code packs} is named
 * by no record, and once its commit-by time has passed (COMMIT refuses it after that) it never will be.
 *
 * <p>Replays: Lettuce re-sends a command whose reply was lost to a reconnect, so any script may run twice with the
 * same arguments. Each is written so that its second run loses nothing and counts nothing twice: DIRTY, RETRY and
 * PROBE are idempotent; a second CLAIM claims other keys (the first run's claims time out and return); a second
 * COMMIT finds its versions in force (success, no count changes) or superseded; a second FAIL finds the claim gone
 * ("lost"); a second EVICT or RESTORE finds its keys already handled. Only the reply of the last run reaches the
 * caller, which is why a pack whose zero count was reported to a lost reply is left to {@link #SWEEP}.
 */
final class TierScripts {
    private TierScripts() {
    }

    private static final String NOW = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            """;

    /** {@code bulk(items, cmd, key, options...)}: one command per 400 items, so per-key calls become a few. */
    private static final String BULK = """
            local function bulk(items, ...)
              local head = {...}
              for i = 1, #items, 400 do
                local args = {unpack(head)}
                for j = i, math.min(#items, i + 399) do args[#args + 1] = items[j] end
                redis.call(unpack(args))
              end
            end
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
     * fresh version, in the same atomic step (so a version orders DUMPs; one INCRBY reserves the batch's versions,
     * and those of keys not claimed are skipped). KEYS: dirty, claims, dead, seq. Returns
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
            if #due == 0 then return out end
            local v = redis.call('INCRBY', KEYS[4], #due) - #due
            local claimed = {}
            for _, k in ipairs(due) do
              local open = redis.call('ZSCORE', KEYS[2], k)
              if open then
                redis.call('ZADD', KEYS[1], open, k)
              else
                redis.call('ZREM', KEYS[1], k)
                if redis.call('HEXISTS', KEYS[3], k) == 0 and redis.call('EXISTS', k) == 1 then
                  v = v + 1
                  claimed[#claimed + 1] = deadline
                  claimed[#claimed + 1] = k
                  out[#out + 1] = k
                  out[#out + 1] = string.format('%.0f', v)
                  out[#out + 1] = redis.call('DUMP', k)
                end
              end
            end
            for i = 1, #claimed, 400 do
              redis.call('ZADD', KEYS[2], unpack(claimed, i, math.min(#claimed, i + 399)))
            end
            return out
            """;

    /**
     * Records a batch of cold copies, each as the one in force unless a newer version already is. KEYS: frozen,
     * resident, evicted, claims, attempts, dirty, packs. ARGV: claim deadline, commit-by time, then per entry: key,
     * version, "sha1 of the DUMP:entry offset:entry length" (the record's tail), pack id. Returns {'late'} when
     * Redis's clock is past the commit-by time (nothing changed: the packs are left to the sweep, since a replay
     * of an earlier successful run may be what is late), else {'ok', committed, stale, zero pack ids...}: the
     * packs that no record names any more (superseded ones whose count reached zero, and packs of this batch none
     * of whose entries is in force), which the caller deletes. A version equal to the one in force is this very
     * commit replayed: success, nothing changes. Each claim still held by this batch is released. Per key only HGET
     * and ZSCORE run on their own; the writes are gathered into a few bulk commands and one HINCRBY per pack.
     */
    static final String COMMIT = NOW + BULK + """
            if now > tonumber(ARGV[2]) then return {'late'} end
            local ok, stale = 0, 0
            local mine, delta = {}, {}
            local sets, resident, unevict, released, requeue = {}, {}, {}, {}, {}
            for i = 3, #ARGV, 4 do
              local k, v, pack = ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 3]
              mine[pack] = true
              local cur = redis.call('HGET', KEYS[1], k)
              local curv, curpack = 0, nil
              if cur then
                curv = tonumber(string.match(cur, '^(%d+):'))
                curpack = string.match(cur, '^%d+:([^:]+):')
              end
              if v == curv then
                ok = ok + 1 -- this very copy is in force already: a commit replayed after a reconnect
              elseif v < curv then
                stale = stale + 1
              else
                sets[#sets + 1] = k
                sets[#sets + 1] = ARGV[i + 1] .. ':' .. pack .. ':' .. ARGV[i + 2]
                delta[pack] = (delta[pack] or 0) + 1
                if curpack then delta[curpack] = (delta[curpack] or 0) - 1 end
                resident[#resident + 1] = now
                resident[#resident + 1] = k
                unevict[#unevict + 1] = k
                ok = ok + 1
              end
              if tonumber(redis.call('ZSCORE', KEYS[4], k)) == tonumber(ARGV[1]) then
                released[#released + 1] = k
                requeue[#requeue + 1] = now
                requeue[#requeue + 1] = k
              end
            end
            bulk(sets, 'HSET', KEYS[1])
            bulk(resident, 'ZADD', KEYS[2])
            bulk(unevict, 'SREM', KEYS[3])
            bulk(released, 'ZREM', KEYS[4])
            bulk(released, 'HDEL', KEYS[5])
            bulk(requeue, 'ZADD', KEYS[6], 'XX', 'LT')
            local zero = {}
            for pack, d in pairs(delta) do
              if d ~= 0 and redis.call('HINCRBY', KEYS[7], pack, d) <= 0 then
                redis.call('HDEL', KEYS[7], pack)
                if not mine[pack] then zero[#zero + 1] = pack end
              end
            end
            for pack in pairs(mine) do
              if redis.call('HEXISTS', KEYS[7], pack) == 0 then zero[#zero + 1] = pack end
            end
            local out = {'ok', ok, stale}
            for _, p in ipairs(zero) do out[#out + 1] = p end
            return out
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
     * One eviction pass. KEYS: resident, frozen, evicted, dirty, claims, dead, packs. ARGV: ttl ms, minimum idle
     * seconds, batch size. For each key frozen at least ttl ago, atomically: a key queued, claimed or dead-lettered
     * is left alone (its next successful freeze makes it a candidate again); a key gone from Redis (deleted or
     * expired by its own TTL) is forgotten; a key used within the idle time waits another ttl; a key whose DUMP
     * digest equals the frozen digest is expired at once; any other key was written after its freeze and is
     * queued for freezing again. Returns {evicted, changed, gone, skipped, busy, zero pack ids...}: a gone key's
     * record is dropped and its pack's count decremented; packs that reached zero are the caller's to delete.
     *
     * <p>The expiry is immediate (UNLINK), never a PEXPIRE into the future: most write commands (HSET, LPUSH,
     * SADD, APPEND...) keep a key's TTL, so a future expiry would still fire after a write nobody froze.
     */
    static final String EVICT = NOW + """
            local cands = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]), 'LIMIT', 0,
              tonumber(ARGV[3]))
            local evicted, changed, gone, skipped, busy = 0, 0, 0, 0, 0
            local zero = {}
            for _, k in ipairs(cands) do
              if redis.call('ZSCORE', KEYS[4], k) or redis.call('ZSCORE', KEYS[5], k)
                  or redis.call('HEXISTS', KEYS[6], k) == 1 then
                redis.call('ZREM', KEYS[1], k)
                skipped = skipped + 1
              elseif redis.call('EXISTS', k) == 0 then
                redis.call('ZREM', KEYS[1], k)
                local ptr = redis.call('HGET', KEYS[2], k)
                local pack = ptr and string.match(ptr, '^%d+:([^:]+):')
                redis.call('HDEL', KEYS[2], k)
                if pack and redis.call('HINCRBY', KEYS[7], pack, -1) <= 0 then
                  redis.call('HDEL', KEYS[7], pack)
                  zero[#zero + 1] = pack
                end
                gone = gone + 1
              else
                local idle = redis.pcall('OBJECT', 'IDLETIME', k)
                if type(idle) == 'number' and idle < tonumber(ARGV[2]) then
                  redis.call('ZADD', KEYS[1], now, k)
                  busy = busy + 1
                else
                  local ptr = redis.call('HGET', KEYS[2], k)
                  local digest = ptr and string.match(ptr, '^%d+:[^:]+:(%x+)')
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
            local out = {evicted, changed, gone, skipped, busy}
            for _, p in ipairs(zero) do out[#out + 1] = p end
            return out
            """;

    /**
     * Where each key is. KEYS: evicted, frozen, dirty. ARGV: keys. Returns {state1, pointer1, ...}: 'p' (in
     * Redis), 'e' (evicted, with its record "version:pack id:sha1:offset:length"), 'a' (neither). An evicted key
     * that a writer recreated is present: its value wins, it is no longer evicted, and it is queued for freezing.
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
     * the record ("version:pack id:sha1:offset:length") the payload belongs to, the DUMP payload. Returns
     * {'restored'}, {'busy'} (a writer recreated the key: its value wins and is queued for freezing),
     * {'notevicted'} (restored or refrozen meanwhile), {'moved'} (another copy is now in force) or {'error', message}.
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

    /**
     * Picks the packs a sweep may delete. KEYS: packs. ARGV: pack ids found in the cold store. Returns those that
     * no record names and whose commit-by time (the number before the dash) passed over a minute ago on Redis's
     * clock: COMMIT refuses them from their commit-by time on, so nothing can come to name them (the minute absorbs
     * a Redis clock stepped back a little, or a failover to a server whose clock lags). Read-only.
     */
    static final String SWEEP = NOW + """
            local out = {}
            for i = 1, #ARGV do
              local by = tonumber(string.match(ARGV[i], '^(%d+)-%d+$'))
              if by and by + 60000 < now and redis.call('HEXISTS', KEYS[1], ARGV[i]) == 0 then out[#out + 1] = ARGV[i] end
            end
            return out
            """;

    /** Counts. KEYS: dirty, claims, frozen, resident, evicted, dead. */
    static final String STATS = """
            return {redis.call('ZCARD', KEYS[1]), redis.call('ZCARD', KEYS[2]), redis.call('HLEN', KEYS[3]),
              redis.call('ZCARD', KEYS[4]), redis.call('SCARD', KEYS[5]), redis.call('HLEN', KEYS[6])}
            """;
}
