package io.keepsake.prevalent;

import io.keepsake.format.TypeName;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The classes a prevalent builder's {@code register(Class...)} registers, and the names it gives them: a class
 * under its {@link TypeName} or else its simple name; a sealed interface as every record (or enum) it permits,
 * through nested sealed interfaces, so that an exhaustive {@code switch} over the events needs no registration
 * list that can fall out of step with the {@code permits} clause.
 */
final class TypeNames {
    private TypeNames() {
    }

    /** @return the permanent name of {@code type}: its {@link TypeName}, or its simple name */
    static String nameOf(Class<?> type) {
        TypeName annotated = type.getAnnotation(TypeName.class);
        return annotated != null ? annotated.value() : type.getSimpleName();
    }

    /**
     * @return {@code type} itself, or for a sealed interface every record and enum it permits, in declaration order
     * @throws IllegalArgumentException if {@code type} is an interface that is not sealed, or a sealed interface
     *                                  permits a class that is neither a record, an enum nor a sealed interface
     */
    static List<Class<?>> expand(Class<?> type) {
        if (!type.isInterface() || type.isAnnotation()) {
            return List.of(type); // the registry checks that it can be decoded
        }
        if (!type.isSealed()) {
            throw new IllegalArgumentException(type.getName() + " is an interface but not sealed, so its classes "
                    + "cannot be found from it: declare it 'sealed interface " + type.getSimpleName()
                    + " permits ...' with records, or register each record");
        }
        Set<Class<?>> out = new LinkedHashSet<>();
        collect(type, type, out);
        return new ArrayList<>(out);
    }

    private static void collect(Class<?> root, Class<?> sealed, Set<Class<?>> out) {
        for (Class<?> permitted : sealed.getPermittedSubclasses()) {
            if (permitted.isRecord() || permitted.isEnum()) {
                out.add(permitted);
            } else if (permitted.isInterface() && permitted.isSealed()) {
                collect(root, permitted, out);
            } else {
                throw new IllegalArgumentException(permitted.getName() + ", permitted by sealed "
                        + sealed.getName() + (sealed == root ? "" : " (in " + root.getName() + ")")
                        + ", is not a record: event types registered from a sealed interface must be records "
                        + "(or enums, or sealed interfaces of them); make it a record, or register it by itself");
            }
        }
    }
}
