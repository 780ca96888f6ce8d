package io.keepsake.internal.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.keepsake.CodecException;
import io.keepsake.format.TypeRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Codec id 1: values as <a href="https://github.com/FasterXML/smile-format-specification">Smile</a> (binary JSON)
 * through Jackson's record and bean mapping, limited to the types of a {@link TypeRegistry}.
 *
 * <p>The encoded bytes are one Smile document: the 4-byte Smile header, then the object
 * {@code {"t": <registered type name>, "v": <the value>}}. The name, never the class name, says how to decode:
 * an unknown name is a {@link CodecException} naming it. No Jackson default typing or class-name type ids are
 * used, so the bytes cannot make Jackson instantiate anything outside the registry.
 *
 * <p>Schema evolution: a field missing from old data decodes as null, 0 or false; a field the class no longer has
 * is ignored. Immutable and thread-safe.
 */
public final class SmileCodec implements Codec {
    /** The permanent id of this codec in {@link FileHeader#codecId()}. */
    public static final int ID = 1;
    private static final String TYPE_FIELD = "t";
    private static final String VALUE_FIELD = "v";
    private static final int MAX_BASIC_DEPTH = 100;
    private static final ObjectMapper TREES = SmileMappers.trees();

    private final TypeRegistry registry;
    private final RegistrationAdvice advice;
    private final ObjectMapper mapper;
    // For whole states (decodeFrom): the mapper's parser settings without a field-name symbol table, since a map
    // with hundreds of thousands of keys would only churn it (canonicalizing and interning every key).
    private final com.fasterxml.jackson.dataformat.smile.SmileFactory stateFactory;
    private final ObjectWriter writer;
    private final Map<String, ObjectReader> readers = new HashMap<>();
    private final EnvelopeNames names; // the readers again, found by the name's bytes in an envelope
    // Thread-safe by itself: readers for full generic types asked for by callers (TypeRef refs), made on first use.
    private final Map<java.lang.reflect.Type, ObjectReader> typedReaders =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** @param registry the types this codec may encode and decode, besides the built-in JDK top-level types */
    public SmileCodec(TypeRegistry registry) {
        this(registry, RegistrationAdvice.TYPE_REGISTRY);
    }

    /**
     * @param registry the types this codec may encode and decode, besides the built-in JDK top-level types
     * @param advice   how its error messages tell the user to register a type
     */
    public SmileCodec(TypeRegistry registry, RegistrationAdvice advice) {
        this.registry = registry;
        this.advice = advice;
        this.mapper = SmileMappers.values(registry, advice);
        this.writer = mapper.writer();
        this.stateFactory = ((com.fasterxml.jackson.dataformat.smile.SmileFactory) mapper.getFactory()).rebuild()
                .disable(com.fasterxml.jackson.core.JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
                .disable(com.fasterxml.jackson.core.JsonFactory.Feature.INTERN_FIELD_NAMES)
                .build();
        readers.put(TypeRegistry.STRING, mapper.readerFor(String.class));
        readers.put(TypeRegistry.LONG, mapper.readerFor(Long.class));
        readers.put(TypeRegistry.INT, mapper.readerFor(Integer.class));
        readers.put(TypeRegistry.BOOLEAN, mapper.readerFor(Boolean.class));
        readers.put(TypeRegistry.BYTES, mapper.readerFor(byte[].class));
        readers.put(TypeRegistry.LIST, mapper.readerFor(List.class));
        readers.put(TypeRegistry.MAP, mapper.readerFor(Map.class));
        registry.names().forEach((name, type) -> readers.put(name, mapper.readerFor(type)));
        this.names = new EnvelopeNames(readers);
    }

    /** @return the registry this codec was built with */
    public TypeRegistry registry() {
        return registry;
    }

    @Override
    public int id() {
        return ID;
    }

    /** {@inheritDoc} Nothing escapes on failure: the exception is thrown before any byte leaves this method. */
    @Override
    public byte[] encode(Object value) {
        return encode(value, null);
    }

    /**
     * {@inheritDoc} A top-level list or map kept as a generic type ({@code List<Item>}, {@code Map<String, Item>})
     * may hold registered application types, since its reader decodes the elements to that type; without a
     * declared generic type it may hold only JDK values (a reader could not tell what to build).
     */
    @Override
    public byte[] encode(Object value, java.lang.reflect.Type declared) {
        String name = nameFor(value, declared instanceof java.lang.reflect.ParameterizedType);
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField(TYPE_FIELD, name);
            g.writeFieldName(VALUE_FIELD);
            writer.writeValue(g, value);
            g.writeEndObject();
        } catch (IOException | RuntimeException e) {
            throw new CodecException("cannot encode a " + name + " (" + value.getClass().getName() + "): "
                    + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    @Override
    public Object decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    /** {@inheritDoc} Reads the bytes in place, without copying them. */
    @Override
    public Object decode(byte[] bytes, int offset, int length) {
        return decode(bytes, offset, length, null);
    }

    /**
     * {@inheritDoc} The bytes must still name a registered type (or a built-in JDK type) whose class is
     * {@code target}'s class or a subtype of it; the value is then read as {@code target}, so the elements of a
     * {@code List<Item>} are {@code Item}s and the values of a {@code Map<String, Long>} are {@code Long}s. Nested
     * application types must be registered, as for every value.
     */
    @Override
    public Object decode(byte[] bytes, java.lang.reflect.Type target) {
        return decode(bytes, 0, bytes.length, target);
    }

    private Object decode(byte[] bytes, int offset, int length, java.lang.reflect.Type target) {
        ObjectReader known = target == null ? names.readerAt(bytes, offset, length) : null;
        if (known != null) {
            return decodeKnown(bytes, offset, length, known);
        }
        String name = null;
        try (JsonParser p = mapper.createParser(bytes, offset, length)) {
            expect(p.nextToken() == JsonToken.START_OBJECT && TYPE_FIELD.equals(p.nextFieldName()),
                    "does not start with a type name");
            name = p.nextTextValue();
            expect(name != null, "has no type name");
            if (!VALUE_FIELD.equals(p.nextFieldName())) {
                throw malformed("has no value after the type name '" + name + "'");
            }
            JsonToken first = p.nextToken();
            Object value;
            if (TypeRegistry.NULL.equals(name)) {
                expect(first == JsonToken.VALUE_NULL, "has a non-null value under the type name 'null'");
                value = null;
            } else {
                ObjectReader reader = readers.get(name);
                if (reader == null) {
                    throw new CodecException("cannot decode type '" + name + "': no type is registered under "
                            + "that name (" + advice.alias() + ")");
                }
                value = readerFor(reader, target).readValue(p);
            }
            if (p.nextToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw malformed("has bytes after the value of type '" + name + "'");
            }
            return value;
        } catch (CodecException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CodecException("cannot decode " + (name == null ? "Smile bytes" : "type '" + name + "'")
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Decodes a value whose envelope {@link EnvelopeNames#readerAt} has checked byte by byte and whose type name it
     * found: the parser walks the envelope's tokens without turning the name into a string or comparing field names,
     * which saves a good share of a small event's decoding (recovery decodes millions). Any malformation after the
     * name fails as in the general path.
     */
    private Object decodeKnown(byte[] bytes, int offset, int length, ObjectReader reader) {
        try (JsonParser p = mapper.createParser(bytes, offset, length)) {
            p.nextToken(); // {
            p.nextToken(); // "t"
            p.nextToken(); // the name, never decoded
            p.nextToken(); // "v"
            p.nextToken(); // the first token of the value
            Object value = reader.readValue(p);
            if (p.nextToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw malformed("has bytes after the value of type '" + names.nameOf(reader) + "'");
            }
            return value;
        } catch (CodecException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CodecException("cannot decode type '" + names.nameOf(reader) + "': " + e.getMessage(), e);
        }
    }

    /**
     * Streams {@code value} to {@code out}: the same bytes {@link #encode} returns, never held whole in memory, so a
     * value (a prevalent system's state in a snapshot) may exceed what one array holds. Unlike {@link #encode},
     * bytes may have reached {@code out} when this fails; {@code out} is flushed but not closed.
     *
     * @throws CodecException if the value's type is not registered or it cannot be serialized or written
     */
    public void encodeTo(Object value, java.io.OutputStream out) {
        String name = nameFor(value);
        try (JsonGenerator g = mapper.createGenerator(out)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
            g.writeStartObject();
            g.writeStringField(TYPE_FIELD, name);
            g.writeFieldName(VALUE_FIELD);
            writer.writeValue(g, value);
            g.writeEndObject();
        } catch (IOException | RuntimeException e) {
            throw new CodecException("cannot encode a " + name + " (" + value.getClass().getName() + "): "
                    + e.getMessage(), e);
        }
    }

    /**
     * Finds every class in {@code value} that stops it from being encoded, not just the first: application classes
     * that are not registered, and JDK classes that are not supported values. Walks the value as {@link #encode}
     * would, through a mapper of its own that notes each such class instead of failing, and writes nothing.
     *
     * @return the classes found, in the order met; empty if none
     * @throws RuntimeException if walking the value fails for another reason (it refers to itself, a getter throws)
     */
    public java.util.Set<Class<?>> unregisteredTypesIn(Object value) {
        java.util.Set<Class<?>> found = new java.util.LinkedHashSet<>();
        try {
            SmileMappers.probe(registry, found).writeValue(java.io.OutputStream.nullOutputStream(), value);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return found;
    }

    /** @return the reader of {@code target} if the named type's reader reads a form of it, else {@code named} */
    private ObjectReader readerFor(ObjectReader named, java.lang.reflect.Type target) {
        if (target == null || target instanceof Class<?>) {
            return named;
        }
        com.fasterxml.jackson.databind.JavaType wanted = mapper.getTypeFactory().constructType(target);
        if (!named.getValueType().getRawClass().isAssignableFrom(wanted.getRawClass())) {
            return named; // the bytes hold something else; the caller's type check reports it
        }
        return typedReaders.computeIfAbsent(target, t -> mapper.readerFor(wanted));
    }

    /**
     * Reads one value written by {@link #encodeTo} or {@link #encode} from a stream, without first collecting the
     * bytes into one array. The stream is not closed.
     *
     * @throws CodecException if the bytes do not decode to a registered type, or reading them fails
     */
    public Object decodeFrom(java.io.InputStream in) {
        String name = null;
        try (JsonParser p = stateFactory.createParser(in)) {
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            expect(p.nextToken() == JsonToken.START_OBJECT && TYPE_FIELD.equals(p.nextFieldName()),
                    "does not start with a type name");
            name = p.nextTextValue();
            expect(name != null, "has no type name");
            if (!VALUE_FIELD.equals(p.nextFieldName())) {
                throw malformed("has no value after the type name '" + name + "'");
            }
            JsonToken first = p.nextToken();
            Object value = null;
            if (TypeRegistry.NULL.equals(name)) {
                expect(first == JsonToken.VALUE_NULL, "has a non-null value under the type name 'null'");
            } else {
                ObjectReader reader = readers.get(name);
                if (reader == null) {
                    throw new CodecException("cannot decode type '" + name + "': no type is registered under "
                            + "that name (" + advice.alias() + ")");
                }
                value = reader.readValue(p);
            }
            if (p.nextToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw malformed("has bytes after the value of type '" + name + "'");
            }
            return value;
        } catch (io.keepsake.KeepsakeException e) {
            throw e; // ours, or the stream's own (a snapshot chunk failing its checksum)
        } catch (IOException | RuntimeException e) {
            throw new CodecException("cannot decode " + (name == null ? "a Smile stream" : "type '" + name + "'")
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads any bytes written by a {@code SmileCodec} as a Jackson tree, without application classes (for tools).
     *
     * @return the type name and the value as a tree
     * @throws CodecException if the bytes are not a value written by a {@code SmileCodec}
     */
    public static SmileTree toTree(byte[] bytes) {
        JsonNode root;
        try {
            root = TREES.readTree(bytes);
        } catch (IOException | RuntimeException e) {
            throw new CodecException("not a Smile value: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path(TYPE_FIELD).isTextual() || !root.has(VALUE_FIELD)
                || root.size() != 2) {
            throw new CodecException("not a Keepsake Smile value: expected {\"t\": name, \"v\": value}");
        }
        return new SmileTree(root.get(TYPE_FIELD).asText(), root.get(VALUE_FIELD));
    }

    /**
     * The inverse of {@link #toTree}: writes a tree as the bytes a {@code SmileCodec} writes for a value of that
     * type name, without application classes (for tools that rewrite stored values). A {@code SmileCodec} whose
     * registry holds the name decodes them as it decodes its own output.
     *
     * @param tree the type name and the value
     * @return the Smile bytes
     * @throws CodecException if the tree cannot be written
     */
    public static byte[] fromTree(SmileTree tree) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = TREES.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField(TYPE_FIELD, tree.typeName());
            g.writeFieldName(VALUE_FIELD);
            TREES.writeTree(g, tree.value());
            g.writeEndObject();
        } catch (IOException | RuntimeException e) {
            throw new CodecException("cannot encode a tree of type '" + tree.typeName() + "': " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return "smile" + registry;
    }

    /** @return the class whose registration counts for {@code type}: an enum constant's body maps to its enum */
    static Class<?> normalize(Class<?> type) {
        if (!type.isEnum() && Enum.class.isAssignableFrom(type) && type.getSuperclass() != null
                && type.getSuperclass().isEnum()) {
            return type.getSuperclass();
        }
        return type;
    }

    private String nameFor(Object value) {
        return nameFor(value, false);
    }

    private String nameFor(Object value, boolean typedContainer) {
        if (value == null) {
            return TypeRegistry.NULL;
        }
        Class<?> type = normalize(value.getClass());
        String registered = registry.nameOf(type).orElse(null);
        if (registered != null) {
            return registered;
        }
        if (value instanceof String) {
            return TypeRegistry.STRING;
        } else if (value instanceof Long) {
            return TypeRegistry.LONG;
        } else if (value instanceof Integer) {
            return TypeRegistry.INT;
        } else if (value instanceof Boolean) {
            return TypeRegistry.BOOLEAN;
        } else if (value instanceof byte[]) {
            return TypeRegistry.BYTES;
        } else if (value instanceof List<?> list) {
            if (!typedContainer) {
                checkBasic(list, 0); // else the registry guard refuses unregistered elements while writing
            }
            return TypeRegistry.LIST;
        } else if (value instanceof Map<?, ?> map) {
            if (!typedContainer) {
                checkBasic(map, 0);
            }
            return TypeRegistry.MAP;
        }
        throw new CodecException("cannot encode " + type.getName() + ": it is not registered; "
                + advice.register(type));
    }

    /** Top-level lists and maps decode as plain JDK values, so they may only hold such values. */
    private static void checkBasic(Object value, int depth) {
        if (depth > MAX_BASIC_DEPTH) {
            throw new CodecException("a top-level list or map nests deeper than " + MAX_BASIC_DEPTH
                    + " levels (or refers to itself)");
        }
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof byte[]
                || value instanceof Number && JdkTypes.isJdk(value.getClass())) {
            return;
        }
        if (value instanceof List<?> list) {
            for (Object element : list) {
                checkBasic(element, depth + 1);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    throw new CodecException("a top-level map may only have String keys, found "
                            + (e.getKey() == null ? "null" : e.getKey().getClass().getName()));
                }
                checkBasic(e.getValue(), depth + 1);
            }
            return;
        }
        throw new CodecException("a top-level list or map may only hold strings, numbers, booleans, byte[], "
                + "lists and maps, found " + value.getClass().getName() + "; register a type that holds it instead");
    }

    /** For constant messages only: a message built from values would be built on every decode (use malformed). */
    private static void expect(boolean ok, String problem) {
        if (!ok) {
            throw malformed(problem);
        }
    }

    private static CodecException malformed(String problem) {
        return new CodecException("not a Keepsake Smile value: it " + problem);
    }
}
