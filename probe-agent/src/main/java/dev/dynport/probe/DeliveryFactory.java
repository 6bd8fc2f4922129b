package dev.dynport.probe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dynport.probe.config.ConfigException;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;

/**
 * Builds the delivery side from the opaque {@code /spool} and {@code /sinks} config sections (either may be a
 * missing node). {@link #validate} runs with the rest of the config validation and must throw one
 * {@link ConfigException} whose message holds one path-qualified error per line.
 */
public interface DeliveryFactory {
    void validate(JsonNode spool, JsonNode sinks, Map<String, String> env) throws ConfigException;

    Delivery open(JsonNode spool, JsonNode sinks, Map<String, String> env, Clock clock)
            throws ConfigException, IOException;
}
