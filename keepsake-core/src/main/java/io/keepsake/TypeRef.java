package io.keepsake;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.Objects;

/**
 * A full generic type, captured from an anonymous subclass, for values whose class alone does not say enough:
 *
 * <pre>{@code
 * DurableRef<Map<String, Long>> counts = Keepsake.ref(new TypeRef<Map<String, Long>>() { })
 *         .store(store).key("counts").initial(Map.of()).open();
 * }</pre>
 *
 * <p>A value stored under a type token is decoded to that full type (a {@code Map<String, Long>} holds {@code Long}
 * values, a {@code List<Item>} holds {@code Item} records), not to the loose types a raw {@code Map.class} or
 * {@code List.class} would give. The element types must still be JDK types or registered application types.
 * Immutable.
 *
 * @param <T> the captured type
 */
public abstract class TypeRef<T> {
    private final Type type;
    private final Class<?> rawType;

    /**
     * Captures the type argument of the anonymous subclass being created.
     *
     * @throws IllegalArgumentException if the subclass does not give a concrete type argument (no type variables)
     */
    protected TypeRef() {
        Type superclass = getClass().getGenericSuperclass();
        if (!(superclass instanceof ParameterizedType p) || p.getRawType() != TypeRef.class) {
            throw new IllegalArgumentException("create a TypeRef as an anonymous subclass with a type argument,"
                    + " such as new TypeRef<Map<String, Long>>() { }");
        }
        this.type = p.getActualTypeArguments()[0];
        if (type instanceof TypeVariable<?>) {
            throw new IllegalArgumentException("a TypeRef needs a concrete type, not the type variable " + type);
        }
        this.rawType = rawOf(type);
    }

    /**
     * The full generic type the anonymous subclass named, which values stored under this token decode to.
     *
     * @return the captured type, such as {@code java.util.Map<java.lang.String, java.lang.Long>}
     */
    public final Type type() {
        return type;
    }

    /**
     * The erased class of {@link #type()} (for an array type, the array class).
     *
     * @return the class of the captured type, such as {@code java.util.Map}
     */
    public final Class<?> rawType() {
        return rawType;
    }

    private static Class<?> rawOf(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        if (type instanceof java.lang.reflect.GenericArrayType a) {
            return java.lang.reflect.Array.newInstance(rawOf(a.getGenericComponentType()), 0).getClass();
        }
        throw new IllegalArgumentException("a TypeRef needs a concrete type, got " + type);
    }

    @Override
    public final boolean equals(Object o) {
        return o instanceof TypeRef<?> other && type.equals(other.type);
    }

    @Override
    public final int hashCode() {
        return Objects.hash(type);
    }

    @Override
    public final String toString() {
        return "TypeRef[" + type.getTypeName() + "]";
    }
}
