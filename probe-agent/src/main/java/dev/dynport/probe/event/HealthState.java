package dev.dynport.probe.event;

import dev.dynport.check.model.State;

/** SCOM-style monitor health, derived one-to-one from the check's plugin state. */
public enum HealthState {
    HEALTHY,
    WARNING,
    CRITICAL,
    UNKNOWN;

    public static HealthState of(State state) {
        return switch (state) {
            case OK -> HEALTHY;
            case WARNING -> WARNING;
            case CRITICAL -> CRITICAL;
            case UNKNOWN -> UNKNOWN;
        };
    }

    public State toState() {
        return switch (this) {
            case HEALTHY -> State.OK;
            case WARNING -> State.WARNING;
            case CRITICAL -> State.CRITICAL;
            case UNKNOWN -> State.UNKNOWN;
        };
    }
}
