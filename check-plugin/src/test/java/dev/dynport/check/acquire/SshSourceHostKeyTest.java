package dev.dynport.check.acquire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.acquire.AcquisitionException.Failure;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.Test;

/** Host-key checking: nothing is sent to a host whose key is unknown or changed. */
class SshSourceHostKeyTest extends SshSourceFixture {
    @Test
    void unknownHostKeyIsRefusedUnderStrictCheckingWithItsFingerprint() throws Exception {
        Files.writeString(knownHosts, "");

        AcquisitionException e = assertThrows(AcquisitionException.class,
                () -> keySource(ed25519, null).acquire(TIMEOUT));

        assertEquals(Failure.HOST_KEY_UNKNOWN, e.failure());
        String fp = HostKeys.fingerprint(FakeWindowsHost.blob(host.hostPublicKey()));
        assertTrue(e.getMessage().contains("server sent ssh-ed25519 key " + fp + ", not in [" + knownHosts + "] for [127.0.0.1]:"
                + host.port()), e.getMessage());
        assertTrue(host.authAttempts.isEmpty(), "no credential may be offered to an unverified host");
        assertTrue(host.commands.isEmpty());
        assertEquals("", Files.readString(knownHosts));
    }

    @Test
    void acceptNewWritesTheFirstSeenKeyAndLaterRunsVerifyAgainstIt() throws Exception {
        Path fresh = dir.resolve("sub/known_hosts");

        Snapshot first = source(credentials(ed25519, null), new HostKeyPolicy(fresh, true)).acquire(TIMEOUT);
        Snapshot second = source(credentials(ed25519, null), new HostKeyPolicy(fresh, false)).acquire(TIMEOUT);

        assertEquals(host.knownHostsLine() + "\n", Files.readString(fresh));
        assertArrayEquals(first.raw(), second.raw());
    }

    @Test
    void changedHostKeyIsRefusedEvenWithAcceptNewBeforeAnyCredentialIsSent() throws Exception {
        String impostor = "[127.0.0.1]:" + host.port() + " "
                + org.apache.sshd.common.config.keys.PublicKeyEntry.toString(
                        KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256).getPublic());
        Files.writeString(knownHosts, impostor + "\n");

        AcquisitionException e = assertThrows(AcquisitionException.class,
                () -> source(credentials(ed25519, null), new HostKeyPolicy(knownHosts, true)).acquire(TIMEOUT));

        assertEquals(Failure.HOST_KEY_CHANGED, e.failure());
        String fp = HostKeys.fingerprint(FakeWindowsHost.blob(host.hostPublicKey()));
        assertTrue(e.getMessage().startsWith("ssh [monitor@127.0.0.1:" + host.port() + "]: HOST KEY CHANGED, not connecting:"
                + " server sent ssh-ed25519 key " + fp), e.getMessage());
        assertTrue(host.authAttempts.isEmpty(), host.authAttempts.toString());
        assertTrue(host.commands.isEmpty());
        assertEquals(impostor + "\n", Files.readString(knownHosts));
    }

    @Test
    void hashedKnownHostsEntryIsRecognised() throws Exception {
        Files.writeString(knownHosts, KnownHostsFileTest.hashed("[127.0.0.1]:" + host.port(), new byte[20])
                + " " + org.apache.sshd.common.config.keys.PublicKeyEntry.toString(host.hostPublicKey()) + "\n");

        Snapshot s = keySource(ed25519, null).acquire(TIMEOUT);

        assertEquals(CaptureCommand.sections().size(), s.sections().size());
    }
}
