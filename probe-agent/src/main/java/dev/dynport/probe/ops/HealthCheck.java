package dev.dynport.probe.ops;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What {@code /healthz} asks: empty when the agent is healthy, otherwise one line saying why it is not (served
 * with status 503), e.g. {@code spool cannot write: No space left on device}. Called on a server thread for each
 * request, so it must answer quickly and must not block.
 */
@FunctionalInterface
public interface HealthCheck {
    Optional<String> problem();

    /** Healthy while {@code ok} is true, otherwise unhealthy with {@code problem}. */
    static HealthCheck of(BooleanSupplier ok, String problem) {
        return () -> ok.getAsBoolean() ? Optional.empty() : Optional.of(problem);
    }

    /** The first problem of the checks, in order; healthy when none has one. */
    static HealthCheck all(HealthCheck... checks) {
        HealthCheck[] copy = checks.clone();
        return () -> {
            for (HealthCheck c : copy) {
                Optional<String> p = c.problem();
                if (p.isPresent()) {
                    return p;
                }
            }
            return Optional.empty();
        };
    }
}
