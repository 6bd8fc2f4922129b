package dev.dynport.check.judge;

import dev.dynport.check.model.State;
import java.util.List;
import java.util.Map;

/**
 * What to judge and how strictly.
 *
 * @param extraPorts ports given with {@code --port}, added to the profile's
 * @param exposedState state of an EXPOSED finding (WARNING by default, CRITICAL with {@code --exposed-state})
 * @param expectListening add NOT_LISTENING when no owner listens on a watched port
 * @param backendPorts the back-ends' ProxyTargetPort as the user knows it ({@code --pop3-backend-port},
 *     {@code --imap4-backend-port}), keyed by back-end service name
 * @param watchUnused judge profile ports even where the evidence shows the host does not use them
 * @param usage thresholds on the dynamic port usage ({@code -w}, {@code -c}); {@link UsageThresholds#NONE}: metrics only
 */
public record CheckOptions(Profile profile, List<WatchedPort> extraPorts, State exposedState, boolean expectListening,
        Map<String, Integer> backendPorts, boolean watchUnused, UsageThresholds usage) {
    public CheckOptions {
        extraPorts = List.copyOf(extraPorts);
        backendPorts = Map.copyOf(backendPorts);
        if (usage == null) {
            throw new IllegalArgumentException("usage thresholds missing: UsageThresholds.NONE for none");
        }
    }

    public CheckOptions(Profile profile, List<WatchedPort> extraPorts, State exposedState, boolean expectListening,
            Map<String, Integer> backendPorts, boolean watchUnused) {
        this(profile, extraPorts, exposedState, expectListening, backendPorts, watchUnused, UsageThresholds.NONE);
    }

    /** The same options with usage thresholds. */
    public CheckOptions withUsage(UsageThresholds thresholds) {
        return new CheckOptions(profile, extraPorts, exposedState, expectListening, backendPorts, watchUnused,
                thresholds);
    }

    public CheckOptions(Profile profile, List<WatchedPort> extraPorts, State exposedState, boolean expectListening) {
        this(profile, extraPorts, exposedState, expectListening, Map.of(), false);
    }

    /**
     * Profile none and no extra port: a check that watches nothing would say OK forever. Both faces refuse it,
     * each in its own words (an option or a JSON path).
     */
    /**
     * These options as a Linux host is judged: the Exchange profiles and back-end ports name Windows services, so
     * only the ports given and the usage thresholds remain (the check and the agent both judge Linux this way).
     */
    public CheckOptions onLinux() {
        return new CheckOptions(Profile.NONE, extraPorts, exposedState, expectListening, Map.of(), watchUnused, usage);
    }

    /** No port to judge and no usage threshold: a run could only ever say OK. */
    public boolean watchesNothing() {
        return profile == Profile.NONE && extraPorts.isEmpty() && !usage.any();
    }

    public static CheckOptions defaults() {
        return new CheckOptions(Profile.EXCHANGE_POPIMAP, List.of(), State.WARNING, false);
    }
}
