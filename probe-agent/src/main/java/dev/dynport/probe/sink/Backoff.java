package dev.dynport.probe.sink;

import java.time.Duration;

/**
 * Exponential backoff with "equal jitter": after the n-th consecutive failed attempt the wait is
 * {@code b/2 + r*b/2} with {@code b = min(max, initial * 2^(n-1))} and {@code r} uniform in [0, 1). Never below
 * half the nominal delay (so a broken receiver is not hammered), never above {@code max}.
 */
public record Backoff(Duration initial, Duration max) {
    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max [" + initial + ", " + max + "]");
        }
    }

    /** @param failures consecutive failed attempts so far, 1 or more; @param r uniform in [0, 1) */
    public Duration delay(int failures, double r) {
        long initialMs = initial.toMillis();
        long maxMs = max.toMillis();
        long nominal = maxMs;
        int shift = Math.max(0, failures - 1);
        if (shift < 40 && initialMs << shift > 0 && (initialMs << shift) < maxMs) {
            nominal = initialMs << shift;
        }
        double clamped = Math.min(Math.max(r, 0.0), 1.0);
        return Duration.ofMillis(nominal / 2 + Math.round(clamped * (nominal - nominal / 2)));
    }
}
