package dev.dynport.check.judge;

import dev.dynport.check.acquire.AcquisitionException;
import dev.dynport.check.model.CaptureInfo;
import dev.dynport.check.model.DynamicRange;
import dev.dynport.check.model.ExcludedRanges;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.HostFacts;
import dev.dynport.check.model.State;
import java.util.List;
import java.util.Map;

/**
 * The verdict on one host: the tree that both the Nagios text and the JSON renderer print, and that the probe
 * agent turns into events.
 *
 * @param summary the status-line text after {@code DYNPORT STATE - }, free of '|'
 * @param problems why the result is UNKNOWN: sections missing or unparseable, or the acquisition failure
 * @param failure set when no snapshot could be acquired at all (host unreachable, auth, host key, ...)
 * @param evidence the parsed facts, for {@code -v}; null when acquisition failed
 * @param captureInfo host, time and OS version from the snapshot's capture-info section; null when absent or
 *     unreadable (old snapshots have none)
 * @param usage how full each family's dynamic port range is; a family whose usage could not be counted is absent
 */
public record CheckResult(
        State state,
        String summary,
        List<PortReport> ports,
        Map<Family, DynamicRange> dynamicRanges,
        Map<Family, ExcludedRanges> exclusions,
        List<String> remediation,
        List<String> notes,
        List<String> problems,
        AcquisitionException.Failure failure,
        List<PerfDatum> perfdata,
        HostFacts evidence,
        CaptureInfo captureInfo,
        List<DynamicUsage> usage) {

    /** A result without usage figures. */
    public CheckResult(State state, String summary, List<PortReport> ports, Map<Family, DynamicRange> dynamicRanges,
            Map<Family, ExcludedRanges> exclusions, List<String> remediation, List<String> notes,
            List<String> problems, AcquisitionException.Failure failure, List<PerfDatum> perfdata,
            HostFacts evidence, CaptureInfo captureInfo) {
        this(state, summary, ports, dynamicRanges, exclusions, remediation, notes, problems, failure, perfdata,
                evidence, captureInfo, List.of());
    }

    /** A result without capture info. */
    public CheckResult(State state, String summary, List<PortReport> ports, Map<Family, DynamicRange> dynamicRanges,
            Map<Family, ExcludedRanges> exclusions, List<String> remediation, List<String> notes,
            List<String> problems, AcquisitionException.Failure failure, List<PerfDatum> perfdata,
            HostFacts evidence) {
        this(state, summary, ports, dynamicRanges, exclusions, remediation, notes, problems, failure, perfdata,
                evidence, null);
    }

    public CheckResult {
        ports = List.copyOf(ports);
        dynamicRanges = Map.copyOf(dynamicRanges);
        exclusions = Map.copyOf(exclusions);
        remediation = List.copyOf(remediation);
        notes = List.copyOf(notes);
        problems = List.copyOf(problems);
        perfdata = List.copyOf(perfdata);
        usage = List.copyOf(usage);
    }

    /** The result of a check that got no snapshot: no findings, only the reason (state: see run.CheckRun). */
    public static CheckResult acquisitionFailed(AcquisitionException e, State state) {
        return new CheckResult(state, e.getMessage(), List.of(), Map.of(), Map.of(), List.of(), List.of(),
                List.of(e.getMessage()), e.failure(), List.of(), null);
    }
}
