package dev.dynport.check.model;

/** Address family; netsh keeps a separate dynamic range and exclusion list for each. */
public enum Family {
    IPV4("ipv4"),
    IPV6("ipv6");

    private final String label;

    Family(String label) {
        this.label = label;
    }

    /** The word netsh uses ({@code netsh int ipv4 ...}), also used in perfdata labels and JSON keys. */
    public String label() {
        return label;
    }
}
