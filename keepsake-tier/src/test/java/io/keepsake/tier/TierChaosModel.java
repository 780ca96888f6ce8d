package io.keepsake.tier;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/** What {@link TierChaosTest} believes each key holds, kept in Java and compared in one canonical text form. */
final class TierChaosModel {
    private final Map<String, Object> values = new TreeMap<>();
    private final Map<String, Integer> streamIds = new TreeMap<>();

    boolean has(String key) {
        return values.containsKey(key);
    }

    String[] keys() {
        return values.keySet().toArray(new String[0]);
    }

    @SuppressWarnings("unchecked")
    void write(RedisCommands<String, String> r, String key, Random random) {
        int type = Math.floorMod(key.hashCode(), 6); // a key keeps one type
        String v = "v" + random.nextInt(1000);
        switch (type) {
            case 0 -> {
                if (random.nextBoolean() && values.containsKey(key)) {
                    r.append(key, v);
                    values.put(key, values.get(key) + v);
                } else {
                    r.set(key, v);
                    values.put(key, v);
                }
            }
            case 1 -> {
                String f = "f" + random.nextInt(8);
                r.hset(key, f, v);
                ((Map<String, String>) values.computeIfAbsent(key, x -> new TreeMap<String, String>())).put(f, v);
            }
            case 2 -> {
                r.rpush(key, v);
                ((List<String>) values.computeIfAbsent(key, x -> new ArrayList<String>())).add(v);
            }
            case 3 -> {
                r.sadd(key, v);
                ((TreeSet<String>) values.computeIfAbsent(key, x -> new TreeSet<String>())).add(v);
            }
            case 4 -> {
                String m = "m" + random.nextInt(8);
                double score = random.nextInt(100);
                r.zadd(key, score, m);
                ((Map<String, Double>) values.computeIfAbsent(key, x -> new TreeMap<String, Double>()))
                        .put(m, score);
            }
            default -> {
                int id = streamIds.merge(key, 1, Integer::sum);
                r.xadd(key, new XAddArgs().id(id + "-0"), Map.of("v", v));
                ((List<String>) values.computeIfAbsent(key, x -> new ArrayList<String>())).add(id + "-0=" + v);
            }
        }
    }

    @SuppressWarnings("unchecked")
    String expected(String key) {
        Object v = values.get(key);
        if (v instanceof Map<?, ?> m && !m.isEmpty() && m.values().iterator().next() instanceof Double) {
            StringBuilder b = new StringBuilder();
            ((Map<String, Double>) m).entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                    .forEach(e -> b.append(e.getKey()).append('@').append(e.getValue()).append(','));
            return b.toString();
        }
        return String.valueOf(v);
    }

    static String content(RedisCommands<String, String> r, String key) {
        return switch (r.type(key)) {
            case "string" -> r.get(key);
            case "hash" -> new TreeMap<>(r.hgetall(key)).toString();
            case "list" -> r.lrange(key, 0, -1).toString();
            case "set" -> new TreeSet<>(r.smembers(key)).toString();
            case "zset" -> {
                StringBuilder b = new StringBuilder();
                r.zrangeWithScores(key, 0, -1)
                        .forEach(s -> b.append(s.getValue()).append('@').append(s.getScore()).append(','));
                yield b.toString();
            }
            case "stream" -> r.xrange(key, Range.create("-", "+")).stream()
                    .map((StreamMessage<String, String> m) -> m.getId() + "=" + m.getBody().get("v")).toList()
                    .toString();
            default -> "none";
        };
    }
}
