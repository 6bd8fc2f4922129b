package dev.dynport.probe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.judge.Profile;
import dev.dynport.check.judge.Threshold;
import dev.dynport.check.model.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check's -w/-c as usage_warning/usage_critical, and Linux targets (ssh platform linux, local on Linux). */
class UsageAndLinuxConfigTest {
    @TempDir
    Path dir;

    private AgentConfig parse(String json, String osName) throws ConfigException {
        return ConfigParser.parse(ConfigParser.readTree(json, "test.json"), Map.of("X", "pw"), dir, RawDelivery.READER,
                osName);
    }

    private List<String> errors(String json, String osName) {
        return ConfigParser.errors(assertThrows(ConfigException.class, () -> parse(json, osName)));
    }

    private String sshTarget(String extra) throws Exception {
        Files.writeString(dir.resolve("known_hosts"), "");
        return """
                {"type": "ssh", "hostname": "web01", "user": "monitor", "password": {"env": "X"},
                 "known_hosts": "%s"%s}""".formatted(dir.resolve("known_hosts"), extra);
    }

    @Test
    void usageThresholdsAreInheritedFromDefaultsAndOverriddenPerTarget() throws Exception {
        AgentConfig c = parse("""
                {"agent_name": "noc-1", "defaults": {"usage_warning": "80%", "usage_critical": "95%"},
                 "targets": [{"type": "snapshot", "file": "/a.snapshot"},
                             {"type": "snapshot", "file": "/b.snapshot", "usage_critical": "@50000:"}]}
                """, "Windows Server 2019");
        assertEquals("80%", c.targets().get(0).options().usage().warning().text());
        assertEquals("95%", c.targets().get(0).options().usage().critical().text());
        assertEquals("80%", c.targets().get(1).options().usage().warning().text());
        Threshold crit = c.targets().get(1).options().usage().critical();
        assertEquals(Threshold.parse("@50000:"), crit, "read by the check's own parser");
        assertTrue(c.describe().contains("usage_warning 80%, usage_critical @50000:"), c.describe());
    }

    @Test
    void withoutThresholdsUsageIsNotJudged() throws Exception {
        AgentConfig c = parse("""
                {"agent_name": "noc-1", "targets": [{"type": "snapshot", "file": "/a.snapshot"}]}
                """, "Linux");
        assertNull(c.targets().get(0).options().usage().warning());
        assertNull(c.targets().get(0).options().usage().critical());
    }

    @Test
    void badThresholdsAreRefusedWithTheChecksReasonPathAndValue() {
        assertEquals(List.of(
                "/defaults/usage_warning is not a threshold range: one bound a count and the other a percentage"
                        + " (syntax: 10, 10:, ~:10, 10:20, @10:20; a bound may be a percentage of the available"
                        + " ports, 80%) [90:50%]",
                "/targets/0/usage_critical must be a threshold range as a string, e.g. \"80%\" or \"50000\" [95]",
                "/targets/1/usage_warning is not a threshold range: a percentage over 100 (syntax: 10, 10:, ~:10,"
                        + " 10:20, @10:20; a bound may be a percentage of the available ports, 80%) [120%]",
                "/targets/2/usage_critical is not a threshold range: empty (syntax: 10, 10:, ~:10, 10:20, @10:20;"
                        + " a bound may be a percentage of the available ports, 80%) []"),
                errors("""
                        {"agent_name": "noc-1", "defaults": {"usage_warning": "90:50%"},
                         "targets": [{"type": "snapshot", "file": "/a.snapshot", "usage_critical": 95},
                                     {"type": "snapshot", "file": "/b.snapshot", "usage_warning": "120%"},
                                     {"type": "snapshot", "file": "/c.snapshot", "usage_critical": ""}]}
                        """, "Linux"));
    }

    @Test
    void aUsageOnlyTargetIsAllowedAsInTheCheck() throws Exception {
        AgentConfig c = parse("""
                {"agent_name": "noc-1", "targets": [
                  {"type": "snapshot", "file": "/a.snapshot", "profile": "none", "usage_critical": "95%"}]}
                """, "Linux");
        assertEquals(Profile.NONE, c.targets().get(0).options().profile());
        assertEquals(List.of(), c.targets().get(0).options().extraPorts());
    }

    @Test
    void anSshTargetWithPlatformLinuxWatchesItsPortsOnly() throws Exception {
        AgentConfig c = parse("""
                {"agent_name": "noc-1", "defaults": {"profile": "exchange"},
                 "targets": [%s, %s]}
                """.formatted(sshTarget(", \"platform\": \"linux\", \"ports\": [40000]"),
                sshTarget(", \"name\": \"exch01\"")), "Windows Server 2019");
        TargetConfig linux = c.targets().get(0);
        assertEquals(Platform.LINUX, ((TargetAccess.Ssh) linux.access()).platform());
        assertEquals(Profile.NONE, linux.options().profile(), "the Exchange profile of /defaults is not applied");
        assertEquals(40000, linux.options().extraPorts().get(0).port());
        assertTrue(linux.access().toString().endsWith(" platform=linux"), linux.access().toString());
        TargetConfig windows = c.targets().get(1);
        assertEquals(Platform.WINDOWS, ((TargetAccess.Ssh) windows.access()).platform());
        assertEquals(Profile.EXCHANGE, windows.options().profile());
    }

    @Test
    void linuxTargetsRefuseAnExchangeProfileAnUnknownPlatformAndWatchingNothing() throws Exception {
        assertEquals(List.of(
                "/targets/0/profile is for Exchange on Windows; a Linux target watches its \"ports\" only"
                        + " (docs/linux.md) [exchange]",
                "/targets/1/platform must be one of linux, windows [freebsd]",
                "/targets/2 has nothing to watch on a Linux target: give \"ports\", or usage_warning or"
                        + " usage_critical for the dynamic port usage (docs/linux.md)",
                "/targets/3/platform must be one of linux, windows [Linux]"),
                errors("""
                        {"agent_name": "noc-1", "targets": [%s, %s, %s, %s]}
                        """.formatted(
                        sshTarget(", \"name\": \"a\", \"platform\": \"linux\", \"profile\": \"exchange\","
                                + " \"ports\": [40000]"),
                        sshTarget(", \"name\": \"b\", \"platform\": \"freebsd\""),
                        sshTarget(", \"name\": \"c\", \"platform\": \"linux\""),
                        sshTarget(", \"name\": \"d\", \"platform\": \"Linux\"")), "Windows Server 2019"));
    }

    @Test
    void aLocalTargetOnLinuxIsALinuxTarget() throws Exception {
        String usageOnly = """
                {"agent_name": "noc-1", "targets": [{"type": "local", "usage_warning": "80%"}]}
                """;
        TargetConfig t = parse(usageOnly, "Linux").targets().get(0);
        assertEquals(Profile.NONE, t.options().profile());
        assertEquals(List.of(
                "/targets/0 has nothing to watch on a Linux target: give \"ports\", or usage_warning or"
                        + " usage_critical for the dynamic port usage (docs/linux.md)"),
                errors("""
                        {"agent_name": "noc-1", "targets": [{"type": "local"}]}
                        """, "Linux"));
        assertEquals(Profile.EXCHANGE_POPIMAP, parse("""
                {"agent_name": "noc-1", "targets": [{"type": "local"}]}
                """, "Windows Server 2022").targets().get(0).options().profile(), "on Windows as before");
        assertEquals(List.of("/targets/0/usage_warning is not a threshold range: expected a port count (0 or more, no"
                + " fraction) or a percentage such as 80% (syntax: 10, 10:, ~:10, 10:20, @10:20; a bound may be a"
                + " percentage of the available ports, 80%) [eighty]"),
                errors("""
                        {"agent_name": "noc-1", "targets": [{"type": "local", "usage_warning": "eighty"}]}
                        """, "Linux"), "one mistake, one error: not also 'nothing to watch'");
    }
}
