package io.keepsake;

import java.io.File;
import java.nio.file.Path;

/** What a test needs to start a second JVM on this test run's classes. */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** @return the {@code java} launcher of the running JVM */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The class path for a child JVM. Surefire runs core's tests on the module path, where the main classes and
     * their dependencies are on {@code jdk.module.path}, not {@code java.class.path}; the child gets both on its
     * class path, where the module descriptor does not apply.
     */
    public static String classPath() {
        String classPath = System.getProperty("java.class.path", "");
        String modulePath = System.getProperty("jdk.module.path", "");
        if (modulePath.isEmpty()) {
            return classPath;
        }
        return classPath.isEmpty() ? modulePath : classPath + File.pathSeparator + modulePath;
    }
}
