package dev.dynport.probe.health;

import dev.dynport.check.model.State;

/**
 * Consecutive-sample confirmation, as in SCOM's consecutive-sample monitors: a new state becomes the confirmed
 * state only after {@code required} samples in a row showed it. A sample equal to the confirmed state resets a
 * pending candidate. Before the first confirmation the confirmed state is null ("none"), and the first state is
 * also confirmed only after {@code required} agreeing samples. Not thread-safe: the owner serializes.
 */
final class Debouncer {
    private final int required;
    private State confirmed;
    private State candidate;
    private int count;

    Debouncer(int required) {
        if (required < 1) {
            throw new IllegalArgumentException("consecutive samples must be at least 1 [" + required + "]");
        }
        this.required = required;
    }

    /** A confirmed change, from {@code previous} (null: first confirmation) to {@code current}. */
    record Change(State previous, State current) {
    }

    /** @return the confirmed change this sample completes, or null */
    Change sample(State observed) {
        if (observed == confirmed) {
            candidate = null;
            count = 0;
            return null;
        }
        if (observed == candidate) {
            count++;
        } else {
            candidate = observed;
            count = 1;
        }
        if (count < required) {
            return null;
        }
        Change change = new Change(confirmed, observed);
        confirmed = observed;
        candidate = null;
        count = 0;
        return change;
    }

    State confirmed() {
        return confirmed;
    }

    /** The state waiting for confirmation and how many samples it has, for logs ("WARNING 1/2"); null if none. */
    String pending() {
        return candidate == null ? null : candidate + " " + count + "/" + required;
    }
}
