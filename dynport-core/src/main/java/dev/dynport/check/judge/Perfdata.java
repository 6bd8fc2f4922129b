package dev.dynport.check.judge;

import dev.dynport.check.model.DynamicRange;
import dev.dynport.check.model.ExcludedRanges;
import dev.dynport.check.model.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Performance data with stable labels (documented in the README). Port counts count a port once when the
 * finding is present in at least one family. Range and exclusion values appear only for families read; so do
 * the usage items ({@code ipv4_dynamic_used=N;warn;crit;0;available}, after all earlier labels), which are left
 * out, never 0, for a family whose usage could not be counted.
 */
final class Perfdata {
    private Perfdata() {
    }

    static List<PerfDatum> of(List<PortReport> reports, Map<Family, DynamicRange> ranges,
            Map<Family, ExcludedRanges> exclusions, List<DynamicUsage> usage) {
        List<PerfDatum> data = of(reports, ranges, exclusions);
        for (DynamicUsage u : usage) {
            data.add(new PerfDatum(u.label(), u.used(), "", u.warning() == null ? "" : u.warning().perfdata(),
                    u.critical() == null ? "" : u.critical().perfdata(), "0", String.valueOf(u.available())));
        }
        return data;
    }

    static List<PerfDatum> of(List<PortReport> reports, Map<Family, DynamicRange> ranges, Map<Family, ExcludedRanges> exclusions) {
        List<PerfDatum> data = new ArrayList<>();
        data.add(new PerfDatum("watched", reports.size(), ""));
        data.add(new PerfDatum("exposed", count(reports, FindingCode.EXPOSED), ""));
        data.add(new PerfDatum("foreign", count(reports, FindingCode.FOREIGN_HOLDER), ""));
        data.add(new PerfDatum("system_reserved", count(reports, FindingCode.SYSTEM_RESERVED), ""));
        data.add(new PerfDatum("recent_ephemeral", count(reports, FindingCode.RECENT_EPHEMERAL_USE), ""));
        data.add(new PerfDatum("protected", count(reports, FindingCode.PROTECTED), ""));
        data.add(new PerfDatum("not_in_use", count(reports, FindingCode.NOT_IN_USE), ""));
        for (Family family : Family.values()) {
            DynamicRange range = ranges.get(family);
            if (range != null) {
                data.add(new PerfDatum(family.label() + "_dynamic_start", range.start(), ""));
                data.add(new PerfDatum(family.label() + "_dynamic_count", range.count(), ""));
            }
            ExcludedRanges table = exclusions.get(family);
            if (table != null) {
                data.add(new PerfDatum(family.label() + "_exclusions", table.ranges().size(), ""));
            }
        }
        return data;
    }

    private static long count(List<PortReport> reports, FindingCode code) {
        long n = 0;
        for (PortReport r : reports) {
            if (Summary.has(r, code)) {
                n++;
            }
        }
        return n;
    }
}
