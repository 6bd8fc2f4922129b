package dev.dynport.check.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.acquire.FakeWindowsHost;
import dev.dynport.check.acquire.TestKeys;
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

/** check_dynport -H end to end through the CLI entry point against the embedded fake Windows host. */
class SshCliTest {
    @TempDir
    Path dir;

    private FakeWindowsHost host;
    private Path key;
    private Path knownHosts;
    private Map<String, String> env;

    record Run(int exit, String out, String err, long millis) {
        String firstLine() {
            return out.lines().findFirst().orElse("");
        }
    }

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

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long start = System.nanoTime();
        int exit = CheckDynport.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, "Linux");
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                (System.nanoTime() - start) / 1_000_000);
    }

    private List<String> ssh(String... extra) {
        List<String> a = new ArrayList<>(List.of("-H", "127.0.0.1", "-p", String.valueOf(host.port()), "-l", "monitor",
                "-i", key.toString(), "--known-hosts", knownHosts.toString()));
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void verdictOverSshEqualsTheVerdictOnTheSavedSnapshot() throws Exception {
        Path saved = dir.resolve("exch01.snapshot");

        Run live = run(ssh("--save-snapshot", saved.toString()).toArray(String[]::new));
        Run replay = run("--snapshot", saved.toString());

        assertArrayEquals(host.expectedStdout(), Files.readAllBytes(saved));
        assertEquals(replay.exit(), live.exit());
        assertEquals(replay.out().replace(saved.toString(), "ORIGIN"),
                live.out().replace("ssh://monitor@127.0.0.1:" + host.port(), "ORIGIN"));
        assertTrue(live.firstLine().startsWith("DYNPORT "), live.out());
        assertFalse(live.firstLine().startsWith("DYNPORT UNKNOWN"), live.out());
    }

    @Test
    void hostThatStallsEndsUnknownWithinTheTimeoutNamingThePhase() {
        host.behaviour(FakeWindowsHost.Behaviour.STALL_AFTER_HALF);

        Run r = run(ssh("-t", "2").toArray(String[]::new));

        assertEquals(3, r.exit());
        assertTrue(r.firstLine().startsWith("DYNPORT UNKNOWN - ssh [monitor@127.0.0.1:" + host.port()
                + "]: timed out after 2s while reading the output ("), r.out());
        assertTrue(r.millis() < 2_750, "took " + r.millis() + " ms");
    }

    @Test
    void refusedConnectionTakesTheUnreachableState() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = probe.getLocalPort();
        }

        Run r = run("-H", "127.0.0.1", "-p", String.valueOf(closed), "-i", key.toString(), "--known-hosts",
                knownHosts.toString(), "--unreachable-state", "critical");

        assertEquals(2, r.exit());
        assertEquals("DYNPORT CRITICAL - ssh [nagios@127.0.0.1:" + closed + "]: connection refused (is sshd running on port "
                + closed + "?)", r.firstLine());
    }

    @Test
    void changedHostKeyIsUnknownWhateverTheUnreachableState() throws Exception {
        Files.writeString(knownHosts, "[127.0.0.1]:" + host.port() + " ssh-ed25519 "
                + "AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA constructed\n");

        Run r = run(ssh("--unreachable-state", "critical").toArray(String[]::new));

        assertEquals(3, r.exit());
        assertTrue(r.firstLine().contains("HOST KEY CHANGED, not connecting"), r.out());
        assertTrue(host.commands.isEmpty());
    }

    @Test
    void rejectedPasswordNeverAppearsInTheOutput() {
        host.password("Winter2026!");
        env = Map.of("HOME", dir.toString(), "USER", "nagios", SshArguments.PASSWORD_ENV, "Summer2026?");

        Run r = run("-H", "127.0.0.1", "-p", String.valueOf(host.port()), "-l", "monitor", "--known-hosts",
                knownHosts.toString());

        assertEquals(3, r.exit());
        assertTrue(r.firstLine().contains("authentication rejected for user [monitor] (tried password"), r.out());
        assertFalse((r.out() + r.err()).contains("Summer2026"), r.out());
    }
}
