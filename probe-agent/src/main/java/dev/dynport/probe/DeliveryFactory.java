package dev.dynport.probe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dynport.probe.config.ConfigException;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Builds the delivery side from the opaque {@code /spool} and {@code /sinks} config sections (either may be a
 * missing node). {@link #validate} runs with the rest of the config validation and must throw one
 * {@link ConfigException} whose message holds one path-qualified error per line.
 */
public interface DeliveryFactory {
    void validate(JsonNode spool, JsonNode sinks, Map<String, String> env) throws ConfigException;

    Delivery open(JsonNode spool, JsonNode sinks, Map<String, String> env, Clock clock)
            throws ConfigException, IOException;

    /**
     * MERGE SEAM: the durable spool and sinks ({@code dev.dynport.probe.sink.DeliveryPipeline}) are built on
     * another branch. Until they are wired in {@link ProbeAgentMain#DELIVERY}, events are only written to the log
     * (one line each, by the agent) and the spool/sinks sections are not checked.
     */
    static DeliveryFactory logOnly() {
        return new DeliveryFactory() {
            @Override
            public void validate(JsonNode spool, JsonNode sinks, Map<String, String> env) {
            }

            @Override
            public Delivery open(JsonNode spool, JsonNode sinks, Map<String, String> env, Clock clock) {
                Logger.getLogger(DeliveryFactory.class.getName()).warning(
                        "no delivery pipeline in this build: events are only written to the log");
                return Delivery.of(e -> { }, java.util.List::of, () -> { }, () -> { });
            }
        };
    }
}
