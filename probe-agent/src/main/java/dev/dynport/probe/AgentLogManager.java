package dev.dynport.probe;

import java.util.logging.LogManager;

/**
 * Keeps logging alive during JVM shutdown. The JDK's LogManager resets (closes and removes every handler) from
 * its own shutdown hook, which runs concurrently with the agent's: the lines that say how the drain and flush went
 * would be lost. This manager ignores resets once shutdown has begun; the handler writes and flushes every record
 * as it comes, so there is nothing left to close. Installed by {@link ProbeAgentMain} through
 * {@code java.util.logging.manager} before the first logger is created.
 */
public final class AgentLogManager extends LogManager {
    public AgentLogManager() {
        super();
    }

    @Override
    public void reset() {
        if (!shuttingDown()) {
            super.reset();
        }
    }

    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> { }, "dynport-shutdown-probe");
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
