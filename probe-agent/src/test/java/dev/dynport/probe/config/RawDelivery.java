package dev.dynport.probe.config;

import com.fasterxml.jackson.databind.JsonNode;

/** For tests of the agent part: keeps the delivery sections as JSON, reading nothing in them. */
public record RawDelivery(JsonNode spool, JsonNode sinks) implements DeliverySettings {
    public static final DeliverySettings.Reader READER = (fields, spool, sinks) -> new RawDelivery(spool, sinks);

    @Override
    public String describe() {
        return "spool: " + (spool.isMissingNode() ? "(none)" : "raw") + "\nsinks: " + (sinks.isMissingNode() ? "(none)"
                : "raw");
    }
}
