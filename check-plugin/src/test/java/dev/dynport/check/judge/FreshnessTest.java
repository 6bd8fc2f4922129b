package dev.dynport.check.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynport.check.acquire.Snapshot;
import dev.dynport.check.acquire.SnapshotReader;
import dev.dynport.check.model.State;
import dev.dynport.check.render.JsonReport;
import dev.dynport.check.render.NagiosText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Black-box on the constructed scenario snapshots with a constructed capture-info section in front: a stale
 * capture, one from another host, and old snapshots without the section, each against its counter-case.
 */
class FreshnessTest {
    static final String INFO = "#@section capture-info\r\nEXCH01\r\n2024-05-02T14:03:07.1234567+02:00\r\n"
            + "Microsoft Windows NT 10.0.17763.0\r\n";
    static final Instant CAPTURED = Instant.parse("2024-05-02T12:03:07.1234567Z");

    static Snapshot scenario(String name, String prefix) throws Exception {
        Path file = Path.of(FreshnessTest.class.getResource("/snapshots/" + name + "-constructed.snapshot").toURI());
        byte[] bytes = (prefix + new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                .getBytes(StandardCharsets.ISO_8859_1);
        return SnapshotReader.read(bytes, StandardCharsets.ISO_8859_1, name);
    }

    static Clock at(Instant now) {
        return Clock.fixed(now, ZoneOffset.UTC);
    }

    static CheckResult judge(Snapshot s, Freshness f, Instant now) {
        return DynportCheck.judge(s, CheckOptions.defaults(), f, at(now));
    }

    @Test
    void staleCaptureIsUnknownNamingCaptureTimeAndAge() throws Exception {
        Snapshot s = scenario("exchange-protected", INFO);
        Freshness f = new Freshness(Duration.ofHours(26), null);

        CheckResult fresh = judge(s, f, CAPTURED.plus(Duration.ofHours(25)));
        CheckResult stale = judge(s, f, CAPTURED.plus(Duration.ofDays(90)).plusSeconds(3600));

        assertEquals(State.OK, fresh.state(), fresh.summary());
        assertEquals(State.UNKNOWN, stale.state());
        assertEquals("snapshot is stale: captured 2024-05-02T12:03:07Z, 90d 1h ago, more than the allowed 1d 2h",
                stale.problems().get(0));
        assertTrue(NagiosText.statusLine(stale).startsWith("DYNPORT UNKNOWN - snapshot is stale: captured 2024-05-02T12:03:07Z"));
    }

    /** Findings read long ago (or on another host) are no verdict on this host now: not even a CRITICAL stands. */
    @Test
    void staleCriticalCaptureIsUnknownNotCritical() throws Exception {
        Snapshot s = scenario("exchange-foreign-holder", INFO);
        Freshness f = new Freshness(Duration.ofHours(1), null);

        assertEquals(State.CRITICAL, judge(s, f, CAPTURED.plusSeconds(60)).state());
        assertEquals(State.UNKNOWN, judge(s, f, CAPTURED.plus(Duration.ofHours(2))).state());
    }

    @Test
    void captureTimeInTheFutureBeyondTheSkewAllowanceIsUnknown() throws Exception {
        Snapshot s = scenario("exchange-protected", INFO);
        Freshness f = new Freshness(Duration.ofHours(1), null);

        CheckResult skewed = judge(s, f, CAPTURED.minus(Duration.ofMinutes(4)));
        CheckResult future = judge(s, f, CAPTURED.minus(Duration.ofHours(3)));

        assertEquals(State.OK, skewed.state(), skewed.summary());
        assertEquals(State.UNKNOWN, future.state());
        assertEquals("snapshot capture time 2024-05-02T12:03:07Z is 3h in the future, more than the 5m clock-skew"
                + " allowance: the host's or this machine's clock is wrong", future.problems().get(0));
    }

    @Test
    void captureFromAnotherHostIsUnknownAndTheSameHostMatchesAsFqdnInAnyCase() throws Exception {
        Snapshot s = scenario("exchange-protected", INFO);

        CheckResult other = judge(s, new Freshness(null, "EXCH02"), CAPTURED);
        CheckResult same = judge(s, new Freshness(null, "exch01.contoso.example"), CAPTURED);

        assertEquals(State.UNKNOWN, other.state());
        assertEquals("snapshot is from host [EXCH01], expected [EXCH02] (host names compared without domain,"
                + " ignoring case)", other.problems().get(0));
        assertEquals(State.OK, same.state(), same.summary());
    }

    @Test
    void oldSnapshotWithoutTheSectionStaysReadableButNeverPassesAFreshnessDemand() throws Exception {
        Snapshot old = scenario("exchange-protected", "");

        CheckResult plain = judge(old, Freshness.NONE, CAPTURED);
        CheckResult demanded = judge(old, new Freshness(Duration.ofDays(1), "EXCH01"), CAPTURED);

        assertEquals(State.OK, plain.state(), plain.summary());
        assertNull(plain.captureInfo());
        assertEquals(State.UNKNOWN, demanded.state());
        assertEquals("snapshot has no capture-info section, so its age and host cannot be checked (captured by an"
                + " older capture-snapshot.cmd or check_dynport?)", demanded.problems().get(0));
    }

    @Test
    void unreadableSectionIsANoteWithoutADemandAndUnknownWithOne() throws Exception {
        Snapshot s = scenario("exchange-protected", "#@section capture-info\r\n'powershell' is not recognized as an"
                + " internal or external command,\r\noperable program or batch file.\r\n");

        CheckResult plain = judge(s, Freshness.NONE, CAPTURED);
        CheckResult demanded = judge(s, new Freshness(null, "EXCH01"), CAPTURED);

        assertEquals(State.OK, plain.state());
        assertTrue(plain.notes().get(0).startsWith("section capture-info unreadable, output of 'powershell"), plain.notes().get(0));
        assertEquals(State.UNKNOWN, demanded.state());
        assertTrue(demanded.problems().get(0).contains("line 1: first line is not a host name"), demanded.problems().get(0));
    }

    @Test
    void captureInfoIsShownInTheLongOutputAndJson() throws Exception {
        CheckResult r = judge(scenario("exchange-protected", INFO), Freshness.NONE, CAPTURED);

        assertTrue(NagiosText.render(r, false).contains(
                "\nCaptured: EXCH01 at 2024-05-02T12:03:07Z (host offset +02:00), Windows 10.0.17763.0\n"));
        assertEquals("{\"host\":\"EXCH01\",\"captured_at\":\"2024-05-02T12:03:07Z\",\"host_utc_offset\":\"+02:00\","
                + "\"os_version\":\"10.0.17763.0\"}",
                new ObjectMapper().readTree(JsonReport.render(r)).get("capture").toString());
    }
}
