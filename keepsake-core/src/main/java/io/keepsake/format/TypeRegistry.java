package io.keepsake.format;

import io.keepsake.internal.format.JdkTypes;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The allow-list of application types Keepsake may encode and decode, each under a permanent name that
 * is written into the encoded bytes instead of the class name. Renaming or moving a class keeps old data readable:
 * register the class under its old name, or add the old name as an {@linkplain Builder#alias alias}.
 *
 * <p>Registered types are records, enums and POJOs (a no-argument constructor or a {@code @JsonCreator}). Their
 * fields may hold JDK values (String, boxed numbers, BigDecimal, BigInteger, byte[], Instant, LocalDate, UUID),
 * collections (List, Set, Map with String keys) and other registered types. Every application class met while
 * encoding or decoding must be registered; nothing else is ever instantiated.
 *
 * <p>Top-level values of a few JDK types need no registration; they travel under the built-in names
 * {@value #NULL}, {@value #STRING}, {@value #LONG}, {@value #INT}, {@value #BOOLEAN}, {@value #BYTES},
 * {@value #LIST} and {@value #MAP} (lists and maps may hold only such basic values, maps with String keys).
 *
 * <p>Immutable and thread-safe.
 */
public final class TypeRegistry {
    /** Built-in name of a top-level {@code null}. */
    public static final String NULL = "null";
    /** Built-in name of a top-level {@link String}. */
    public static final String STRING = "string";
    /** Built-in name of a top-level {@link Long}. */
    public static final String LONG = "long";
    /** Built-in name of a top-level {@link Integer}. */
    public static final String INT = "int";
    /** Built-in name of a top-level {@link Boolean}. */
    public static final String BOOLEAN = "boolean";
    /** Built-in name of a top-level {@code byte[]}. */
    public static final String BYTES = "bytes";
    /** Built-in name of a top-level {@link List} of basic values. */
    public static final String LIST = "list";
    /** Built-in name of a top-level {@link Map} from String to basic values. */
    public static final String MAP = "map";

    private static final Set<String> BUILT_IN_NAMES = Set.of(NULL, STRING, LONG, INT, BOOLEAN, BYTES, LIST, MAP);
    private static final int MAX_NAME_BYTES = 255;
    private static final TypeRegistry EMPTY = new Builder().build();

    private final Map<Class<?>, String> namesByType;
    private final Map<String, Class<?>> typesByName;

    private TypeRegistry(Map<Class<?>, String> namesByType, Map<String, Class<?>> typesByName) {
        this.namesByType = Collections.unmodifiableMap(new LinkedHashMap<>(namesByType));
        this.typesByName = Collections.unmodifiableMap(new LinkedHashMap<>(typesByName));
    }

    /**
     * The registry used when none is given: it encodes and decodes only top-level values of the built-in JDK types.
     *
     * @return a registry with no application types: only the built-in top-level JDK types
     */
    public static TypeRegistry empty() {
        return EMPTY;
    }

    /**
     * Starts an empty registry; add types with {@link Builder#register(Class, String)}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Looks up the permanent name used when encoding a value of {@code type}.
     *
     * @param type the exact class of a value (subclasses are not matched)
     * @return the name {@code type} is written under, or empty if it is not registered (built-ins excluded)
     */
    public Optional<String> nameOf(Class<?> type) {
        return Optional.ofNullable(namesByType.get(type));
    }

    /**
     * Looks up the class that bytes written under {@code name} decode to.
     *
     * @param name a name read from encoded bytes
     * @return the type registered under {@code name} or an alias of it, or empty (built-ins excluded)
     */
    public Optional<Class<?>> typeOf(String name) {
        return Optional.ofNullable(typesByName.get(name));
    }

    /**
     * Tells whether values of {@code type} may be encoded.
     *
     * @param type the exact class to check
     * @return whether {@code type} is registered
     */
    public boolean isRegistered(Class<?> type) {
        return namesByType.containsKey(type);
    }

    /**
     * All registrations, by type (aliases are not listed here; see {@link #names()}).
     *
     * @return every registered type with its name, in registration order; unmodifiable
     */
    public Map<Class<?>, String> types() {
        return namesByType;
    }

    /**
     * All names this registry decodes, by name: each registered name and each alias.
     *
     * @return every name that decodes, registered names and aliases, with its type; unmodifiable
     */
    public Map<String, Class<?>> names() {
        return typesByName;
    }

    /**
     * Tells whether {@code name} is reserved for a top-level JDK value (such as {@value #STRING}) and so cannot be
     * registered.
     *
     * @param name a type name
     * @return whether {@code name} is one of the built-in names of top-level JDK values
     */
    public static boolean isBuiltInName(String name) {
        return BUILT_IN_NAMES.contains(name);
    }

    @Override
    public String toString() {
        return "TypeRegistry" + typesByName.keySet();
    }

    /** Collects registrations, checking each at once; {@link #build()} makes the immutable registry. */
    public static final class Builder {
        private final Map<Class<?>, String> namesByType = new LinkedHashMap<>();
        private final Map<String, Class<?>> typesByName = new LinkedHashMap<>();
        private final Map<String, Class<?>> aliases = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Registers {@code type} under the permanent {@code name} written into encoded bytes.
         *
         * @param type a record, enum or POJO that Jackson can construct
         * @param name its permanent name: not blank, at most 255 UTF-8 bytes, no control characters, not built in
         * @return this builder
         * @throws IllegalArgumentException if the type or name is already taken, the name is built in or
         *                                  malformed, or the type cannot be decoded (abstract, inner, no creator)
         */
        public Builder register(Class<?> type, String name) {
            checkName(name);
            checkDecodable(type);
            if (namesByType.containsKey(type)) {
                throw new IllegalArgumentException(type.getName() + " is already registered as '"
                        + namesByType.get(type) + "'");
            }
            namesByType.put(type, name);
            typesByName.put(name, type);
            return this;
        }

        /**
         * Makes data written under {@code oldName} decode as {@code type}, which must also be
         * {@linkplain #register registered} (under its new name) by the time {@link #build()} runs.
         *
         * @param oldName a name that older data was written under
         * @param type    the class that data now decodes to
         * @return this builder
         * @throws IllegalArgumentException if the name is already taken, built in or malformed
         */
        public Builder alias(String oldName, Class<?> type) {
            checkName(oldName);
            if (type == null) {
                throw new IllegalArgumentException("alias '" + oldName + "' needs a type");
            }
            aliases.put(oldName, type);
            return this;
        }

        /**
         * Makes the registry from the registrations and aliases so far; the builder can go on being used.
         *
         * @return the immutable registry
         * @throws IllegalArgumentException if an alias points at a type that was not registered
         */
        public TypeRegistry build() {
            Map<String, Class<?>> all = new LinkedHashMap<>(typesByName);
            aliases.forEach((name, type) -> {
                if (!namesByType.containsKey(type)) {
                    throw new IllegalArgumentException("alias '" + name + "' points at " + type.getName()
                            + ", which is not registered; register it under its current name too");
                }
                all.put(name, type);
            });
            return new TypeRegistry(namesByType, all);
        }

        private void checkName(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a type name must not be null or blank");
            }
            if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw new IllegalArgumentException("type name longer than " + MAX_NAME_BYTES + " bytes: " + name);
            }
            if (name.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("type name contains control characters: " + name.strip());
            }
            if (BUILT_IN_NAMES.contains(name)) {
                throw new IllegalArgumentException("'" + name + "' is a built-in type name; choose another");
            }
            if (typesByName.containsKey(name) || aliases.containsKey(name)) {
                Class<?> holder = typesByName.containsKey(name) ? typesByName.get(name) : aliases.get(name);
                throw new IllegalArgumentException("type name '" + name + "' is already taken by "
                        + holder.getName());
            }
        }

        private static void checkDecodable(Class<?> type) {
            if (type == null) {
                throw new IllegalArgumentException("type must not be null");
            }
            String why = undecodableReason(type);
            if (why != null) {
                throw new IllegalArgumentException("cannot register " + type.getName() + ": " + why);
            }
        }

        private static String undecodableReason(Class<?> type) {
            if (type.isPrimitive() || type.isArray() || type.isInterface() || type.isAnnotation()) {
                return "only records, enums and concrete classes can be registered";
            }
            if (JdkTypes.isJdk(type)) {
                return "JDK types are built in and cannot be registered";
            }
            if (type.isEnum() || type.isRecord()) {
                return null;
            }
            if (Modifier.isAbstract(type.getModifiers())) {
                return "abstract classes cannot be instantiated";
            }
            if (type.isAnonymousClass() || type.isLocalClass()
                    || (type.isMemberClass() && !Modifier.isStatic(type.getModifiers()))) {
                return "anonymous, local and non-static inner classes cannot be instantiated; make it static";
            }
            return hasCreator(type) ? null
                    : "it needs a no-argument constructor or a @JsonCreator constructor or factory method";
        }

        private static boolean hasCreator(Class<?> type) {
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (c.getParameterCount() == 0 || isCreator(c.getDeclaredAnnotations())) {
                    return true;
                }
            }
            for (Method m : type.getDeclaredMethods()) {
                if (Modifier.isStatic(m.getModifiers()) && isCreator(m.getDeclaredAnnotations())) {
                    return true;
                }
            }
            return false;
        }

        private static boolean isCreator(java.lang.annotation.Annotation[] annotations) {
            for (java.lang.annotation.Annotation a : annotations) {
                if (a.annotationType() == com.fasterxml.jackson.annotation.JsonCreator.class) {
                    return true;
                }
            }
            return false;
        }
    }
}
