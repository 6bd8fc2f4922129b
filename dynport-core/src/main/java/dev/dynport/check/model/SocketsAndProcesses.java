package dev.dynport.check.model;

import java.util.Objects;

/**
 * What {@code ss -tanpH} gives in one output: the sockets, and the processes it names for them (Linux has no
 * separate process listing in the capture, so the process table is built from the same lines).
 */
public record SocketsAndProcesses(NetstatTable netstat, ProcessTable processes) {
    public SocketsAndProcesses {
        Objects.requireNonNull(netstat);
        Objects.requireNonNull(processes);
    }
}
