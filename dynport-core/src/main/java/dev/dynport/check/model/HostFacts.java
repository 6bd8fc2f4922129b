package dev.dynport.check.model;

import java.util.Map;
import java.util.Objects;

/**
 * Everything read from one host, parsed. A family is absent from a map when its section was missing or
 * unreadable; the judge then reports UNKNOWN for it rather than guessing. {@code services} and
 * {@code settings} come from optional sections (snapshots taken before they existed lack them).
 */
public record HostFacts(
        Map<Family, DynamicRange> dynamicRanges,
        Map<Family, ExcludedRanges> exclusions,
        NetstatTable netstat,
        ProcessTable processes,
        ServiceFacts services,
        BackendSettings settings) {
    public HostFacts {
        dynamicRanges = Map.copyOf(dynamicRanges);
        exclusions = Map.copyOf(exclusions);
        Objects.requireNonNull(services);
        Objects.requireNonNull(settings);
    }

    public HostFacts(Map<Family, DynamicRange> dynamicRanges, Map<Family, ExcludedRanges> exclusions,
            NetstatTable netstat, ProcessTable processes) {
        this(dynamicRanges, exclusions, netstat, processes, ServiceFacts.NONE, BackendSettings.NONE);
    }
}
