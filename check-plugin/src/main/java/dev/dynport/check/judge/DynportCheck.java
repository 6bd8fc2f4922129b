package dev.dynport.check.judge;

import dev.dynport.check.acquire.AcquisitionException;
import dev.dynport.check.acquire.Snapshot;
import dev.dynport.check.acquire.SnapshotSource;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.HostFacts;
import dev.dynport.check.model.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The whole check as a library call: acquire, parse, judge. The CLI and the probe agent both call this. */
public final class DynportCheck {
    private DynportCheck() {
    }

    /**
     * @param unreachableState the state for network failures (UNKNOWN by default; {@code --unreachable-state})
     */
    public static CheckResult run(SnapshotSource source, CheckOptions options, Duration timeout, State unreachableState) {
        Snapshot snapshot;
        try {
            snapshot = source.acquire(timeout);
        } catch (AcquisitionException e) {
            return CheckResult.acquisitionFailed(e, e.failure().network() ? unreachableState : State.UNKNOWN);
        }
        return judge(snapshot, options);
    }

    /** Parses every section of the snapshot and applies the rules. Never throws for bad input: UNKNOWN instead. */
    public static CheckResult judge(Snapshot snapshot, CheckOptions options) {
        SnapshotParsing.Parsed parsed = SnapshotParsing.parse(snapshot);
        HostFacts facts = parsed.facts();
        boolean socketsKnown = parsed.netstatRead() && parsed.tasklistRead();
        WatchList.Result watch = WatchList.build(options, facts);
        List<PortReport> reports = new ArrayList<>();
        for (WatchedPort port : watch.ports()) {
            List<Finding> findings = new ArrayList<>();
            List<Holder> holders = new ArrayList<>();
            for (Family family : Family.values()) {
                PortRules.evaluate(port, family, facts, options, socketsKnown, findings, holders);
            }
            reports.add(new PortReport(port, findings, holders));
        }
        List<String> problems = new ArrayList<>(parsed.problems());
        if (socketsKnown) {
            ServiceVisibility.unseenBackendListeners(facts, watch.ports().stream().map(WatchedPort::port)
                    .collect(Collectors.toSet())).ifPresent(problems::add);
        }
        State state = problems.isEmpty() ? State.OK : State.UNKNOWN;
        for (PortReport report : reports) {
            state = State.worst(state, report.state());
        }
        Remediation.Advice advice = Remediation.advise(reports, facts);
        List<String> notes = new ArrayList<>(watch.notes());
        if (socketsKnown && ServiceVisibility.namesHidden(facts.processes())) {
            notes.add(ServiceVisibility.MISSING_RIGHT + ".");
        }
        notes.addAll(advice.caveats());
        return new CheckResult(state, Summary.of(reports, problems, facts), reports,
                facts.dynamicRanges(), facts.exclusions(), advice.commands(), notes, problems, null,
                Perfdata.of(reports, facts.dynamicRanges(), facts.exclusions()), facts);
    }
}
