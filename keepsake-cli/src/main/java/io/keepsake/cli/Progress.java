package io.keepsake.cli;

import java.io.Console;
import java.lang.reflect.Method;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A progress bar with rate and ETA on stderr for long runs (backup, restore), shown only when stdout is a terminal,
 * so that scripts, pipes and tests never see it. When hidden, every method does nothing.
 */
final class Progress implements AutoCloseable {
    private final ProgressBar bar; // null when hidden

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /**
     * @param task  the bar's label
     * @param unit  what is counted, such as "records"
     * @param total how many there are, or -1 if not known (an indeterminate bar with the elapsed time)
     */
    static Progress start(String task, String unit, long total) {
        if (!stdoutIsTerminal()) {
            return new Progress(null);
        }
        return new Progress(new ProgressBarBuilder().setTaskName(task).setUnit(" " + unit, 1).setInitialMax(total)
                .showSpeed().continuousUpdate().build());
    }

    void stepTo(long done) {
        if (bar != null) {
            bar.stepTo(done);
        }
    }

    void maxHint(long total) {
        if (bar != null) {
            bar.maxHint(total);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }

    /**
     * JDK 22 and later return a {@link Console} even when the streams are redirected and say through
     * {@code Console.isTerminal()} (looked up reflectively: the module compiles for Java 21, where a console is
     * only returned for a terminal).
     */
    static boolean stdoutIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
