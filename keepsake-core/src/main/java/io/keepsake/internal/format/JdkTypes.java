package io.keepsake.internal.format;

import com.fasterxml.jackson.databind.JsonNode;

/** Tells JDK classes (which need no registration when nested in a value) from application classes (which do). */
public final class JdkTypes {
    private JdkTypes() {
    }

    /** @return whether {@code type} (or, for arrays, its element type) comes from the JDK or is a Jackson tree */
    public static boolean isJdk(Class<?> type) {
        Class<?> t = type;
        while (t.isArray()) {
            t = t.getComponentType();
        }
        if (t.isPrimitive() || JsonNode.class.isAssignableFrom(t)) {
            return true;
        }
        ClassLoader loader = t.getClassLoader();
        return loader == null || loader == ClassLoader.getPlatformClassLoader();
    }
}
