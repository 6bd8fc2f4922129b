package dev.dynport.check.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.acquire.Snapshot;
import dev.dynport.check.acquire.SnapshotFileSource;
import dev.dynport.check.model.DynamicRange;
import dev.dynport.check.model.ExcludedRange;
import dev.dynport.check.model.ExcludedRanges;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.HostFacts;
import dev.dynport.check.model.NetstatTable;
import dev.dynport.check.model.ProcessInfo;
import dev.dynport.check.model.ProcessTable;
import dev.dynport.check.model.State;
import dev.dynport.check.model.TcpEndpoint;
import dev.dynport.check.model.TcpState;
import dev.dynport.check.parse.NetstatParser;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The dynamic port usage count, its thresholds, state and perfdata. */
class DynamicUsageTest {
    private static final DynamicRange DEFAULT = new DynamicRange(49152, 16384);

    private static Snapshot snapshot(String name) throws Exception {
        Path file = Path.of(DynamicUsageTest.class.getResource("/snapshots/" + name + "-constructed.snapshot").toURI());
        return new SnapshotFileSource(file, Charset.forName("IBM850")).acquire(Duration.ofSeconds(10));
    }

    private static CheckResult judge(String name, UsageThresholds thresholds) throws Exception {
        return DynportCheck.judge(snapshot(name), CheckOptions.defaults().withUsage(thresholds));
    }

    private static DynamicUsage family(CheckResult result, Family family) {
        return result.usage().stream().filter(u -> u.family() == family).findFirst().orElseThrow();
    }

    private static String perf(CheckResult result, String label) {
        return result.perfdata().stream().filter(d -> d.label().equals(label)).map(PerfDatum::nagiosItem)
                .findFirst().orElse(null);
    }

    /**
     * usage-known-count: range 6005-65534; ipv4 excludes 9933, 9955 and 47001 inside it (59,527 available);
     * 10 ESTABLISHED (50000-50009, EdgeTransport), 50000 again on another local address and in TIME_WAIT, 5
     * TIME_WAIT (50010-50014), a listener on 49664: 16 ports. Not counted: listeners on the excluded 9933/9955,
     * a connection on the excluded 47001, ports 5000 and 65535 outside the range, an inbound connection's foreign
     * port. ipv6: 49665 and 50000 (twice): 2 of 59,528.
     */
    @Test
    void countsDistinctPortsOfTheRangeOnAConstructedSnapshotWithAKnownCount() throws Exception {
        CheckResult result = judge("usage-known-count", UsageThresholds.NONE);
        DynamicUsage v4 = family(result, Family.IPV4);
        assertEquals(List.of(16, 59527, 3), List.of(v4.used(), v4.available(), v4.excluded()));
        assertEquals(List.of(new DynamicUsage.Consumer(6100, "EdgeTransport.exe", List.of(), 10),
                new DynamicUsage.Consumer(0, "(TIME_WAIT)", List.of(), 6),
                new DynamicUsage.Consumer(888, "svchost.exe", List.of("RpcEptMapper", "RpcSs"), 1),
                new DynamicUsage.Consumer(6200, "MSExchangeTransport.exe", List.of("MSExchangeTransport"), 1)),
                v4.top());
        DynamicUsage v6 = family(result, Family.IPV6);
        assertEquals(List.of(2, 59528, 2), List.of(v6.used(), v6.available(), v6.excluded()));
        assertEquals(State.OK, result.state(), "metrics only without thresholds");
        assertEquals("ipv4_dynamic_used=16;;;0;59527", perf(result, "ipv4_dynamic_used"));
        assertEquals("ipv6_dynamic_used=2;;;0;59528", perf(result, "ipv6_dynamic_used"));
    }

    /** Real netstat captures (fixtures/netstat, counted by hand) in Windows' default range without exclusions. */
    @Test
    void countsRealCapturesAsCountedByHand() throws Exception {
        assertEquals(List.of(13, 6), usedInDefaultRange("ano-en-02.txt"));
        assertEquals(List.of(2, 0), usedInDefaultRange("ano-de-01.txt"));
    }

    private static List<Integer> usedInDefaultRange(String fixture) throws Exception {
        String text = Files.readString(Path.of(DynamicUsageTest.class.getResource("/fixtures/netstat/" + fixture)
                .toURI()), StandardCharsets.UTF_8);
        NetstatTable table = NetstatParser.parse(text, port -> false);
        HostFacts facts = new HostFacts(Map.of(Family.IPV4, DEFAULT, Family.IPV6, DEFAULT),
                Map.of(Family.IPV4, new ExcludedRanges(List.of()), Family.IPV6, new ExcludedRanges(List.of())),
                table, new ProcessTable(List.of()));
        List<DynamicUsage> usage = UsageCount.of(facts, true, UsageThresholds.NONE);
        return usage.stream().map(DynamicUsage::used).toList();
    }

    /** The counts of the bundled scenario snapshots, checked by hand against their netstat sections. */
    @Test
    void countsTheBundledScenarios() throws Exception {
        assertEquals("ipv4_dynamic_used=0;;;0;59527", perf(judge("exchange-protected", UsageThresholds.NONE),
                "ipv4_dynamic_used"));
        // ephemeral-reuse: one TIME_WAIT on the unexcluded 9933
        CheckResult reuse = judge("ephemeral-reuse", UsageThresholds.NONE);
        assertEquals("ipv4_dynamic_used=1;;;0;59528", perf(reuse, "ipv4_dynamic_used"));
        assertEquals(List.of(new DynamicUsage.Consumer(0, "(TIME_WAIT)", List.of(), 1)),
                family(reuse, Family.IPV4).top());
    }

    /**
     * Every bundled scenario, counted independently of this code (a Python reading of the same files: range minus
     * exclusion rows, distinct TCP local ports in it) and checked by eye; {@code -} where the family's range or
     * exclusions are unreadable, so the label must be absent.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "blind-tasklist                          | 0/59527    | 0/59528",
        "blind-tasklist-foreign-holder           | 0/59527    | 0/59528",
        "custom-proxy-port                       | 1/59527    | 1/59528",
        "default-range                           | 0/16384    | 0/16384",
        "ephemeral-reuse                         | 1/59528    | 0/59529",
        "exchange-exposed                        | 2/59529    | 2/59530",
        "exchange-foreign-holder                 | 2/59529    | 1/59530",
        "exchange-protected                      | 0/59527    | 0/59528",
        "exchange-rpc-listeners                  | 3/59524    | 3/59525",
        "exchange2013-9955-taken                 | 2/59529    | 1/59530",
        "exchange2013-pop-stopped-imap-disabled  | 1/59529    | 0/59530",
        "exchange2013-protected                  | 0/59527    | 0/59528",
        "exchange2019-pop-frontend-hidden        | 1/59529    | 0/59530",
        "exchange2019-pop-frontend-running       | 1/59529    | 0/59530",
        "exchange2019-pop-off                    | 1/59529    | 0/59530",
        "exchange2019-pop-on-1995                | 1/59529    | 0/59530",
        "garbled-dynamicport                     | -          | 0/59528",
        "german-cp850-foreign-holder             | 2/59529    | 1/59530",
        "httpsys-reserved                        | 0/59527    | 0/59528",
        "hyperv-reserved                         | 0/59429    | 0/59528",
        "ipv6-only-exposed                       | 0/59527    | 2/59530",
        "missing-ipv6-exclusions                 | 0/59527    | -",
        "no-popimap-installed                    | 1/59529    | 0/59530",
        "pop-disabled-hyperv-block               | 0/59429    | 0/59430",
        "sc-access-denied                        | 1/59529    | 0/59530",
        "settings-error                          | 1/59529    | 0/59530",
        "unknown-single-reserved                 | 0/59527    | 0/59528",
        "usage-known-count                       | 16/59527   | 2/59528"
    })
    void countsEveryBundledScenarioAsCountedIndependently(String scenario, String ipv4, String ipv6) throws Exception {
        CheckResult result = judge(scenario, UsageThresholds.NONE);
        assertEquals(expectedItem("ipv4", ipv4), perf(result, "ipv4_dynamic_used"));
        assertEquals(expectedItem("ipv6", ipv6), perf(result, "ipv6_dynamic_used"));
    }

    private static String expectedItem(String family, String usedOfAvailable) {
        if (usedOfAvailable.equals("-")) {
            return null;
        }
        String[] parts = usedOfAvailable.split("/");
        return family + "_dynamic_used=" + parts[0] + ";;;0;" + parts[1];
    }

    @Test
    void overlappingExclusionRowsAreCountedOnce() {
        ExcludedRanges overlapping = new ExcludedRanges(List.of(new ExcludedRange(50000, 50099, false),
                new ExcludedRange(50050, 50149, false), new ExcludedRange(50100, 50100, true),
                new ExcludedRange(40000, 49200, false)));
        NetstatTable table = new NetstatTable(List.of(row(50000, 7), row(50200, 7), row(49300, 8)));
        HostFacts facts = new HostFacts(Map.of(Family.IPV4, DEFAULT), Map.of(Family.IPV4, overlapping), table,
                new ProcessTable(List.of(new ProcessInfo(7, "a.exe", List.of()))));
        DynamicUsage u = UsageCount.of(facts, true, UsageThresholds.NONE).get(0);
        assertEquals(150 + 49, u.excluded(), "50000-50149 once, and 49152-49200 of the row reaching below the range");
        assertEquals(16384 - 199, u.available());
        assertEquals(2, u.used(), "50000 is excluded; 50200 and 49300 count");
        assertEquals(List.of(new DynamicUsage.Consumer(7, "a.exe", List.of(), 1),
                new DynamicUsage.Consumer(8, "?", List.of(), 1)), u.top());
    }

    private static TcpEndpoint row(int port, int pid) {
        return new TcpEndpoint(Family.IPV4, "10.0.0.1", port, "10.0.0.2", 443, "ESTABLISHED", TcpState.ESTABLISHED,
                pid);
    }

    /** A family whose range, exclusions or netstat were not read has no usage and no perfdata label, never 0. */
    @Test
    void undeterminedUsageIsLeftOutNotZero() throws Exception {
        CheckResult result = judge("missing-ipv6-exclusions", new UsageThresholds(null, Threshold.parse("0")));
        assertTrue(result.usage().stream().noneMatch(u -> u.family() == Family.IPV6));
        assertEquals(null, perf(result, "ipv6_dynamic_used"));
        assertTrue(perf(result, "ipv4_dynamic_used") != null);
        assertEquals(State.UNKNOWN, result.state(), result.summary());

        NetstatTable empty = new NetstatTable(List.of());
        HostFacts facts = new HostFacts(Map.of(Family.IPV4, DEFAULT), Map.of(Family.IPV4, new ExcludedRanges(List.of())),
                empty, new ProcessTable(List.of()));
        assertEquals(List.of(), UsageCount.of(facts, false, UsageThresholds.NONE), "netstat not read");
        assertEquals(1, UsageCount.of(facts, true, UsageThresholds.NONE).size());
        HostFacts noRange = new HostFacts(Map.of(), Map.of(Family.IPV4, new ExcludedRanges(List.of())), empty,
                new ProcessTable(List.of()));
        assertEquals(List.of(), UsageCount.of(noRange, true, UsageThresholds.NONE), "range not read");
    }

    /** Worst wins: usage over a threshold with the port findings; the status line says why. */
    @Test
    void usageOverAThresholdCombinesWithThePortFindings() throws Exception {
        CheckResult warn = judge("usage-known-count", new UsageThresholds(Threshold.parse("10"), Threshold.parse("20")));
        assertEquals(State.WARNING, warn.state());
        assertEquals("ipv4 dynamic ports 16 of 59527 in use (0.0%), warning range 10", warn.summary());
        assertEquals("ipv4_dynamic_used=16;10;20;0;59527", perf(warn, "ipv4_dynamic_used"));
        assertEquals("ipv6_dynamic_used=2;10;20;0;59528", perf(warn, "ipv6_dynamic_used"));

        CheckResult crit = judge("usage-known-count", new UsageThresholds(Threshold.parse("10"), Threshold.parse("15")));
        assertEquals(State.CRITICAL, crit.state());
        assertTrue(crit.summary().startsWith("ipv4 dynamic ports 16 of 59527 in use (0.0%), critical range 15"),
                crit.summary());

        // a WARNING port finding and a CRITICAL usage: CRITICAL, both named
        CheckResult both = judge("ephemeral-reuse", new UsageThresholds(null, Threshold.parse("@1:")));
        assertEquals(State.CRITICAL, both.state());
        assertTrue(both.summary().startsWith("ipv4 dynamic ports 1 of 59528 in use (0.0%), critical range @1:; 9933/tcp"),
                both.summary());
        // a WARNING port finding and usage within its thresholds: the port finding's WARNING stands
        CheckResult quiet = judge("ephemeral-reuse", new UsageThresholds(Threshold.parse("80%"), Threshold.parse("90%")));
        assertEquals(State.WARNING, quiet.state());
        assertFalse(quiet.summary().contains("dynamic ports"), quiet.summary());
        assertEquals("ipv4_dynamic_used=1;47622;53575;0;59528", perf(quiet, "ipv4_dynamic_used"));
    }

    @Test
    void perfdataItemsLeaveOutTrailingEmptyFieldsOnly() {
        assertEquals("watched=4", new PerfDatum("watched", 4, "").nagiosItem());
        assertEquals("x=5;;10;0;100", new PerfDatum("x", 5, "", "", "10", "0", "100").nagiosItem());
        assertEquals("x=5;~:3", new PerfDatum("x", 5, "", "~:3", "", "", "").nagiosItem());
        assertEquals("'a b'=5;1;2;0;9", new PerfDatum("a b", 5, "", "1", "2", "0", "9").nagiosItem());
    }

    /**
     * percentText computes in integers what {@code String.format(Locale.ROOT, "%.1f%%", ...)} printed before
     * (the formatter cost a check the JDK's locale data at start-up): the same text for every count of small
     * ranges, both sides of each rounding step, and the ranges hosts have (Exchange's, Windows' default, the
     * largest).
     */
    @Test
    void percentTextIsWhatTheFormatterPrinted() {
        java.util.List<Integer> availables = new java.util.ArrayList<>();
        for (int a = 1; a <= 400; a++) {
            availables.add(a);
        }
        availables.addAll(List.of(1000, 3333, 16383, 16384, 59527, 59529, 59530, 65535, 65536));
        for (int available : availables) {
            for (int used = 0; used <= available; used++) {
                String expected = String.format(java.util.Locale.ROOT, "%.1f%%", used * 100.0 / available);
                DynamicUsage u = new DynamicUsage(Family.IPV4, DEFAULT, 0, available, used, List.of(), null, null,
                        State.OK);
                if (!expected.equals(u.percentText())) {
                    assertEquals(expected, u.percentText(), used + " of " + available);
                }
            }
        }
        assertEquals("100%", new DynamicUsage(Family.IPV4, DEFAULT, 0, 0, 0, List.of(), null, null, State.OK)
                .percentText());
    }
}
