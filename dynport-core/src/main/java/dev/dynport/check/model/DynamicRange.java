package dev.dynport.check.model;

/**
 * The TCP dynamic (ephemeral) port range of one family. {@code count} is a number of ports, so the last port
 * is {@code start + count - 1} (KB929851).
 *
 * <p>Only ranges Windows can hold are values of this type. KB929851 ("The default dynamic port range for TCP/IP
 * has changed since Windows Vista and in Windows Server 2008") says: "The minimum range of ports that can be set
 * is 255. The minimum start port that can be set is 1025. The maximum end port (based on the range being
 * configured) cannot exceed 65535." The lowest start is {@value #MIN_START}, not 1025, because real
 * {@code netsh show dynamicport tcp} captures print {@code Start Port : 1024} (the range left by a Visual Studio
 * installer, 1024 + 64511 ports; a Windows 10 1909 host with 1024 + 13977 ports): whatever set it, Windows holds
 * it, and refusing it would turn a real host into UNKNOWN. The parser refuses anything else with the line; this
 * constructor is the backstop for a future reader that forgets.
 */
public record DynamicRange(int start, int count) {
    /** Lowest start port seen printed by netsh (KB929851 documents 1025 as the lowest that can be set). */
    public static final int MIN_START = 1024;
    /** KB929851: "The minimum range of ports that can be set is 255." */
    public static final int MIN_COUNT = 255;
    public static final int MAX_END = 65535;

    public DynamicRange {
        if (start < MIN_START || start > MAX_END) {
            throw new IllegalArgumentException("start port out of range [" + start + "]");
        }
        // not start + count - 1 > MAX_END: that overflows for a huge count
        if (count < MIN_COUNT || count > MAX_END + 1 - start) {
            throw new IllegalArgumentException("number of ports out of range [" + count + "] for start " + start);
        }
    }

    public int end() {
        return start + count - 1;
    }

    public boolean contains(int port) {
        return port >= start && port <= end();
    }
}
