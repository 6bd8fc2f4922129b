package dev.dynport.probe.schedule;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Threads named {@code prefix-N}, so a thread dump says what each one does. */
final class NamedThreads implements ThreadFactory {
    private static final Logger LOG = Logger.getLogger(NamedThreads.class.getName());
    private final String prefix;
    private final AtomicInteger next = new AtomicInteger(1);

    NamedThreads(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread t = new Thread(r, prefix + "-" + next.getAndIncrement());
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((th, e) -> LOG.log(Level.SEVERE, "uncaught in " + th.getName(), e));
        return t;
    }

    /**
     * The top-level catch of every scheduled task: an exception escaping a {@code ScheduledExecutorService} task
     * silently cancels all its later runs, so nothing may escape. Only VM errors (out of memory) go on.
     */
    static Runnable safely(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                LOG.log(Level.SEVERE, what + " failed: " + e, e);
            }
        };
    }
}
