package dev.dynport.probe.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code spool} and {@code sinks} sections as the delivery side read them, once, while the config is loaded:
 * their errors are reported with the rest, and the agent opens delivery from these values without reading JSON
 * again. The config package does not know the delivery types; it hands the sections to a {@link Reader}.
 */
public interface DeliverySettings {
    /** Lines for {@code --validate-config} and the start log, starting {@code spool: } and {@code sinks: }. */
    String describe();

    @FunctionalInterface
    interface Reader {
        /**
         * Reads both sections, adding every error to {@code fields}.
         *
         * @param spool the {@code /spool} section, a missing node when absent
         * @param sinks the {@code /sinks} section, a missing node when absent
         * @return the settings, or null after an error
         */
        DeliverySettings read(FieldReader fields, JsonNode spool, JsonNode sinks);
    }
}
