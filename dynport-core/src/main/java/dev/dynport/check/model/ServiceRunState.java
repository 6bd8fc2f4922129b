package dev.dynport.check.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * A service's current state as {@code sc queryex} prints it ({@code STATE : 4  RUNNING}): the SERVICE_STATUS
 * dwCurrentState number and its constant name.
 */
public enum ServiceRunState {
    STOPPED(1),
    START_PENDING(2),
    STOP_PENDING(3),
    RUNNING(4),
    CONTINUE_PENDING(5),
    PAUSE_PENDING(6),
    PAUSED(7);

    private final int code;

    ServiceRunState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The constant name sc.exe prints after the number. */
    public String symbol() {
        return name();
    }

    public static Optional<ServiceRunState> byCode(int code) {
        return Arrays.stream(values()).filter(s -> s.code == code).findFirst();
    }
}
