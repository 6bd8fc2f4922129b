package dev.dynport.probe.ops;

import java.util.Map;

/** One Prometheus sample; {@code type} is {@code counter} or {@code gauge}. */
public record Metric(String name, String help, String type, Map<String, String> labels, double value) {
    public Metric {
        labels = Map.copyOf(labels);
    }
}
