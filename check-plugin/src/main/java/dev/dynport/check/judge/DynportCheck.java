package dev.dynport.check.judge;

import dev.dynport.check.acquire.AcquisitionException;
import dev.dynport.check.acquire.Snapshot;
import dev.dynport.check.acquire.SnapshotSource;
import dev.dynport.check.model.State;
import java.time.Duration;

/** The whole check as a library call: acquire, parse, judge. The CLI and the probe agent both call this. */
public final class DynportCheck {
    private DynportCheck() {
    }

    /**
     * @param unreachableState the state for network failures (UNKNOWN by default; {@code --unreachable-state})
     */
    public static CheckResult run(SnapshotSource source, CheckOptions options, Duration timeout, State unreachableState) {
        Snapshot snapshot;
        try {
            snapshot = source.acquire(timeout);
        } catch (AcquisitionException e) {
            return CheckResult.acquisitionFailed(e, e.failure().network() ? unreachableState : State.UNKNOWN);
        }
        return judge(snapshot, options);
    }

    /** Parses every section of the snapshot and applies the rules. Never throws for bad input: UNKNOWN instead. */
    public static CheckResult judge(Snapshot snapshot, CheckOptions options) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
