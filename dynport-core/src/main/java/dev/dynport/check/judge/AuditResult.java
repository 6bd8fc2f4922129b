package dev.dynport.check.judge;

import dev.dynport.check.acquire.AcquisitionException;
import dev.dynport.check.model.CaptureInfo;
import dev.dynport.check.model.DynamicRange;
import dev.dynport.check.model.ExcludedRanges;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.State;
import java.util.List;
import java.util.Map;

/**
 * What {@code --audit} found: every listener that matters, grouped by kind and then by process, as a tree both
 * renderers print. Listeners outside the dynamic range and every reservation are only counted.
 *
 * @param state OK once every section it needs was read (an audit reports, it does not alert); UNKNOWN otherwise
 * @param remediation the commands that keep the exposed and blocked ports, in the order that works (run only those
 *     for ports that must stay fixed)
 * @param problems why the state is UNKNOWN; each names the section or the acquisition failure
 */
public record AuditResult(
        State state,
        String summary,
        List<Group> groups,
        int outsideRange,
        Map<Family, DynamicRange> dynamicRanges,
        Map<Family, ExcludedRanges> exclusions,
        List<String> remediation,
        List<String> notes,
        List<String> problems,
        AcquisitionException.Failure failure,
        List<PerfDatum> perfdata,
        CaptureInfo captureInfo) {

    public AuditResult {
        groups = List.copyOf(groups);
        dynamicRanges = Map.copyOf(dynamicRanges);
        exclusions = Map.copyOf(exclusions);
        remediation = List.copyOf(remediation);
        notes = List.copyOf(notes);
        problems = List.copyOf(problems);
        perfdata = List.copyOf(perfdata);
    }

    /** Why a listener is listed; the order is the order of the groups in the output. */
    public enum Kind {
        /** Inside the dynamic range without any exclusion: the allocator can hand the port out while it is free. */
        EXPOSED,
        /** Inside an unmarked (system) reservation: a re-bind of the port fails with WSAEACCES (10013). */
        RESERVED,
        /** An RPC endpoint the endpoint mapper assigned from the dynamic range: moves at the next start, harmless. */
        RPC_DYNAMIC,
        /** System (http.sys) listening on its own single-port reservation: what the reservation is for. */
        RESERVATION_HOLDER,
        /** Inside the dynamic range and covered by an administered exclusion. */
        PROTECTED
    }

    /** One process's listeners of one kind. {@code image} is "?" when tasklist does not list the PID. */
    public record Group(Kind kind, int pid, String image, List<String> services, List<Listener> listeners) {
        public Group {
            services = List.copyOf(services);
            listeners = List.copyOf(listeners);
        }
    }

    /**
     * One port a process listens on, across the families where it is of the group's kind.
     *
     * @param label what the port is known as (a watched port's label, a Windows service), or null
     * @param addresses the local addresses as netstat printed them ({@code 0.0.0.0:9955}, {@code [::]:9955})
     * @param detail the reservation or exclusion that decides the kind, or "" where the kind says it all
     */
    public record Listener(int port, String label, List<Family> families, List<String> addresses, String detail) {
        public Listener {
            families = List.copyOf(families);
            addresses = List.copyOf(addresses);
        }
    }

    /** The result of an audit that got no snapshot: only the reason, in the state {@code run.CheckRun} maps. */
    public static AuditResult acquisitionFailed(AcquisitionException e, State state) {
        return new AuditResult(state, e.getMessage(), List.of(), 0, Map.of(), Map.of(), List.of(), List.of(),
                List.of(e.getMessage()), e.failure(), List.of(), null);
    }
}
