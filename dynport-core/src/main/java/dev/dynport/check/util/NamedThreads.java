package dev.dynport.check.util;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one way the check and the agent make threads: named, so a thread dump says what each one does, and daemon,
 * so nothing a stuck library call holds keeps the JVM (the check's {@code -t}, the agent's bounded shutdown) from
 * ending. An exception that escapes a thread is logged with the thread's name instead of only printed.
 */
public final class NamedThreads implements ThreadFactory {
    private final String name;
    private final AtomicInteger next;

    private NamedThreads(String name, boolean numbered) {
        this.name = name;
        this.next = numbered ? new AtomicInteger(1) : null;
    }

    /** Threads named {@code prefix-1}, {@code prefix-2}, ... (pools). */
    public static NamedThreads numbered(String prefix) {
        return new NamedThreads(prefix, true);
    }

    /** Every thread named exactly {@code name} (single-thread executors). */
    public static NamedThreads named(String name) {
        return new NamedThreads(name, false);
    }

    /** A daemon thread named {@code name} running {@code task}, not yet started. */
    public static Thread daemon(String name, Runnable task) {
        return named(name).newThread(task);
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread t = new Thread(r, next == null ? name : name + "-" + next.getAndIncrement());
        t.setDaemon(true);
        t.setUncaughtExceptionHandler(Uncaught.LOG);
        return t;
    }

    /**
     * Looks the logger up only when something escapes: java.util.logging's set-up (LogManager, its configuration,
     * the service lookup of a logger finder) was about a tenth of a check run that never logs (docs/startup.md).
     */
    private enum Uncaught implements Thread.UncaughtExceptionHandler {
        LOG;

        @Override
        public void uncaughtException(Thread thread, Throwable e) {
            Logger.getLogger(NamedThreads.class.getName()).log(Level.SEVERE, "uncaught in " + thread.getName(), e);
        }
    }
}
