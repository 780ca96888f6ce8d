package io.keepsake.internal.format;

/**
 * How the user registers a type, as the codec's error messages put it. A codec over a {@link io.keepsake.format.TypeRegistry} says
 * {@code TypeRegistry.builder().register(...)}; a prevalent system is configured on its own builder, so its codec
 * names that builder's methods instead: the message names the method the user actually has.
 *
 * @see io.keepsake.format.TypeRegistry
 */
public interface RegistrationAdvice {

    /** Advice for values stored through a {@link io.keepsake.format.TypeRegistry} the user builds. */
    RegistrationAdvice TYPE_REGISTRY = new RegistrationAdvice() {
        @Override
        public String register(Class<?> type) {
            return "add it with TypeRegistry.builder().register(" + type.getSimpleName()
                    + ".class, \"<permanent name>\")";
        }

        @Override
        public String alias() {
            return "register it, or add the old name with TypeRegistry.Builder.alias";
        }
    };

    /** @return the clause telling how to register {@code type}, starting with a verb ("add it with ...") */
    String register(Class<?> type);

    /** @return the clause telling what to do about an unknown type name in stored data */
    String alias();
}
