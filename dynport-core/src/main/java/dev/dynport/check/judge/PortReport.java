package dev.dynport.check.judge;

import dev.dynport.check.model.Family;
import dev.dynport.check.model.State;
import java.util.List;

/** Everything found about one watched port, across both families. */
public record PortReport(WatchedPort port, List<Finding> findings, List<Holder> holders) {
    public PortReport {
        findings = List.copyOf(findings);
        holders = List.copyOf(holders);
    }

    public State state() {
        return findings.stream().map(Finding::state).reduce(State.OK, State::worst);
    }

    public State state(Family family) {
        return findings.stream().filter(f -> f.family() == family).map(Finding::state).reduce(State.OK, State::worst);
    }

    public List<Finding> findings(Family family) {
        return findings.stream().filter(f -> f.family() == family).toList();
    }
}
