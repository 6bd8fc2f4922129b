package dev.dynport.probe.config;

import dev.dynport.check.judge.WatchedPort;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The validated agent configuration. Built only by {@link ConfigParser}; every value here has been checked.
 *
 * @param maxConcurrentProbes how many probes run at once, over all targets
 * @param consecutiveSamples how many probes in a row must agree before a monitor's new state is confirmed
 * @param renotifyInterval repeat an unhealthy state this often; {@link Duration#ZERO} never repeats
 * @param heartbeatInterval send a heartbeat this often; {@link Duration#ZERO} sends none
 * @param delivery the {@code /spool} and {@code /sinks} sections, read once by the delivery side
 */
public record AgentConfig(
        String agentName,
        List<TargetConfig> targets,
        int maxConcurrentProbes,
        int consecutiveSamples,
        Duration renotifyInterval,
        Duration heartbeatInterval,
        Ops ops,
        DeliverySettings delivery) {

    public AgentConfig {
        targets = List.copyOf(targets);
    }

    /**
     * The operations endpoint; {@code port} 0 picks a free port.
     *
     * @param bearerToken required by every request when not null; always set for a non-loopback address
     */
    public record Ops(boolean enabled, String listenAddress, int port, SecretRef bearerToken) {
    }

    /** A multi-line summary for {@code --validate-config} and the start log; secrets show as masked. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append("agent_name: ").append(agentName).append('\n');
        b.append("max_concurrent_probes: ").append(maxConcurrentProbes)
                .append(", consecutive_samples: ").append(consecutiveSamples)
                .append(", renotify_interval: ").append(Durations.format(renotifyInterval))
                .append(", heartbeat_interval: ").append(Durations.format(heartbeatInterval)).append('\n');
        b.append("ops: ").append(ops.enabled() ? ops.listenAddress() + ":" + ops.port() : "disabled")
                .append(ops.enabled() && ops.bearerToken() != null ? ", bearer token " + ops.bearerToken() : "")
                .append('\n');
        b.append("targets: ").append(targets.size()).append('\n');
        for (TargetConfig t : targets) {
            b.append("  ").append(t.name()).append(": ").append(t.access())
                    .append(", profile ").append(t.options().profile().profileName())
                    .append(", ports ").append(ports(t))
                    .append(", exposed_state ").append(t.options().exposedState().name().toLowerCase(Locale.ROOT))
                    .append(t.options().expectListening() ? ", expect_listening" : "")
                    .append(t.options().usage().warning() == null ? ""
                            : ", usage_warning " + t.options().usage().warning().text())
                    .append(t.options().usage().critical() == null ? ""
                            : ", usage_critical " + t.options().usage().critical().text())
                    .append(", charset ").append(t.charset().name())
                    .append(", every ").append(Durations.format(t.interval()))
                    .append(" +").append(Durations.format(t.jitter()))
                    .append(", timeout ").append(Durations.format(t.timeout())).append('\n');
        }
        b.append(delivery.describe());
        return b.toString();
    }

    private static String ports(TargetConfig t) {
        List<WatchedPort> all = new java.util.ArrayList<>(t.options().profile().ports());
        all.addAll(t.options().extraPorts());
        return all.isEmpty() ? "(none)" : all.stream().map(p -> Integer.toString(p.port())).distinct()
                .collect(Collectors.joining(","));
    }
}
