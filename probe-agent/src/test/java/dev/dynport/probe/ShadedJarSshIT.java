package dev.dynport.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded {@code dynport-probe.jar} as shipped, in its own JVM, probing a host that only speaks ed25519 (host key
 * and user key), the key type docs/ssh.md recommends. JSch keeps its ed25519 code in multi-release entries, so this
 * fails unless the jar's manifest says {@code Multi-Release: true}.
 */
class ShadedJarSshIT {
    /** The four sc.exe sections the capture line ends with (constructed): the POP3 back-end Automatic but stopped. */
    private static final String SC_SECTIONS = "#@section sc-qc-msexchangepop3be\r\n[SC] QueryServiceConfig SUCCESS\r\n\r\n"
            + "SERVICE_NAME: MSExchangePOP3BE\r\n        START_TYPE         : 2   AUTO_START\r\n\r\n"
            + "#@section sc-queryex-msexchangepop3be\r\n\r\nSERVICE_NAME: MSExchangePOP3BE\r\n"
            + "        STATE              : 1  STOPPED \r\n        PID                : 0\r\n\r\n"
            + "#@section sc-qc-msexchangeimap4be\r\n[SC] QueryServiceConfig SUCCESS\r\n\r\n"
            + "SERVICE_NAME: MSExchangeIMAP4BE\r\n        START_TYPE         : 2   AUTO_START\r\n\r\n"
            + "#@section sc-queryex-msexchangeimap4be\r\n\r\nSERVICE_NAME: MSExchangeIMAP4BE\r\n"
            + "        STATE              : 4  RUNNING \r\n        PID                : 5100\r\n\r\n";

    private static final Path JAR = Path.of("target", "dynport-probe.jar");

    @TempDir
    Path dir;

    @Test
    void shadedAgentJarProbesAnEd25519HostWithAnEd25519Key() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "run after package: " + JAR.toAbsolutePath());
        KeyPair hostKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        KeyPair userKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        Path identity = dir.resolve("constructed-test-only-ed25519");
        try (OutputStream out = Files.newOutputStream(identity)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(userKey, "dynport-test-only", null, out);
        }
        List<String> accepted = Collections.synchronizedList(new ArrayList<>());
        // what the capture command line prints: capture-info (constructed) first, then the scenario's sections
        byte[] snapshot = concat(("#@section capture-info\r\nEXCH01\r\n2024-05-02T14:03:07+02:00\r\n"
                + "Microsoft Windows NT 10.0.17763.0\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                TestSupport.fixture("exchange-foreign-holder"), SC_SECTIONS.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setSignatureFactories(List.of(BuiltinSignatures.ed25519));
        server.setPublickeyAuthenticator((user, key, session) -> {
            boolean ok = user.equals("monitor") && KeyUtils.compareKeys(key, userKey.getPublic());
            if (ok) {
                accepted.add(KeyUtils.getKeyType(key));
            }
            return ok;
        });
        server.setCommandFactory((channel, command) -> new Printing(snapshot));
        server.start();
        try {
            Path knownHosts = Files.writeString(dir.resolve("known_hosts"),
                    "[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n");
            Path config = Files.writeString(dir.resolve("probe.json"), """
                    {"agent_name": "it-probe", "targets": [{"type": "ssh", "name": "exch01",
                      "hostname": "127.0.0.1", "port": %d, "user": "monitor",
                      "identity_file": "%s", "known_hosts": "%s", "timeout": "30s"}]}
                    """.formatted(server.getPort(), identity, knownHosts));
            Path out = dir.resolve("stdout");
            Path err = dir.resolve("stderr");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", JAR.toString(), "--config", config.toString(), "--once")
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "hang guard: the agent did not end");
            String log = Files.readString(err, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), log);
            assertFalse(accepted.isEmpty(), "the ed25519 user key was accepted: " + log);
            assertEquals(List.of("ssh-ed25519"), accepted.stream().distinct().toList(), log);
            assertFalse(log.contains("PROBE_FAILED"), log);
            assertTrue(log.contains("event 102 PORT_STATE_CHANGED exch01 9955/ipv4 CRITICAL"), log);
        } finally {
            server.stop(true);
        }
    }

    /** Prints the snapshot for whatever command was asked, and exits 0. */
    private static final class Printing implements Command {
        private final byte[] bytes;
        private OutputStream out;
        private ExitCallback exit;

        Printing(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public void setInputStream(InputStream in) {
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            Thread t = new Thread(() -> {
                try {
                    out.write(bytes);
                    out.flush();
                    exit.onExit(0);
                } catch (java.io.IOException e) {
                    exit.onExit(255);
                }
            }, "it-exec");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void destroy(ChannelSession channel) {
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
