package dev.dynport.probe.schedule;

import dev.dynport.check.acquire.SnapshotSource;
import dev.dynport.probe.config.TargetConfig;

/** Builds the check's {@link SnapshotSource} for a configured target; called once per target at start. */
@FunctionalInterface
public interface SnapshotSourceFactory {
    SnapshotSource create(TargetConfig target);
}
