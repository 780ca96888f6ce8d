package io.keepsake.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keepsake.CodecException;
import io.keepsake.prevalent.EventPayloads;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The event filters of a {@link Restore}: types to drop, and per type, top-level fields of the event's value to drop
 * or rewrite. Types are the names the codec writes into each event ({@code TypeName}, or a class's simple name).
 * An event of a type with no field rule keeps its payload byte for byte; one with a rule is opened, changed and
 * resealed as it was. Whether an event is kept depends only on its type, so the new numbering of a run is the same
 * on every run. Not thread-safe: configured, then used by one run.
 */
final class RestoreFilter {
    private final Set<String> droppedTypes = new TreeSet<>();
    private final Map<String, Set<String>> droppedFields = new TreeMap<>();
    private final Map<String, Map<String, FieldRewrite>> rewrites = new TreeMap<>();

    void dropType(String type) {
        droppedTypes.add(type);
    }

    void dropField(String type, String field) {
        droppedFields.computeIfAbsent(type, t -> new LinkedHashSet<>()).add(field);
    }

    void rewrite(String type, String field, FieldRewrite rewrite) {
        rewrites.computeIfAbsent(type, t -> new LinkedHashMap<>()).put(field, rewrite);
    }

    boolean isEmpty() {
        return droppedTypes.isEmpty() && droppedFields.isEmpty() && rewrites.isEmpty();
    }

    /** @return whether events of this type are left out */
    boolean drops(String type) {
        return droppedTypes.contains(type);
    }

    /**
     * @return the payload to journal for an event that is kept: the original if no field rule names its type, else
     *         the event changed and resealed
     * @throws CodecException if a rule names a field of an event whose value is not an object
     */
    byte[] apply(EventPayloads payloads, EventPayloads.Event event, byte[] original) {
        Set<String> drop = droppedFields.get(event.typeName());
        Map<String, FieldRewrite> change = rewrites.get(event.typeName());
        if (drop == null && change == null) {
            return original;
        }
        if (!(event.value() instanceof ObjectNode value)) {
            throw new CodecException("record " + event.sequence() + ": a " + event.typeName() + " is not an object ("
                    + event.value().getNodeType() + "), so its fields cannot be dropped or rewritten");
        }
        if (drop != null) {
            value.remove(drop);
        }
        if (change != null) {
            for (Map.Entry<String, FieldRewrite> e : change.entrySet()) {
                JsonNode old = value.get(e.getKey());
                if (old != null) {
                    JsonNode replaced = e.getValue().rewrite(old);
                    value.set(e.getKey(), replaced == null ? NullNode.getInstance() : replaced);
                }
            }
        }
        return payloads.reseal(event, value);
    }

    /**
     * @return the filters as one line, recorded with the mapping so that a rerun with other filters is refused
     *         (a user's function shows as "function")
     */
    String describe() {
        StringBuilder out = new StringBuilder();
        droppedTypes.forEach(t -> out.append(" drop-type=").append(t));
        droppedFields.forEach((t, fields) -> new TreeSet<>(fields).forEach(f -> out.append(" drop-field=").append(t)
                .append('.').append(f)));
        rewrites.forEach((t, fields) -> new TreeMap<>(fields).forEach((f, how) -> out.append(" rewrite=").append(t)
                .append('.').append(f).append('=').append(BuiltInRewrite.describe(how))));
        return out.toString().strip();
    }
}
