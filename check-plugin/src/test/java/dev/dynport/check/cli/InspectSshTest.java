package dev.dynport.check.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.acquire.FakeWindowsHost;
import dev.dynport.check.acquire.TestKeys;
import dev.dynport.check.cli.CheckDynportTest.Run;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --audit and --explain over SSH take the check's acquisition path: same bytes, same answer, same failure states. */
class InspectSshTest {
    @TempDir
    Path dir;

    private FakeWindowsHost host;
    private Path key;
    private Path knownHosts;
    private Map<String, String> env;

    @BeforeEach
    void start() throws Exception {
        host = FakeWindowsHost.ed25519();
        TestKeys.ClientKey k = TestKeys.openSsh(dir, KeyPairProvider.SSH_ED25519, 256, null);
        host.authorize(k.publicBlob());
        key = k.file();
        knownHosts = Files.writeString(dir.resolve("known_hosts"), host.knownHostsLine() + "\n");
        env = Map.of("HOME", dir.toString(), "USER", "nagios");
    }

    @AfterEach
    void stop() throws Exception {
        host.close();
    }

    private Run run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CheckDynport.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, "Linux");
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private List<String> ssh(String... extra) {
        List<String> a = new ArrayList<>(List.of("-H", "127.0.0.1", "-p", String.valueOf(host.port()), "-l", "monitor",
                "-i", key.toString(), "--known-hosts", knownHosts.toString()));
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void auditAndExplainOverSshEqualThoseOfTheSavedSnapshot() {
        Path saved = dir.resolve("exch01.snapshot");
        for (List<String> mode : List.of(List.of("--audit"), List.of("--explain", "9955"))) {
            List<String> live = ssh("--save-snapshot", saved.toString());
            live.addAll(mode);
            Run l = run(live);
            List<String> replay = new ArrayList<>(List.of("--snapshot", saved.toString()));
            replay.addAll(mode);
            Run r = run(replay);
            assertFalse(l.firstLine().startsWith("DYNPORT UNKNOWN"), l.out());
            assertEquals(r.exit(), l.exit());
            assertEquals(r.out(), l.out());
        }
    }

    @Test
    void refusedConnectionTakesTheUnreachableState() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = probe.getLocalPort();
        }
        Run r = run(List.of("-H", "127.0.0.1", "-p", String.valueOf(closed), "-i", key.toString(), "--known-hosts",
                knownHosts.toString(), "--unreachable-state", "critical", "--explain", "9955"));
        assertEquals(2, r.exit());
        assertTrue(r.firstLine().startsWith("DYNPORT CRITICAL - ssh [nagios@127.0.0.1:" + closed
                + "]: connection refused"), r.out());
    }
}
