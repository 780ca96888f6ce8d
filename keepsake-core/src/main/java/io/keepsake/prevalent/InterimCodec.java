package io.keepsake.prevalent;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import io.keepsake.CodecException;
import io.keepsake.format.Codec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** TEMPORARY stand-in for the format module's SmileCodec until it lands: [name, value] in Smile. */
final class InterimCodec implements Codec, StateCodec {
    private final ObjectMapper mapper = new ObjectMapper(new SmileFactory())
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .setVisibility(PropertyAccessor.GETTER, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final Map<String, Class<?>> byName;
    private final Map<Class<?>, String> byType = new HashMap<>();

    InterimCodec(Map<String, Class<?>> types, Map<String, Class<?>> aliases) {
        byName = new HashMap<>(types);
        byName.putAll(aliases);
        types.forEach((n, t) -> byType.put(t, n));
    }

    @Override
    public int id() {
        return 1;
    }

    @Override
    public byte[] encode(Object value) {
        String name = byType.get(value.getClass());
        if (name == null) {
            throw new CodecException(value.getClass().getName() + " is not registered");
        }
        try {
            ArrayNode node = mapper.createArrayNode().add(name);
            node.add(mapper.valueToTree(value));
            return mapper.writeValueAsBytes(node);
        } catch (IOException | IllegalArgumentException e) {
            throw new CodecException("cannot serialize " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Object decode(byte[] bytes) {
        try {
            return fromTree(mapper.readTree(bytes));
        } catch (IOException e) {
            throw new CodecException("cannot decode: " + e.getMessage(), e);
        }
    }

    private Object fromTree(JsonNode node) throws IOException {
        Class<?> type = byName.get(node.get(0).asText());
        if (type == null) {
            throw new CodecException("unregistered type name " + node.get(0).asText());
        }
        return mapper.treeToValue(node.get(1), type);
    }

    @Override
    public void write(Object state, OutputStream out) {
        try {
            out.write(encode(state));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Object read(InputStream in) {
        try {
            return decode(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
