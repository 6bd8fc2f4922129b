package dev.dynport.probe.schedule;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Scheduled tasks that keep their schedule whatever they throw. */
final class SafeTask {
    private static final Logger LOG = Logger.getLogger(SafeTask.class.getName());

    private SafeTask() {
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
