package io.keepsake.cli;

import io.keepsake.backup.StateCheck;
import io.keepsake.backup.SystemOpener;
import io.keepsake.store.Store;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * The {@code --verify-state --system CLASS [--classpath JARS]} options of {@code keepsake restore} (a picocli mixin):
 * after a restore, {@link StateCheck#replay} restores again into a scratch directory beside the target, from the
 * snapshot before the newest hashed one, replays with the application's classes and compares the state hashes.
 */
final class StateVerifyOptions {
    @Option(names = "--verify-state", description = {"After the restore, replay with the application's classes",
            "(--system) up to the newest backed-up snapshot that records a state hash, in a scratch directory,",
            "and compare hashes. Exit 1 on a mismatch; a check that is not possible is reported, exit 0."})
    boolean verifyState;

    @Option(names = "--system", paramLabel = "CLASS", description = {"A public class with a no-argument",
            "constructor implementing io.keepsake.backup.SystemOpener: opens the application's system."})
    String system;

    @Option(names = "--classpath", paramLabel = "JARS", description = {"Jars or directories holding CLASS and the",
            "application's classes, separated by the path separator (':', or ';' on Windows)."})
    String classpath;

    /** @throws CommandFailure ({@link Main#USAGE}) if the options do not fit together; call before restoring */
    void validate() {
        if (!verifyState && (system != null || classpath != null)) {
            throw new CommandFailure("--system and --classpath go with --verify-state", Main.USAGE);
        }
        if (verifyState && system == null) {
            throw new CommandFailure("--verify-state needs --system CLASS (a SystemOpener of the application)",
                    Main.USAGE);
        }
    }

    /**
     * Runs the check if asked, after a restore that ended with {@code code}.
     *
     * @return {@code code}, or {@link Main#CORRUPT} on a mismatch, {@link Main#FAILED} if the check failed
     */
    int after(Store store, String prefix, Path target, long lastSequence, int code, PrintWriter out) {
        if (!verifyState || code != Main.OK || lastSequence < 1) {
            return code;
        }
        try (URLClassLoader loader = new URLClassLoader(urls(), StateVerifyOptions.class.getClassLoader())) {
            SystemOpener opener = opener(loader);
            Path parent = target.toAbsolutePath().getParent();
            Path work = Files.createTempDirectory(parent, ".keepsake-verify-state-");
            StateCheck.Result result;
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(loader);
            try {
                result = StateCheck.replay(store, prefix, lastSequence, work, opener);
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
                deleteTree(work);
            }
            out.println("state " + result.status() + switch (result.status()) {
                case MATCH -> ": replayed from " + (result.replayedFrom() == 0 ? "the first event"
                        : "snapshot " + result.replayedFrom()) + " to sequence " + result.sequence() + ", SHA-256 "
                        + result.actual() + " as the backed-up snapshot records";
                default -> (result.sequence() > 0 ? " at sequence " + result.sequence() : "") + ": "
                        + result.reason();
            });
            return switch (result.status()) {
                case MATCH, NOT_CHECKABLE -> code;
                case MISMATCH -> Main.CORRUPT;
                case FAILED -> Main.FAILED;
            };
        } catch (IOException e) {
            throw new UncheckedIOException("the state check's scratch directory: " + e.getMessage(), e);
        }
    }

    private URL[] urls() {
        List<URL> urls = new ArrayList<>();
        if (classpath != null) {
            for (String entry : classpath.split(File.pathSeparator)) {
                if (entry.isBlank()) {
                    continue;
                }
                Path path = Path.of(entry);
                if (!Files.exists(path)) {
                    throw new CommandFailure("--classpath: " + entry + " does not exist", Main.USAGE);
                }
                try {
                    urls.add(path.toUri().toURL());
                } catch (MalformedURLException e) {
                    throw new CommandFailure("--classpath: " + entry + ": " + e.getMessage(), Main.USAGE);
                }
            }
        }
        return urls.toArray(URL[]::new);
    }

    private SystemOpener opener(ClassLoader loader) {
        try {
            Class<?> type = Class.forName(system, true, loader);
            if (!SystemOpener.class.isAssignableFrom(type)) {
                throw new CommandFailure("--system " + system + " does not implement " + SystemOpener.class.getName(),
                        Main.USAGE);
            }
            return (SystemOpener) type.getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new CommandFailure("--system " + system + ": no such class (add its jar with --classpath)",
                    Main.USAGE);
        } catch (NoSuchMethodException | IllegalAccessException | InstantiationException e) {
            throw new CommandFailure("--system " + system + " needs a public no-argument constructor", Main.USAGE);
        } catch (InvocationTargetException e) {
            throw new CommandFailure("--system " + system + ": its constructor threw " + e.getCause());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
