package dev.dynport.check.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StateTest {
    @Test
    void unknownBeatsOkButNotAKnownProblem() {
        assertEquals(State.UNKNOWN, State.worst(State.OK, State.UNKNOWN));
        assertEquals(State.UNKNOWN, State.worst(State.UNKNOWN, State.OK));
        assertEquals(State.WARNING, State.worst(State.UNKNOWN, State.WARNING));
        assertEquals(State.CRITICAL, State.worst(State.CRITICAL, State.UNKNOWN));
        assertEquals(State.CRITICAL, State.worst(State.WARNING, State.CRITICAL));
    }

    @Test
    void exitCodesFollowThePluginGuidelines() {
        assertEquals(0, State.OK.exitCode());
        assertEquals(1, State.WARNING.exitCode());
        assertEquals(2, State.CRITICAL.exitCode());
        assertEquals(3, State.UNKNOWN.exitCode());
    }

    @Test
    void dynamicRangeEndIsStartPlusCountMinusOne() {
        assertEquals(65534, new DynamicRange(6005, 59530).end());
        assertEquals(10999, new DynamicRange(10000, 1000).end());
    }
}
