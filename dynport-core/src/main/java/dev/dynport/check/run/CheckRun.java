package dev.dynport.check.run;

import dev.dynport.check.acquire.AcquisitionException;
import dev.dynport.check.acquire.Snapshot;
import dev.dynport.check.acquire.SnapshotSource;
import dev.dynport.check.judge.CheckOptions;
import dev.dynport.check.judge.CheckResult;
import dev.dynport.check.judge.DynportCheck;
import dev.dynport.check.judge.Freshness;
import dev.dynport.check.model.State;
import java.time.Clock;
import java.time.Duration;

/**
 * One check as a library call: acquire, then judge. Both faces call this (the agent directly, the CLI through
 * {@link #failed} for what goes wrong around it), so a failure maps to a state in one place: network failures
 * (DNS, refused, timeout, network) take the caller's unreachable state, every other failure is UNKNOWN.
 */
public final class CheckRun {
    private CheckRun() {
    }

    public static CheckResult run(SnapshotSource source, CheckOptions options, Duration timeout, State unreachableState,
            Freshness freshness, Clock clock) {
        Snapshot snapshot;
        try {
            snapshot = source.acquire(timeout);
        } catch (AcquisitionException e) {
            return failed(e, unreachableState);
        }
        return DynportCheck.judge(snapshot.withoutRaw(), options, freshness, clock);
    }

    /** The result of a check that got no snapshot: no findings, only the reason, in the mapped state. */
    public static CheckResult failed(AcquisitionException e, State unreachableState) {
        return CheckResult.acquisitionFailed(e, stateOf(e.failure(), unreachableState));
    }

    /** UNKNOWN unless the failure is a network one, which takes {@code unreachableState} (never OK). */
    public static State stateOf(AcquisitionException.Failure failure, State unreachableState) {
        if (unreachableState == State.OK) {
            throw new IllegalArgumentException("an unreachable host is never OK");
        }
        return failure.network() ? unreachableState : State.UNKNOWN;
    }
}
