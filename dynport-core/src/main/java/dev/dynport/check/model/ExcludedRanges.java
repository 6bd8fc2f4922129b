package dev.dynport.check.model;

import java.util.List;
import java.util.Optional;

/** The whole exclusion table of one family; may be empty (no rows is a valid table). */
public record ExcludedRanges(List<ExcludedRange> ranges) {
    public ExcludedRanges {
        ranges = List.copyOf(ranges);
    }

    public List<ExcludedRange> covering(int port) {
        return ranges.stream().filter(r -> r.contains(port)).toList();
    }

    public Optional<ExcludedRange> administeredCovering(int port) {
        return ranges.stream().filter(r -> r.administered() && r.contains(port)).findFirst();
    }

    public Optional<ExcludedRange> systemCovering(int port) {
        return ranges.stream().filter(r -> !r.administered() && r.contains(port)).findFirst();
    }
}
