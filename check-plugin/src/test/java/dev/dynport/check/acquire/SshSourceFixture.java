package dev.dynport.check.acquire;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * One embedded Windows-like sshd per test, a known_hosts that trusts it and an authorized ed25519 key: what the
 * SshSource*Test classes share, so each of them holds one concern (capture, authentication, host keys, network).
 */
abstract class SshSourceFixture {
    static final Charset CP850 = Charset.forName("IBM850");
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final Duration SHORT = Duration.ofSeconds(2);
    /** How far past -t a check may end: thread hand-over and socket close on a loaded 2-core CI machine. */
    static final long MARGIN_MILLIS = 750;

    @TempDir
    Path dir;

    FakeWindowsHost host;
    Path knownHosts;
    TestKeys.ClientKey ed25519;

    @BeforeEach
    void startHost() throws Exception {
        host = FakeWindowsHost.ed25519();
        knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "# constructed test known_hosts\n" + host.knownHostsLine() + "\n");
        ed25519 = TestKeys.openSsh(dir, KeyPairProvider.SSH_ED25519, 256, null);
        host.authorize(ed25519.publicBlob());
    }

    @AfterEach
    void stopHost() throws Exception {
        host.close();
    }

    SshSource source(SshCredentials credentials, HostKeyPolicy policy) {
        return new SshSource(new SshTarget("127.0.0.1", host.port(), "monitor"), credentials, policy, CP850);
    }

    SshSource keySource(TestKeys.ClientKey key, String passphrase) throws Exception {
        return source(credentials(key, passphrase), new HostKeyPolicy(knownHosts, false));
    }

    static SshCredentials credentials(TestKeys.ClientKey key, String passphrase) throws Exception {
        return new SshCredentials(List.of(new SshCredentials.Identity(key.file().toString(), key.type(),
                Files.readAllBytes(key.file()), passphrase == null ? null : passphrase.getBytes(StandardCharsets.UTF_8))),
                null);
    }

    static SshCredentials password(String pw) {
        return new SshCredentials(List.of(), pw.getBytes(StandardCharsets.UTF_8));
    }
}
