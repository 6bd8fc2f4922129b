package dev.dynport.check.model;

import java.util.List;

/** One row of {@code tasklist /svc /fo csv /nh}: a process and the services it hosts (empty for N/A). */
public record ProcessInfo(int pid, String image, List<String> services) {
    public ProcessInfo {
        services = List.copyOf(services);
    }
}
