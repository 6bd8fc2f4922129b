package dev.dynport.check.judge;

import dev.dynport.check.model.Family;
import dev.dynport.check.model.State;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything found about one watched port, across both families: the findings, who holds it, and what to do about
 * it, as data for every face (the CLI prints the host-wide list, the agent's port events carry these).
 *
 * @param remediation this port's commands in the order that works (a subset of the host-wide list)
 * @param notes the notes about this port (what to do first about a holder or a system reservation, ...)
 */
public record PortReport(WatchedPort port, List<Finding> findings, List<Holder> holders, List<String> remediation,
        List<String> notes) {
    public PortReport {
        findings = List.copyOf(findings);
        holders = List.copyOf(holders);
        remediation = List.copyOf(remediation);
        notes = List.copyOf(notes);
    }

    /** Before remediation is known. */
    public PortReport(WatchedPort port, List<Finding> findings, List<Holder> holders) {
        this(port, findings, holders, List.of(), List.of());
    }

    PortReport withAdvice(List<String> remediation, List<String> notes) {
        return new PortReport(port, findings, holders, remediation, notes);
    }

    // Loops, not streams: these run for every port of every check, first at start-up (docs/startup.md).
    public State state() {
        State worst = State.OK;
        for (Finding f : findings) {
            worst = State.worst(worst, f.state());
        }
        return worst;
    }

    public State state(Family family) {
        State worst = State.OK;
        for (Finding f : findings) {
            if (f.family() == family) {
                worst = State.worst(worst, f.state());
            }
        }
        return worst;
    }

    public List<Finding> findings(Family family) {
        List<Finding> of = new ArrayList<>();
        for (Finding f : findings) {
            if (f.family() == family) {
                of.add(f);
            }
        }
        return List.copyOf(of);
    }
}
