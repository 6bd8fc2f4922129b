package dev.dynport.check.model;

import java.util.Map;

/**
 * Everything read from one host, parsed. A family is absent from a map when its section was missing or
 * unreadable; the judge then reports UNKNOWN for it rather than guessing.
 */
public record HostFacts(
        Map<Family, DynamicRange> dynamicRanges,
        Map<Family, ExcludedRanges> exclusions,
        NetstatTable netstat,
        ProcessTable processes) {
    public HostFacts {
        dynamicRanges = Map.copyOf(dynamicRanges);
        exclusions = Map.copyOf(exclusions);
    }
}
