package dev.dynport.check.judge;

import dev.dynport.check.model.DynamicRange;
import dev.dynport.check.model.ExcludedRange;
import dev.dynport.check.model.ExcludedRanges;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.HostFacts;
import dev.dynport.check.model.PortTally;
import dev.dynport.check.model.ProcessInfo;
import dev.dynport.check.model.State;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Counts {@link DynamicUsage} per family from the netstat tally, the range and the exclusions. A family is left
 * out, never counted as 0, when any of the three is unknown: its range or its exclusion table was not read, or
 * netstat was not. Those are problems already, so the result is UNKNOWN whatever the thresholds say.
 */
final class UsageCount {
    /** How many consumers the long output and JSON list per family. */
    static final int TOP = 5;

    private UsageCount() {
    }

    static List<DynamicUsage> of(HostFacts facts, boolean netstatRead, UsageThresholds thresholds) {
        List<DynamicUsage> usage = new ArrayList<>();
        if (!netstatRead) {
            return usage;
        }
        PortTally tally = facts.netstat().tally();
        Map<Integer, ProcessInfo> processes = facts.processes().indexByPid();
        for (Family family : Family.values()) {
            DynamicRange range = facts.dynamicRanges().get(family);
            ExcludedRanges exclusions = facts.exclusions().get(family);
            if (range == null || exclusions == null) {
                continue;
            }
            BitSet candidates = new BitSet(65536);
            candidates.set(range.start(), range.end() + 1);
            for (ExcludedRange x : exclusions.ranges()) {
                candidates.clear(x.start(), x.end() + 1);
            }
            int available = candidates.cardinality();
            int excluded = range.count() - available;
            int used = tally.used(family, candidates);
            List<Map.Entry<Integer, Integer>> byCount = new ArrayList<>(tally.usedByPid(family, candidates).entrySet());
            byCount.sort(MOST_PORTS_FIRST);
            List<DynamicUsage.Consumer> top = new ArrayList<>();
            for (Map.Entry<Integer, Integer> e : byCount) {
                if (top.size() == TOP) {
                    break;
                }
                top.add(consumer(e.getKey(), e.getValue(), processes));
            }
            Threshold.Resolved warning = thresholds.warning() == null ? null : thresholds.warning().resolve(available);
            Threshold.Resolved critical = thresholds.critical() == null ? null
                    : thresholds.critical().resolve(available);
            State state = critical != null && critical.alerts(used) ? State.CRITICAL
                    : warning != null && warning.alerts(used) ? State.WARNING : State.OK;
            usage.add(new DynamicUsage(family, range, excluded, available, used, top, warning, critical, state));
        }
        return usage;
    }

    /**
     * Most ports first, then the lower PID. A named class, not {@code Comparator.comparing}: the JDK spins the
     * classes of its lambdas at run time, on the check's start-up path (docs/startup.md).
     */
    private static final Comparator<Map.Entry<Integer, Integer>> MOST_PORTS_FIRST = new MostPortsFirst();

    private static final class MostPortsFirst implements Comparator<Map.Entry<Integer, Integer>> {
        @Override
        public int compare(Map.Entry<Integer, Integer> a, Map.Entry<Integer, Integer> b) {
            int byPorts = Integer.compare(b.getValue(), a.getValue());
            return byPorts != 0 ? byPorts : Integer.compare(a.getKey(), b.getKey());
        }
    }

    /** What PID 0 stands for in netstat: sockets without a process, TIME_WAIT above all (not "System Idle Process"). */
    static final String OWNERLESS = "(TIME_WAIT)";

    private static DynamicUsage.Consumer consumer(int pid, int ports, Map<Integer, ProcessInfo> processes) {
        if (pid == 0) {
            return new DynamicUsage.Consumer(pid, OWNERLESS, List.of(), ports);
        }
        ProcessInfo p = processes.get(pid);
        if (p == null) {
            // ended between netstat and tasklist
            return new DynamicUsage.Consumer(pid, "?", List.of(), ports);
        }
        return new DynamicUsage.Consumer(pid, p.image(), p.services(), ports);
    }
}
