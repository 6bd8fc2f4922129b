package dev.dynport.probe.sink;

import java.time.Duration;

/** Waits between delivery attempts; tests inject one that records the waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
}
