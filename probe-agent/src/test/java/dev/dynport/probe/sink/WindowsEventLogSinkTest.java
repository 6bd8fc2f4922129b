package dev.dynport.probe.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.EventType;
import dev.dynport.check.model.State;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowsEventLogSinkTest {
    @Test
    void buildsAFixedEventcreateArgumentListWithoutAShell() throws Exception {
        Event e = TestEvents.port("ex01", 9955, "ipv4", State.CRITICAL, State.OK,
                "TCP 9955 \"IMAP\" exposed & 100% bad");
        List<String> args = WindowsEventLogSink.arguments(e, "dynport");
        assertEquals(List.of("eventcreate", "/T", "ERROR", "/ID", "102", "/L", "APPLICATION", "/SO", "dynport",
                "/D", "dynport ex01 9955/ipv4 CRITICAL: TCP 9955 'IMAP' exposed & 100% bad | TCP 9955 'IMAP' exposed"
                        + " & 100% bad | second line of details | fix: netsh int ipv4 add excludedportrange"
                        + " protocol=tcp startport=9955 numberofports=1 | event " + e.id()), args);
    }

    @Test
    void typeFollowsStateAndEventKind() throws Exception {
        assertEquals("WARNING", WindowsEventLogSink.arguments(
                TestEvents.port("h", 1, "ipv4", State.WARNING, null, "w"), "s").get(2));
        assertEquals("WARNING", WindowsEventLogSink.arguments(
                TestEvents.port("h", 1, "ipv4", State.UNKNOWN, null, "u"), "s").get(2));
        assertEquals("INFORMATION", WindowsEventLogSink.arguments(
                TestEvents.port("h", 1, "ipv4", State.OK, null, "ok"), "s").get(2));
        List<String> failed = WindowsEventLogSink.arguments(TestEvents.probeFailed("h", "down"), "s");
        assertEquals(List.of("ERROR", "200"), List.of(failed.get(2), failed.get(4)));
        assertEquals("INFORMATION", WindowsEventLogSink.arguments(TestEvents.heartbeat(), "s").get(2));
    }

    @Test
    void longTextIsCutAndATrailingBackslashCannotEscapeTheQuote() {
        Event e = TestEvents.probeFailed("h", "x".repeat(5000));
        assertEquals(WindowsEventLogSink.MAX_TEXT, WindowsEventLogSink.text(e).length());
        Event slash = new Event(1, "id\\", TestEvents.T0, "a", "h", null, null, null, EventType.HEARTBEAT, 300, null,
                null, List.of(), "alive", "", List.of(), List.of(), List.of());
        assertFalse(WindowsEventLogSink.text(slash).endsWith("\\"));
    }

    @Test
    void eventIdOutsideEventcreateRangeIsNotRetryable() {
        Event e = new Event(1, "id", TestEvents.T0, "a", "h", null, null, null, EventType.HEARTBEAT, 1001, null, null,
                List.of(), "alive", "", List.of(), List.of(), List.of());
        DeliveryException x = assertThrows(DeliveryException.class, () -> WindowsEventLogSink.arguments(e, "s"));
        assertFalse(x.retryable());
        assertEquals("event id outside eventcreate's range 1-1000 [1001]", x.getMessage());
    }
}
