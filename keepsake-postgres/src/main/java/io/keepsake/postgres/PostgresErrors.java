package io.keepsake.postgres;

import java.sql.SQLException;

/** Classifies JDBC failures and words them for {@link io.keepsake.StorageException}s. */
final class PostgresErrors {
    private PostgresErrors() {
    }

    /** @return whether the connection broke (class 08) or the server ended the session (57P01-57P03) */
    static boolean isConnectionLost(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            String state = s.getSQLState();
            if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                    || state.equals("57P03"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return "{@code <store>: <what> failed: <SQLState> <reason>}", plus a note when a write's outcome is unknown.
     *         PostgreSQL JDBC messages name hosts, users and SQL, never a password.
     */
    static String message(String store, String what, SQLException e, boolean outcomeUnknown) {
        StringBuilder b = new StringBuilder(store).append(": ").append(what).append(" failed: ");
        if (e.getSQLState() != null) {
            b.append('[').append(e.getSQLState()).append("] ");
        }
        b.append(e.getMessage());
        if (outcomeUnknown) {
            b.append(" (the connection broke during the write: it may or may not have been applied; read the key"
                    + " to find out)");
        }
        return b.toString();
    }
}
