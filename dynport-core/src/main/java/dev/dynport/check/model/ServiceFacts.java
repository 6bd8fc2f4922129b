package dev.dynport.check.model;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The owner services' configuration and state as sc.exe reported them; a service is absent when its section was
 * not in the snapshot (older captures) or could not be read.
 */
public record ServiceFacts(Map<String, ServiceConfig> configs, Map<String, ServiceStatus> statuses) {
    public static final ServiceFacts NONE = new ServiceFacts(Map.of(), Map.of());

    public ServiceFacts {
        configs = configs.values().stream().collect(Collectors.toUnmodifiableMap(c -> key(c.service()), c -> c));
        statuses = statuses.values().stream().collect(Collectors.toUnmodifiableMap(s -> key(s.service()), s -> s));
    }

    public Optional<ServiceConfig> config(String service) {
        return Optional.ofNullable(configs.get(key(service)));
    }

    public Optional<ServiceStatus> status(String service) {
        return Optional.ofNullable(statuses.get(key(service)));
    }

    private static String key(String service) {
        return service.toLowerCase(Locale.ROOT);
    }
}
