package dev.dynport.check.model;

/**
 * One row of {@code netsh ... show excludedportrange}. {@code administered} is the trailing {@code *}: added by
 * an administrator. Unmarked rows are reserved by Hyper-V/WinNAT/HNS and block every application.
 */
public record ExcludedRange(int start, int end, boolean administered) {
    public ExcludedRange {
        if (start < 0 || end > 65535 || end < start) {
            throw new IllegalArgumentException("bad exclusion [" + start + "-" + end + "]");
        }
    }

    public boolean contains(int port) {
        return port >= start && port <= end;
    }
}
