package dev.dynport.check.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

public record ProcessTable(List<ProcessInfo> processes) {
    public ProcessTable {
        processes = List.copyOf(processes);
    }

    public Optional<ProcessInfo> byPid(int pid) {
        return processes.stream().filter(p -> p.pid() == pid).findFirst();
    }

    public Map<Integer, ProcessInfo> indexByPid() {
        return processes.stream().collect(Collectors.toUnmodifiableMap(ProcessInfo::pid, Function.identity(), (a, b) -> a));
    }
}
