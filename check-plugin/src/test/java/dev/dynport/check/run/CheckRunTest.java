package dev.dynport.check.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dynport.check.acquire.AcquisitionException;
import dev.dynport.check.acquire.AcquisitionException.Failure;
import dev.dynport.check.judge.CheckOptions;
import dev.dynport.check.judge.CheckResult;
import dev.dynport.check.judge.Freshness;
import dev.dynport.check.model.State;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One mapping from an acquisition failure to a state, for the CLI (its outer -t included) and the agent. */
class CheckRunTest {
    @Test
    void networkFailuresTakeTheUnreachableStateEverythingElseIsUnknown() {
        for (Failure f : Failure.values()) {
            assertEquals(f.network() ? State.CRITICAL : State.UNKNOWN, CheckRun.stateOf(f, State.CRITICAL), f.name());
        }
        assertEquals(State.WARNING, CheckRun.stateOf(Failure.TIMEOUT, State.WARNING), "the outer -t timeout too");
    }

    @Test
    void anUnreachableHostIsNeverOk() {
        assertThrows(IllegalArgumentException.class, () -> CheckRun.stateOf(Failure.DNS, State.OK));
    }

    @Test
    void aSourceThatFailsGivesTheMappedResultWithTheReason() {
        CheckResult r = CheckRun.run(timeout -> {
            throw new AcquisitionException(Failure.CONNECTION_REFUSED, "ssh [exch01:22]: connection refused");
        }, CheckOptions.defaults(), Duration.ofSeconds(1), State.CRITICAL, Freshness.NONE, Clock.systemUTC());
        assertEquals(State.CRITICAL, r.state());
        assertEquals("ssh [exch01:22]: connection refused", r.summary());
        assertEquals(Failure.CONNECTION_REFUSED, r.failure());
    }
}
