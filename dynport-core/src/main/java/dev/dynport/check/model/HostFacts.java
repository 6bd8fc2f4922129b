package dev.dynport.check.model;

import java.util.Map;
import java.util.Objects;

/**
 * Everything read from one host, parsed. A family is absent from a map when its section was missing or
 * unreadable; the judge then reports UNKNOWN for it rather than guessing. {@code services} and
 * {@code settings} come from optional sections (snapshots taken before they existed lack them). On Linux
 * ({@code platform}) both families share one range and one reservation list, every reservation is administered,
 * the process table comes from ss, and services and settings are empty.
 */
public record HostFacts(
        Map<Family, DynamicRange> dynamicRanges,
        Map<Family, ExcludedRanges> exclusions,
        NetstatTable netstat,
        ProcessTable processes,
        ServiceFacts services,
        BackendSettings settings,
        Platform platform) {
    public HostFacts {
        dynamicRanges = Map.copyOf(dynamicRanges);
        exclusions = Map.copyOf(exclusions);
        Objects.requireNonNull(services);
        Objects.requireNonNull(settings);
        Objects.requireNonNull(platform);
    }

    /** A Windows host's facts (every source before the Linux backend). */
    public HostFacts(Map<Family, DynamicRange> dynamicRanges, Map<Family, ExcludedRanges> exclusions,
            NetstatTable netstat, ProcessTable processes, ServiceFacts services, BackendSettings settings) {
        this(dynamicRanges, exclusions, netstat, processes, services, settings, Platform.WINDOWS);
    }

    /** The same facts with another socket table (the judge widens the kept ports). */
    public HostFacts withNetstat(NetstatTable table) {
        return new HostFacts(dynamicRanges, exclusions, table, processes, services, settings, platform);
    }

    public HostFacts(Map<Family, DynamicRange> dynamicRanges, Map<Family, ExcludedRanges> exclusions,
            NetstatTable netstat, ProcessTable processes) {
        this(dynamicRanges, exclusions, netstat, processes, ServiceFacts.NONE, BackendSettings.NONE);
    }
}
