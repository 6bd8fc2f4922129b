package dev.dynport.probe;

import dev.dynport.probe.config.DeliverySettings;
import java.io.IOException;
import java.time.Clock;

/**
 * The delivery side: reads the {@code /spool} and {@code /sinks} sections once, with the rest of the config (so
 * their errors are reported together, one path-qualified error per line), and opens delivery from what it read.
 */
public interface DeliveryFactory extends DeliverySettings.Reader {
    /** @param settings what this factory's {@link #read} returned */
    Delivery open(DeliverySettings settings, Clock clock) throws IOException;
}
