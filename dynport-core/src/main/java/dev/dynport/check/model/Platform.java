package dev.dynport.check.model;

/**
 * The operating system whose outputs a snapshot holds. Each has its own sections (see
 * {@code acquire.Section#platform()}); the rules are the same, the words of findings and the remediation differ.
 */
public enum Platform {
    WINDOWS("windows"),
    LINUX("linux");

    private final String label;

    Platform(String label) {
        this.label = label;
    }

    /** The word in {@code --platform}, section names ({@code linux-...}) and JSON. */
    public String label() {
        return label;
    }
}
