package io.keepsake.redis;

/**
 * The Lua scripts behind puts and deletes. Each reads the stored version and acts only if the precondition holds,
 * so check and write are one atomic step on the server. Both return {@code {ok, detail}}: for a put, detail is the
 * new version or (when {@code ok} is 0) the stored one, "" for none; for a delete, 1 if something was deleted.
 *
 * <p>A put whose new version is already stored reports success without writing again: versions are random and
 * made by the writer, so that can only be this same put sent twice.
 */
final class RedisScripts {
    private RedisScripts() {
    }

    /** KEYS: value hash, index. ARGV: mode (any|absent|version), expected version, new version, bytes, key. */
    static final String PUT = """
            local cur = redis.call('HGET', KEYS[1], 'v')
            if cur == ARGV[3] then return {1, cur} end
            if ARGV[1] == 'absent' then
              if cur then return {0, cur} end
            elseif ARGV[1] == 'version' then
              if cur ~= ARGV[2] then return {0, cur or ''} end
            end
            redis.call('HSET', KEYS[1], 'v', ARGV[3], 'd', ARGV[4])
            redis.call('ZADD', KEYS[2], 0, ARGV[5])
            return {1, ARGV[3]}
            """;

    /** KEYS: value hash, index. ARGV: mode (any|absent|version), expected version, key. */
    static final String DELETE = """
            local cur = redis.call('HGET', KEYS[1], 'v')
            if ARGV[1] == 'absent' then
              if cur then return {0, cur} end
              return {1, 0}
            elseif ARGV[1] == 'version' then
              if cur ~= ARGV[2] then return {0, cur or ''} end
            end
            if not cur then return {1, 0} end
            redis.call('DEL', KEYS[1])
            redis.call('ZREM', KEYS[2], ARGV[3])
            return {1, 1}
            """;
}
