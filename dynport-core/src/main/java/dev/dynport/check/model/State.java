package dev.dynport.check.model;

/**
 * Plugin states and their exit codes (Monitoring Plugins guidelines).
 *
 * <p>Severity order, written once here: OK &lt; UNKNOWN &lt; WARNING &lt; CRITICAL. UNKNOWN ranks above OK so
 * that an unreadable input can never be hidden behind an OK; it ranks below WARNING and CRITICAL so a known
 * problem is not masked by a side issue (like Monitoring Plugins' {@code max_state_alt}).
 */
public enum State {
    OK(0, 0),
    WARNING(1, 2),
    CRITICAL(2, 3),
    UNKNOWN(3, 1);

    private final int exitCode;
    private final int severity;

    State(int exitCode, int severity) {
        this.exitCode = exitCode;
        this.severity = severity;
    }

    public int exitCode() {
        return exitCode;
    }

    public static State worst(State a, State b) {
        return a.severity >= b.severity ? a : b;
    }

    public boolean isWorseThan(State other) {
        return severity > other.severity;
    }
}
