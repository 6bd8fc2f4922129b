package dev.dynport.check.judge;

/** One performance data value; labels are stable and documented in the README. */
public record PerfDatum(String label, long value, String unit) {
}
