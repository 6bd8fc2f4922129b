package dev.dynport.probe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.judge.Profile;
import dev.dynport.check.judge.WatchedPort;
import dev.dynport.check.model.State;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import dev.dynport.probe.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigParserTest {
    private static final String TARGET_FIELDS = "charset, expect_host, expect_listening, exposed_state, file,"
            + " imap4_backend_port, interval, jitter, max_age, name, pop3_backend_port, ports, profile, timeout, type,"
            + " usage_critical, usage_warning, watch_unused";

    @TempDir
    Path dir;

    /** On a Windows agent host: a {@code local} target there is a Windows target (Linux: UsageAndLinuxConfigTest). */
    private AgentConfig parse(String json, Map<String, String> env) throws ConfigException {
        return ConfigParser.parse(ConfigParser.readTree(json, "test.json"), env, dir, RawDelivery.READER,
                "Windows Server 2022");
    }

    private List<String> errors(String json) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(json, Map.of()));
        return ConfigParser.errors(e);
    }

    @Test
    void aMinimalConfigGetsTheDocumentedDefaults() throws Exception {
        AgentConfig c = parse("""
                {"agent_name": "noc-1", "targets": [{"type": "snapshot", "file": "/var/lib/dynport/exch01.snapshot"}]}
                """, Map.of());
        assertEquals("noc-1", c.agentName());
        assertEquals(4, c.maxConcurrentProbes());
        assertEquals(2, c.consecutiveSamples());
        assertEquals(Duration.ofHours(4), c.renotifyInterval());
        assertEquals(Duration.ofMinutes(5), c.heartbeatInterval());
        assertEquals(new AgentConfig.Ops(true, "127.0.0.1", 9465, null), c.ops());
        TargetConfig t = c.targets().get(0);
        assertEquals("exch01", t.name(), "a snapshot target is named after its file");
        assertEquals(Duration.ofSeconds(60), t.interval());
        assertEquals(Duration.ofSeconds(10), t.jitter());
        assertEquals(Duration.ofSeconds(30), t.timeout());
        assertEquals(Profile.EXCHANGE_POPIMAP, t.options().profile());
        assertEquals(State.WARNING, t.options().exposedState());
        assertFalse(t.options().expectListening());
        assertEquals("IBM850", t.charset().name());
        assertTrue(((RawDelivery) c.delivery()).spool().isMissingNode());
        assertTrue(((RawDelivery) c.delivery()).sinks().isMissingNode());
    }

    @Test
    void targetsInheritDefaultsAndOverrideThem() throws Exception {
        Path key = TestSupport.sshKey(dir.resolve("id_ed25519"), null);
        Files.writeString(dir.resolve("known_hosts"), "");
        AgentConfig c = parse("""
                {"agent_name": "noc-1",
                 "defaults": {"interval": "5m", "profile": "exchange", "exposed_state": "critical", "charset": "437"},
                 "targets": [
                   {"type": "ssh", "hostname": "exch01.corp.example", "user": "monitor", "identity_file": "%s",
                    "known_hosts": "%s", "expect_listening": true,
                    "ports": [12345, {"port": 2525, "label": "SMTP relay", "owners": ["MSExchangeFrontEndTransport"]}]},
                   {"name": "lab", "type": "local", "interval": "90s", "profile": "none", "ports": [9955]}
                 ],
                 "spool": {"dir": "/var/lib/dynport/spool"}, "sinks": [{"type": "jsonl"}]}
                """.formatted(key, dir.resolve("known_hosts")), Map.of());
        TargetConfig ssh = c.targets().get(0);
        assertEquals("exch01.corp.example", ssh.name());
        assertEquals(Duration.ofMinutes(5), ssh.interval());
        assertEquals(Profile.EXCHANGE, ssh.options().profile());
        assertEquals(State.CRITICAL, ssh.options().exposedState());
        assertTrue(ssh.options().expectListening());
        assertEquals("IBM437", ssh.charset().name());
        assertEquals(List.of(new WatchedPort(12345, "port 12345", List.of(), WatchedPort.Origin.USER),
                new WatchedPort(2525, "SMTP relay", List.of("MSExchangeFrontEndTransport"), WatchedPort.Origin.USER)),
                ssh.options().extraPorts());
        TargetAccess.Ssh a = (TargetAccess.Ssh) ssh.access();
        assertEquals(22, a.port());
        assertFalse(a.acceptNewHostKey());
        TargetConfig local = c.targets().get(1);
        assertEquals(Duration.ofSeconds(90), local.interval());
        assertEquals(Profile.NONE, local.options().profile());
        assertEquals("/var/lib/dynport/spool", ((RawDelivery) c.delivery()).spool().get("dir").asText());
        assertEquals(1, ((RawDelivery) c.delivery()).sinks().size());
    }

    @Test
    void backendPortsAndWatchUnusedReachTheCheckAndBadValuesAreNamed() throws Exception {
        AgentConfig c = parse("""
                {"agent_name": "noc-1", "defaults": {"pop3_backend_port": 1995, "watch_unused": true},
                 "targets": [{"type": "snapshot", "file": "/x.snapshot", "imap4_backend_port": 1993}],
                 "spool": {"dir": "/var/lib/dynport/spool"}, "sinks": [{"type": "jsonl"}]}
                """, Map.of());
        assertEquals(Map.of("MSExchangePOP3BE", 1995, "MSExchangeIMAP4BE", 1993),
                c.targets().get(0).options().backendPorts());
        assertTrue(c.targets().get(0).options().watchUnused());
        assertEquals(List.of("/defaults/pop3_backend_port must be a port number from 1 to 65535 [70000]",
                "/targets/0/watch_unused must be true or false [\"yes\"]"),
                errors("""
                        {"agent_name": "noc-1", "defaults": {"pop3_backend_port": 70000},
                         "targets": [{"type": "snapshot", "file": "/x.snapshot", "watch_unused": "yes"}]}
                        """));
    }

    @Test
    void unreachableStateOkCannotBeConfiguredAnywhere() {
        // An unreachable host must never read as OK: the agent has no such setting (see CheckDefaults).
        assertEquals(List.of(
                "/defaults/unreachable_state is not a known field [unreachable_state]; known: "
                        + "charset, expect_listening, exposed_state, imap4_backend_port, interval, jitter,"
                        + " pop3_backend_port, ports, profile, timeout, usage_critical, usage_warning, watch_unused",
                "/targets/0/unreachable_state is not a known field [unreachable_state]; known: "
                        + TARGET_FIELDS),
                errors("""
                        {"agent_name": "noc-1", "defaults": {"unreachable_state": "ok"},
                         "targets": [{"type": "snapshot", "file": "/x.snapshot", "unreachable_state": "ok"}]}
                        """));
    }

    @Test
    void everyErrorIsReportedAtOnceWithItsPathAndValue() {
        assertEquals(List.of(
                "/agent_name must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit [noc 1]",
                "/max_concurrent_probes must be a whole number from 1 to 64 [0]",
                "/consecutive_samples must be a whole number from 1 to 100 [\"2\"]",
                "/heartbeat_interval must be a duration like 60s or 5m [often]",
                "/ops/port must be a port number from 0 to 65535 [70000]",
                "/targets/0/type must be one of ssh, local, snapshot [winrm]",
                "/targets/1/profile must be one of exchange-popimap, exchange, none [exchange2013]",
                "/targets/2/interval must be a duration like 60s or 5m [abc]",
                "/targets/2/exposed_state must be warning or critical [ok]",
                "/targets/2/ports/0 must be a port number from 1 to 65535 [0]",
                "/targets/2/ports/1/port must be a port number from 1 to 65535 [\"9955\"]",
                "/targets/3/expect_listning is not a known field [expect_listning]; known: " + TARGET_FIELDS,
                "/targets/3/file is required for a snapshot target"),
                errors("""
                        {"agent_name": "noc 1", "max_concurrent_probes": 0, "consecutive_samples": "2",
                         "heartbeat_interval": "often", "ops": {"port": 70000},
                         "targets": [
                           {"type": "winrm"},
                           {"type": "local", "profile": "exchange2013"},
                           {"type": "local", "name": "x", "interval": "abc", "exposed_state": "ok",
                            "ports": [0, {"port": "9955"}]},
                           {"type": "snapshot", "expect_listning": true}
                         ]}
                        """));
    }

    @Test
    void timingMustFitTheInterval() {
        assertEquals(List.of(
                "/targets/0/jitter leaves a jitter (1m) that is not shorter than the interval (1m) [60s]",
                "/targets/1/timeout leaves a timeout (2m) longer than the interval (1m) [2m]",
                "/targets/2/interval leaves a jitter (10s) that is not shorter than the interval (5s) [5s]",
                "/targets/2/interval leaves a timeout (30s) longer than the interval (5s) [5s]",
                "/targets/3/interval must be longer than 0s [0s]",
                "/targets/4/interval must be at least 1s [500ms]"),
                errors("""
                        {"agent_name": "a", "targets": [
                          {"type": "local", "name": "a", "jitter": "60s"},
                          {"type": "local", "name": "b", "timeout": "2m"},
                          {"type": "local", "name": "c", "interval": "5s"},
                          {"type": "local", "name": "d", "interval": "0s"},
                          {"type": "local", "name": "e", "interval": "500ms"}
                        ]}
                        """));
    }

    @Test
    void sshTargetsNeedCredentialsAndAVerifiableHostKey() {
        assertEquals(List.of(
                "/targets/0/hostname is required",
                "/targets/0/user is required",
                "/targets/0 needs identity_file or password for SSH authentication",
                "/targets/0/known_hosts cannot be read and accept_new_host_key is false, so no host key could ever be"
                        + " verified [" + dir.resolve(".ssh").resolve("known_hosts") + "]",
                "/targets/1/port must be a port number from 1 to 65535 [0]",
                "/targets/1/identity_file cannot be read [/nonexistent/id_rsa]",
                "/targets/1/password/env names an unset or empty environment variable [DYNPORT_PW]"),
                errors("""
                        {"agent_name": "a", "targets": [
                          {"type": "ssh"},
                          {"type": "ssh", "hostname": "h", "user": "u", "identity_file": "/nonexistent/id_rsa",
                           "password": {"env": "DYNPORT_PW"}, "port": 0, "accept_new_host_key": true}
                        ]}
                        """));
    }

    @Test
    void namesMustBeUniqueAndAProfileOfNoneNeedsPorts() {
        assertEquals(List.of(
                "/targets/1/name repeats the name of /targets/0 [exch01]",
                "/targets/2/ports must list at least one port when the profile is none (or give usage_warning or"
                        + " usage_critical for the dynamic port usage)"),
                errors("""
                        {"agent_name": "a", "targets": [
                          {"type": "snapshot", "file": "/x/exch01.snapshot"},
                          {"type": "local", "name": "exch01"},
                          {"type": "local", "name": "c", "profile": "none"}
                        ]}
                        """));
    }

    @Test
    void snapshotTargetsTakeMaxAgeAndExpectHostWithPathQualifiedErrors() throws Exception {
        AgentConfig c = parse("""
                {"agent_name": "a", "targets": [{"type": "snapshot", "file": "/x/exch01.snapshot", "max_age": "26h",
                  "expect_host": "exch01.contoso.example"}]}
                """, Map.of());
        assertEquals(new TargetAccess.SnapshotFile(Path.of("/x/exch01.snapshot"),
                new dev.dynport.check.judge.Freshness(Duration.ofHours(26), "exch01.contoso.example")),
                c.targets().get(0).access());
        assertEquals(List.of(
                "/targets/0/max_age must be a whole number and a unit s, m, h or d (e.g. 26h), from 1s to 3650d [1.5h]",
                "/targets/0/expect_host must be a host name (letters, digits, '-', '_', labels separated by dots)"
                        + " [exch 01]",
                "/targets/1/max_age must be a whole number and a unit s, m, h or d (e.g. 26h), from 1s to 3650d [0s]"),
                errors("""
                        {"agent_name": "a", "targets": [
                          {"type": "snapshot", "file": "/x/a.snapshot", "max_age": "1.5h", "expect_host": "exch 01"},
                          {"type": "snapshot", "file": "/x/b.snapshot", "max_age": "0s"}
                        ]}
                        """));
    }

    @Test
    void missingTopLevelPartsAreNamed() {
        assertEquals(List.of("/agent_name is required", "/targets is required"), errors("{}"));
        assertEquals(List.of("/targets must list at least one target"), errors("{\"agent_name\": \"a\", \"targets\": []}"));
        assertEquals(List.of("/ must be a JSON object [an array]"), errors("[]"));
    }

    @Test
    void badJsonNamesTheFileAndPlaceButNotTheText() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigParser.readTree("{\"agent_name\": \"a\",\n \"password\": hunter2}", "probe.json"));
        assertEquals("config is not valid JSON [probe.json line 2 column 14]", e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"));
    }

    @Test
    void aMissingConfigFileIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.readTree(dir.resolve("nope.json")));
        assertEquals("config file does not exist [" + dir.resolve("nope.json") + "]", e.getMessage());
    }

    @Test
    void secretsAreResolvedFromEnvAndFilesAndMaskedInTheDump() throws Exception {
        Path key = TestSupport.sshKey(dir.resolve("id_ed25519"), "s3cret-from-file");
        Path pass = Files.writeString(dir.resolve("pass"), "s3cret-from-file\n", StandardCharsets.UTF_8);
        AgentConfig c = parse("""
                {"agent_name": "a", "targets": [
                  {"type": "ssh", "hostname": "h", "user": "u", "identity_file": "%s",
                   "passphrase": {"file": "%s"}, "accept_new_host_key": true},
                  {"type": "ssh", "name": "h2", "hostname": "h2", "user": "u", "password": {"env": "PW"},
                   "accept_new_host_key": true}
                ]}
                """.formatted(key, pass), Map.of("PW", "s3cret-from-env"));
        TargetAccess.Ssh a = (TargetAccess.Ssh) c.targets().get(0).access();
        assertEquals("s3cret-from-file", a.passphrase().valueAsString());
        assertEquals("s3cret-from-env", ((TargetAccess.Ssh) c.targets().get(1).access()).password().valueAsString());
        String dump = c.describe() + c.targets();
        assertFalse(dump.contains("s3cret"), dump);
        assertTrue(dump.contains("password=<masked from env PW>"), dump);
    }

    @Test
    void theExampleConfigInTemplatesIsValid() throws Exception {
        // Point the example's absolute files into the temp dir: the SSH checks read identity and known_hosts.
        String text = Files.readString(Path.of("..", "templates", "probe", "probe.example.json"))
                .replace("/etc/dynport/", dir.toString().replace("\\", "/") + "/");
        TestSupport.sshKey(dir.resolve("id_ed25519"), "y");
        Files.writeString(dir.resolve("known_hosts"), "");
        // Valid on the Exchange server itself and on a Linux monitoring host (this-host is then usage-only).
        for (String os : List.of("Windows Server 2022", "Linux")) {
            AgentConfig c = ConfigParser.parse(ConfigParser.readTree(text, "probe.example.json"),
                    Map.of("DYNPORT_SSH_PASSWORD", "x", "DYNPORT_KEY_PASSPHRASE", "y"), dir, RawDelivery.READER, os);
            assertEquals(List.of("exch01", "exch02", "this-host", "relay01", "lab-replay"),
                    c.targets().stream().map(TargetConfig::name).toList());
            assertEquals(6, ((RawDelivery) c.delivery()).sinks().size());
        }
    }

    @Test
    void upperCaseWordsParseTheSameUnderATurkishDefaultLocale() throws Exception {
        java.util.Locale saved = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
            AgentConfig c = parse("""
                    {"agent_name": "a", "targets": [{"type": "local", "interval": "5M", "jitter": "10S",
                      "profile": "EXCHANGE-POPIMAP", "exposed_state": "CRITICAL", "charset": "ibm850"}]}
                    """, Map.of());
            TargetConfig t = c.targets().get(0);
            assertEquals(Duration.ofMinutes(5), t.interval());
            assertEquals(Profile.EXCHANGE_POPIMAP, t.options().profile());
            assertEquals(State.CRITICAL, t.options().exposedState());
        } finally {
            java.util.Locale.setDefault(saved);
        }
    }

    @Test
    void durationsHaveOneFormAndFormatBack() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms").orElseThrow());
        assertEquals(Duration.ofDays(1), Durations.parse("1d").orElseThrow());
        assertTrue(Durations.parse("1.5m").isEmpty());
        assertTrue(Durations.parse("PT5M").isEmpty());
        assertTrue(Durations.parse("5").isEmpty());
        assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
        assertEquals("4h", Durations.format(Duration.ofHours(4)));
    }
}
