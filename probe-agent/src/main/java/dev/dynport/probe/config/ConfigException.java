package dev.dynport.probe.config;

/** Bad configuration: the message names the JSON path and the bad value, e.g. {@code /sinks/1/url must be ... [ftp://x]}. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
