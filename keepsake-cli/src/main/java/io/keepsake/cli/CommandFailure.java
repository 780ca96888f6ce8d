package io.keepsake.cli;

/** A verb cannot do its work for a reason the user can fix; reported as one line with an exit code. */
final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    CommandFailure(String message) {
        this(message, Main.FAILED);
    }

    CommandFailure(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
