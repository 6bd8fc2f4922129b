package dev.dynport.probe.health;

import static dev.dynport.probe.TestSupport.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.acquire.AcquisitionException;
import dev.dynport.check.acquire.SnapshotReader;
import dev.dynport.check.judge.CheckOptions;
import dev.dynport.check.judge.CheckResult;
import dev.dynport.check.judge.DynportCheck;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.State;
import dev.dynport.probe.TestSupport;
import dev.dynport.probe.TestSupport.MutableClock;
import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.EventIds;
import dev.dynport.probe.event.EventType;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HealthModelTest {
    private final MutableClock clock = new MutableClock(T0);

    private HealthModel model(int samples, Duration renotify) {
        return new HealthModel("probe-1", samples, renotify, clock);
    }

    static CheckResult judged(String fixture) throws AcquisitionException {
        return DynportCheck.judge(SnapshotReader.read(TestSupport.fixture(fixture), Charset.forName("IBM850"), fixture),
                CheckOptions.defaults());
    }

    static CheckResult unreachable() {
        return CheckResult.acquisitionFailed(new AcquisitionException(AcquisitionException.Failure.TIMEOUT,
                "ssh exch01:22: timed out after 30s"), State.UNKNOWN);
    }

    /** The events that are not Healthy: an initial observation also tells the Healthy ports (previous null). */
    private static List<Event> unhealthy(List<Event> events) {
        return events.stream().filter(e -> e.state() != State.OK).toList();
    }

    private static String keys(List<Event> events) {
        return events.stream().map(e -> e.type() + " " + e.port() + "/" + e.family() + " " + e.previousState() + "->"
                + e.state()).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    @Test
    void initialHealthyPortsEmitAChangeFromNoneSoPassiveServicesGetAFirstResult() throws Exception {
        HealthModel m = model(1, Duration.ofHours(4));
        List<Event> events = m.observe("exch01", judged("exchange-protected"));
        assertEquals(8, events.size(), keys(events));
        assertTrue(events.stream().allMatch(e -> e.type() == EventType.PORT_STATE_CHANGED
                && e.state() == State.OK && e.previousState() == null
                && e.eventId() == EventIds.PORT_HEALTHY), keys(events));
        Event e = events.stream().filter(x -> x.port() == 9955 && x.family().equals("ipv4")).findFirst().orElseThrow();
        assertEquals("POP3 back-end", e.portLabel());
        assertTrue(e.perfdata().get(0).startsWith("watched="), e.perfdata().toString());
        assertEquals(List.of(), m.observe("exch01", judged("exchange-protected")), "the initial state is told once");
        assertEquals(8, m.portStates().size());
        assertTrue(m.portStates().stream().allMatch(p -> p.state() == State.OK));
        assertEquals(State.OK, m.probeStates().get("exch01"));
    }

    @Test
    void initialUnhealthyPortsEmitAChangeFromNoneWithTheCheckText() throws Exception {
        List<Event> all = model(1, Duration.ofHours(4)).observe("exch01", judged("exchange-exposed"));
        assertEquals(8, all.size(), "4 exposed + 4 healthy (1993/1995) initial states");
        List<Event> events = unhealthy(all);
        assertEquals("""
                PORT_STATE_CHANGED 9933/ipv4 null->WARNING
                PORT_STATE_CHANGED 9933/ipv6 null->WARNING
                PORT_STATE_CHANGED 9955/ipv4 null->WARNING
                PORT_STATE_CHANGED 9955/ipv6 null->WARNING""", keys(events));
        Event e = events.get(0);
        assertEquals(Event.SCHEMA_VERSION, e.schemaVersion());
        assertEquals(EventIds.PORT_WARNING, e.eventId());
        assertEquals(T0, e.time());
        assertEquals("probe-1", e.agent());
        assertEquals("exch01", e.host());
        assertEquals("IMAP4 back-end", e.portLabel());
        assertEquals(List.of("EXPOSED"), e.findingCodes());
        assertEquals("9933/tcp IMAP4 back-end (ipv4) is inside the dynamic port range 6005-65534 without an exclusion",
                e.summary());
        assertEquals("""
                ipv4 WARNING EXPOSED: 9933/tcp IMAP4 back-end (ipv4) is inside the dynamic port range 6005-65534 without an exclusion
                ipv6 WARNING EXPOSED: 9933/tcp IMAP4 back-end (ipv6) is inside the dynamic port range 6005-65534 without an exclusion""",
                e.details());
        // The owner listens on 9933: stopped around the exclusion; the POP3 back-end's stop/start stay out.
        assertEquals(List.of("net stop MSExchangeIMAP4BE",
                "netsh int ipv4 add excludedportrange protocol=tcp startport=9933 numberofports=1",
                "netsh int ipv6 add excludedportrange protocol=tcp startport=9933 numberofports=1",
                "net start MSExchangeIMAP4BE"), e.remediation().subList(0, 4));
        assertTrue(e.remediation().stream().noneMatch(l -> l.contains("POP3")), e.remediation().toString());
        assertEquals(List.of("watched=4", "exposed=2", "foreign=0"), e.perfdata().subList(0, 3));
        assertEquals(List.of("Microsoft.Exchange.Imap4Service.exe PID 5100 (MSExchangeIMAP4BE) 0.0.0.0:9933 LISTENING (owner)"),
                e.evidence());
        Set<String> ids = new HashSet<>();
        events.forEach(ev -> ids.add(UUID.fromString(ev.id()).toString()));
        assertEquals(4, ids.size());
    }

    @Test
    void foreignHolderEventIsCriticalWithHolderEvidenceAndTheHolderCaveat() throws Exception {
        List<Event> events = model(1, Duration.ofHours(4)).observe("exch01", judged("exchange-foreign-holder"));
        Event e = events.stream().filter(x -> x.port() == 9955 && x.family().equals("ipv4")).findFirst().orElseThrow();
        assertEquals(State.CRITICAL, e.state());
        assertEquals(EventIds.PORT_CRITICAL, e.eventId());
        assertEquals(List.of("FOREIGN_HOLDER", "EXPOSED"), e.findingCodes());
        assertTrue(e.summary().startsWith("9955/tcp POP3 back-end (ipv4) held by svchost.exe (PID 1240: Dnscache, NlaSvc)"),
                e.summary());
        assertEquals(1, e.evidence().size());
        assertTrue(e.evidence().get(0).startsWith("svchost.exe PID 1240 (Dnscache,NlaSvc) "), e.evidence().get(0));
        assertTrue(e.remediation().get(e.remediation().size() - 1).startsWith("Port 9955 is held by another process"),
                e.remediation().toString());
        Event v6 = events.stream().filter(x -> x.port() == 9955 && x.family().equals("ipv6")).findFirst().orElseThrow();
        assertEquals(State.WARNING, v6.state());
        assertTrue(v6.evidence().stream().noneMatch(l -> l.startsWith("svchost.exe")), v6.evidence().toString());
    }

    @Test
    void hostWideRemediationStepsStayAroundThePortCommand() throws Exception {
        Event e = unhealthy(model(1, Duration.ofHours(4)).observe("exch01", judged("hyperv-reserved"))).get(0);
        assertEquals(9933, e.port());
        assertEquals(List.of("net stop winnat",
                "netsh int ipv4 add excludedportrange protocol=tcp startport=9933 numberofports=1", "net start winnat"),
                e.remediation());
    }

    @Test
    void theFirstStateAlsoNeedsTheConsecutiveSamples() throws Exception {
        HealthModel m = model(2, Duration.ofHours(4));
        assertEquals(List.of(), m.observe("exch01", judged("exchange-exposed")));
        assertEquals(List.of(), m.portStates(), "nothing is confirmed after one of two samples");
        assertEquals(4, unhealthy(m.observe("exch01", judged("exchange-exposed"))).size());
    }

    @Test
    void aChangeIsConfirmedOnlyAfterConsecutiveSamplesAndAnInterruptionResetsTheCount() throws Exception {
        HealthModel m = model(3, Duration.ofHours(4));
        assertEquals(List.of(), m.observe("exch01", judged("exchange-protected")));
        assertEquals(List.of(), m.observe("exch01", judged("exchange-protected")));
        assertEquals(8, m.observe("exch01", judged("exchange-protected")).size(), "initial Healthy after 3 samples");
        assertEquals(List.of(), m.observe("exch01", judged("exchange-exposed")));
        assertEquals(List.of(), m.observe("exch01", judged("exchange-exposed")));
        assertEquals(List.of(), m.observe("exch01", judged("exchange-protected")), "back to healthy resets the count");
        assertEquals(List.of(), m.observe("exch01", judged("exchange-exposed")));
        assertEquals(List.of(), m.observe("exch01", judged("exchange-exposed")));
        assertEquals("""
                PORT_STATE_CHANGED 9933/ipv4 OK->WARNING
                PORT_STATE_CHANGED 9933/ipv6 OK->WARNING
                PORT_STATE_CHANGED 9955/ipv4 OK->WARNING
                PORT_STATE_CHANGED 9955/ipv6 OK->WARNING""", keys(m.observe("exch01", judged("exchange-exposed"))));
    }

    @Test
    void returningToHealthyEmitsAChangeWithThePreviousState() throws Exception {
        HealthModel m = model(1, Duration.ofHours(4));
        m.observe("exch01", judged("exchange-foreign-holder"));
        List<Event> back = m.observe("exch01", judged("exchange-protected"));
        assertEquals("""
                PORT_STATE_CHANGED 9933/ipv4 WARNING->OK
                PORT_STATE_CHANGED 9933/ipv6 WARNING->OK
                PORT_STATE_CHANGED 9955/ipv4 CRITICAL->OK
                PORT_STATE_CHANGED 9955/ipv6 WARNING->OK""", keys(back.stream()
                .sorted((a, b) -> a.port() != b.port().intValue() ? a.port() - b.port() : a.family().compareTo(b.family()))
                .toList()));
        assertTrue(back.stream().allMatch(e -> e.eventId() == EventIds.PORT_HEALTHY));
    }

    @Test
    void unhealthyPortsAreRenotifiedOncePerIntervalAndHealthyOnesNever() throws Exception {
        HealthModel m = model(1, Duration.ofHours(1));
        assertEquals(4, unhealthy(m.observe("exch01", judged("exchange-exposed"))).size());
        clock.advance(Duration.ofMinutes(30));
        assertEquals(List.of(), m.observe("exch01", judged("exchange-exposed")));
        clock.advance(Duration.ofMinutes(30));
        List<Event> again = m.observe("exch01", judged("exchange-exposed"));
        assertEquals("""
                PORT_RENOTIFY 9933/ipv4 WARNING->WARNING
                PORT_RENOTIFY 9933/ipv6 WARNING->WARNING
                PORT_RENOTIFY 9955/ipv4 WARNING->WARNING
                PORT_RENOTIFY 9955/ipv6 WARNING->WARNING""", keys(again));
        assertEquals(EventIds.PORT_WARNING, again.get(0).eventId());
        assertEquals(T0.plus(Duration.ofHours(1)), again.get(0).time());
        clock.advance(Duration.ofMinutes(59));
        assertEquals(List.of(), m.observe("exch01", judged("exchange-exposed")));
        clock.advance(Duration.ofMinutes(1));
        assertEquals(4, unhealthy(m.observe("exch01", judged("exchange-exposed"))).size());
    }

    @Test
    void aZeroRenotifyIntervalNeverRepeats() throws Exception {
        HealthModel m = model(1, Duration.ZERO);
        m.observe("exch01", judged("exchange-exposed"));
        clock.advance(Duration.ofDays(3));
        assertEquals(List.of(), m.observe("exch01", judged("exchange-exposed")));
    }

    @Test
    void anUnreachableHostIsOneHostLevelUnknownAndPortsKeepTheirState() throws Exception {
        HealthModel m = model(1, Duration.ofHours(4));
        m.observe("exch01", judged("exchange-exposed"));
        clock.advance(Duration.ofMinutes(1));
        List<Event> failed = m.observe("exch01", unreachable());
        assertEquals(1, failed.size());
        Event f = failed.get(0);
        assertEquals(EventType.PROBE_FAILED, f.type());
        assertEquals(EventIds.PROBE_FAILED, f.eventId());
        assertEquals(State.UNKNOWN, f.state());
        assertEquals(State.OK, f.previousState());
        assertNull(f.port());
        assertNull(f.family());
        assertEquals("cannot probe exch01: ssh exch01:22: timed out after 30s", f.summary());
        assertEquals("failure: TIMEOUT\nssh exch01:22: timed out after 30s", f.details());
        assertTrue(m.portStates().stream().filter(p -> p.key().port() == 9955)
                .allMatch(p -> p.state() == State.WARNING), "ports keep their last state");
        assertEquals(State.UNKNOWN, m.probeStates().get("exch01"));
        assertEquals(List.of(), m.observe("exch01", unreachable()), "a failure is reported once");

        List<Event> back = m.observe("exch01", judged("exchange-exposed"));
        assertEquals(1, back.size(), "ports did not change: only the recovery");
        assertEquals(EventType.PROBE_RECOVERED, back.get(0).type());
        assertEquals(EventIds.PROBE_RECOVERED, back.get(0).eventId());
        assertEquals(State.UNKNOWN, back.get(0).previousState());
        assertEquals(State.OK, back.get(0).state());
    }

    @Test
    void anUnknownResultWithProblemsIsAProbeFailureNotAPortAlert() throws Exception {
        HealthModel m = model(1, Duration.ofHours(4));
        List<Event> events = m.observe("exch01", judged("missing-ipv6-exclusions"));
        assertEquals(1, events.size());
        assertEquals(EventType.PROBE_FAILED, events.get(0).type());
        assertNull(events.get(0).previousState(), "never probed successfully before");
        assertTrue(events.get(0).summary().contains("section netsh-excludedportrange-tcp-ipv6 missing"),
                events.get(0).summary());
        assertTrue(events.get(0).details().startsWith("failure: UNUSABLE_OUTPUT\n"), events.get(0).details());
        assertEquals(List.of(), m.portStates());
    }

    @Test
    void aProbeFailureAlsoNeedsTheConsecutiveSamples() throws Exception {
        HealthModel m = model(2, Duration.ofHours(4));
        m.observe("exch01", judged("exchange-protected"));
        m.observe("exch01", judged("exchange-protected"));
        assertEquals(List.of(), m.observe("exch01", unreachable()));
        assertEquals(List.of(), m.observe("exch01", judged("exchange-protected")));
        assertEquals(List.of(), m.observe("exch01", unreachable()));
        assertEquals(EventType.PROBE_FAILED, m.observe("exch01", unreachable()).get(0).type());
    }

    @Test
    void aProbeWithoutResultCountsAsFailedSample() {
        HealthModel m = model(1, Duration.ofHours(4));
        Event e = m.probeFailed("exch01", "probe did not finish within its timeout 30s (+5s grace); abandoned").get(0);
        assertEquals(EventType.PROBE_FAILED, e.type());
        assertEquals("cannot probe exch01: probe did not finish within its timeout 30s (+5s grace); abandoned",
                e.summary());
    }

    @Test
    void monitorsAreKeptPerHost() throws Exception {
        HealthModel m = model(1, Duration.ofHours(4));
        m.observe("exch01", judged("exchange-exposed"));
        assertEquals(8, m.observe("exch02", judged("exchange-exposed")).size());
        assertEquals(16, m.portStates().size());
        assertEquals(Family.IPV4, m.portStates().get(0).key().family());
    }

    @Test
    void aHeartbeatCountsTargetsFailuresAndUnhealthyMonitors() throws Exception {
        HealthModel m = model(1, Duration.ofHours(4));
        m.observe("exch01", judged("hyperv-reserved"));
        m.observe("exch02", unreachable());
        clock.advance(Duration.ofMinutes(5));
        Event hb = m.heartbeat();
        assertEquals(EventType.HEARTBEAT, hb.type());
        assertEquals(EventIds.HEARTBEAT, hb.eventId());
        assertEquals("probe-1", hb.host());
        assertEquals(T0.plus(Duration.ofMinutes(5)), hb.time());
        assertEquals("probe-1 alive: 2 targets probed, 1 failing, 2 unhealthy port monitors", hb.summary());
        assertEquals("exch01 9933 ipv4 CRITICAL\nexch01 9955 ipv4 CRITICAL", hb.details());
    }
}
