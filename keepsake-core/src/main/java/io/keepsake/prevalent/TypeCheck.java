package io.keepsake.prevalent;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.keepsake.CodecException;
import io.keepsake.format.TypeRegistry;
import io.keepsake.internal.format.JdkTypes;
import io.keepsake.internal.format.SmileCodec;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The check at open that the state can be snapshotted, so that a class missing from the registry fails
 * {@code open()} instead of the first snapshot, hours later. Two passes, both listing every class to register:
 * <ol>
 *   <li>{@link #declared}, before anything is opened: walks the declared types reachable from the model's class and
 *       the registered classes (fields, record components, type arguments such as {@code Account} in
 *       {@code Map<String, Account>}, permitted classes of sealed types). Finds an {@code Account} in a
 *       {@code Bank} even while the bank is empty.</li>
 *   <li>{@link #encodable}, after recovery: encodes the recovered state once into a discarding stream (the cost of
 *       one snapshot's encoding), finding values whose class the declared types do not show, such as one behind
 *       an {@code Object} or interface field.</li>
 * </ol>
 */
final class TypeCheck {
    /** Says how to turn the check off, at the end of each failure. */
    static final String SWITCH = "checkTypesAtOpen(false) skips this check at open";

    private TypeCheck() {
    }

    /**
     * @param roots    the model's class (unless a JDK type) and the registered classes
     * @param registry what is registered
     * @throws CodecException naming each unregistered class reachable through declared types
     */
    static void declared(Collection<Class<?>> roots, TypeRegistry registry) {
        Walk walk = new Walk(registry);
        for (Class<?> root : roots) {
            walk.visit(root, null);
        }
        if (!walk.missing.isEmpty()) {
            List<String> each = new ArrayList<>();
            walk.missing.forEach((type, where) -> each.add(type.getName() + (where == null ? "" : " (in "
                    + where + ")")));
            throw new CodecException("the prevalent state holds classes that are not registered, so no snapshot "
                    + "of it could be written: " + String.join(", ", each) + ". " + advice(walk.missing.keySet()));
        }
    }

    /**
     * @throws CodecException naming each class that stops {@code state} from being encoded, or, if none can be
     *                        named, saying that the state cannot be encoded and why
     */
    static void encodable(Object state, StateCodec states, Object codec) {
        try {
            states.write(state, OutputStream.nullOutputStream());
        } catch (CodecException e) {
            Set<Class<?>> found = Set.of();
            if (codec instanceof SmileCodec smile) {
                try {
                    found = smile.unregisteredTypesIn(state);
                } catch (RuntimeException | StackOverflowError probe) {
                    e.addSuppressed(probe);
                }
            }
            if (found.isEmpty()) {
                throw new CodecException("the recovered prevalent state cannot be encoded, so no snapshot of it "
                        + "could be written: " + e.getMessage() + " (" + SWITCH + ")", e);
            }
            List<String> names = found.stream().map(Class::getName).toList();
            throw new CodecException("the recovered prevalent state holds values of classes that are not "
                    + "registered (or not supported), so no snapshot of it could be written: "
                    + String.join(", ", names) + ". " + advice(found), e);
        }
    }

    private static String advice(Collection<Class<?>> types) {
        List<String> literals = types.stream().filter(t -> !JdkTypes.isJdk(t))
                .map(t -> t.getSimpleName() + ".class").toList();
        String register = literals.isEmpty() ? "" : "Register them on the prevalent builder: .register("
                + String.join(", ", literals) + "), or .register(type, \"<permanent name>\") for each. ";
        String jdk = literals.size() == types.size() ? "" : "JDK classes other than strings, numbers, byte[], "
                + "java.time, UUID, Optional and collections cannot be stored; hold such values in a registered "
                + "class of your own. ";
        return register + jdk + "(" + SWITCH + ".)";
    }

    /** One walk over declared types. Not thread-safe: used by one open. */
    private static final class Walk {
        private final TypeRegistry registry;
        private final Set<Class<?>> seen = new HashSet<>();
        final Map<Class<?>, String> missing = new LinkedHashMap<>(); // class -> the field it was first met in

        Walk(TypeRegistry registry) {
            this.registry = registry;
        }

        void visit(Type type, String where) {
            if (type instanceof Class<?> c) {
                visitClass(c, where);
            } else if (type instanceof ParameterizedType p) {
                visit(p.getRawType(), where);
                for (Type arg : p.getActualTypeArguments()) {
                    visit(arg, where);
                }
            } else if (type instanceof WildcardType w) {
                for (Type bound : w.getUpperBounds()) {
                    visit(bound, where);
                }
            } else if (type instanceof GenericArrayType a) {
                visit(a.getGenericComponentType(), where);
            } // a type variable says nothing; the encoding pass sees its values
        }

        private void visitClass(Class<?> type, String where) {
            Class<?> c = type;
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (!seen.add(c) || JdkTypes.isJdk(c)) {
                return;
            }
            if (c.isInterface() || Modifier.isAbstract(c.getModifiers()) && !c.isEnum()) {
                if (c.isSealed()) {
                    for (Class<?> permitted : c.getPermittedSubclasses()) {
                        visitClass(permitted, where);
                    }
                }
                return; // an open hierarchy: only the values can tell
            }
            if (!registry.isRegistered(c)) {
                missing.putIfAbsent(c, where);
            }
            if (c.isEnum()) {
                return; // written by name
            }
            for (Class<?> k = c; k != null && !JdkTypes.isJdk(k); k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    int m = f.getModifiers();
                    if (Modifier.isStatic(m) || Modifier.isTransient(m) || f.isSynthetic()
                            || f.isAnnotationPresent(JsonIgnore.class)) {
                        continue;
                    }
                    visit(f.getGenericType(), k.getSimpleName() + "." + f.getName());
                }
            }
        }
    }
}
