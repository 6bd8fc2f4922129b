package dev.dynport.check.model;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public record ProcessTable(List<ProcessInfo> processes) {
    public ProcessTable {
        processes = List.copyOf(processes);
    }

    public Optional<ProcessInfo> byPid(int pid) {
        for (ProcessInfo p : processes) {
            if (p.pid() == pid) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The first process listed for each PID. */
    public Map<Integer, ProcessInfo> indexByPid() {
        Map<Integer, ProcessInfo> index = new HashMap<>();
        for (ProcessInfo p : processes) {
            index.putIfAbsent(p.pid(), p);
        }
        return Collections.unmodifiableMap(index);
    }
}
