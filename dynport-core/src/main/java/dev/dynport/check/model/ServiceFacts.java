package dev.dynport.check.model;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The owner services' configuration and state as sc.exe reported them; a service is absent when its section was
 * not in the snapshot (older captures) or could not be read.
 */
public record ServiceFacts(Map<String, ServiceConfig> configs, Map<String, ServiceStatus> statuses) {
    public static final ServiceFacts NONE = new ServiceFacts(Map.of(), Map.of());

    public ServiceFacts {
        Map<String, ServiceConfig> configsByKey = new HashMap<>();
        for (ServiceConfig c : configs.values()) {
            unique(configsByKey.put(key(c.service()), c), c.service());
        }
        Map<String, ServiceStatus> statusesByKey = new HashMap<>();
        for (ServiceStatus s : statuses.values()) {
            unique(statusesByKey.put(key(s.service()), s), s.service());
        }
        configs = Map.copyOf(configsByKey);
        statuses = Map.copyOf(statusesByKey);
    }

    /** Two sections for one service, in two spellings: which one holds is a guess (as Collectors.toMap refused it). */
    private static void unique(Object earlier, String service) {
        if (earlier != null) {
            throw new IllegalStateException("Duplicate key " + key(service));
        }
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
