package dev.dynport.check.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The whole exclusion table of one family; may be empty (no rows is a valid table). */
public record ExcludedRanges(List<ExcludedRange> ranges) {
    public ExcludedRanges {
        ranges = List.copyOf(ranges);
    }

    // Loops, not streams: called per watched port and family in every check, first at start-up (docs/startup.md).
    public List<ExcludedRange> covering(int port) {
        List<ExcludedRange> covering = new ArrayList<>();
        for (ExcludedRange r : ranges) {
            if (r.contains(port)) {
                covering.add(r);
            }
        }
        return List.copyOf(covering);
    }

    public Optional<ExcludedRange> administeredCovering(int port) {
        return first(port, true);
    }

    public Optional<ExcludedRange> systemCovering(int port) {
        return first(port, false);
    }

    private Optional<ExcludedRange> first(int port, boolean administered) {
        for (ExcludedRange r : ranges) {
            if (r.administered() == administered && r.contains(port)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
