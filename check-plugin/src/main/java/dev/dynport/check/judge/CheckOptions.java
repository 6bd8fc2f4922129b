package dev.dynport.check.judge;

import dev.dynport.check.model.State;
import java.util.List;

/**
 * What to judge and how strictly.
 *
 * @param extraPorts ports given with {@code --port}, added to the profile's
 * @param exposedState state of an EXPOSED finding (WARNING by default, CRITICAL with {@code --exposed-state})
 * @param expectListening add NOT_LISTENING when no owner listens on a watched port
 */
public record CheckOptions(Profile profile, List<WatchedPort> extraPorts, State exposedState, boolean expectListening) {
    public CheckOptions {
        extraPorts = List.copyOf(extraPorts);
    }

    public static CheckOptions defaults() {
        return new CheckOptions(Profile.EXCHANGE_POPIMAP, List.of(), State.WARNING, false);
    }
}
