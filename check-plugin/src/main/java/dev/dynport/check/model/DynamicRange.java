package dev.dynport.check.model;

/**
 * The TCP dynamic (ephemeral) port range of one family. {@code count} is a number of ports, so the last port
 * is {@code start + count - 1} (KB929851).
 */
public record DynamicRange(int start, int count) {
    public DynamicRange {
        if (start < 1 || start > 65535) {
            throw new IllegalArgumentException("start port out of range [" + start + "]");
        }
        if (count < 1 || count > 65536 - start) { // not start + count - 1: that overflows for a huge count
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
