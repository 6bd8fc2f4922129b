package dev.dynport.check.acquire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.acquire.AcquisitionException.Failure;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Client authentication: every supported key kind, passwords, and rejections that name what was tried. */
class SshSourceAuthTest extends SshSourceFixture {
    static Stream<Arguments> keyKinds() {
        return Stream.of(
                Arguments.of("ed25519 OpenSSH", (KeyMaker) d -> TestKeys.openSsh(d, KeyPairProvider.SSH_ED25519, 256, null), null),
                Arguments.of("ed25519 OpenSSH encrypted", (KeyMaker) d -> TestKeys.openSsh(d, KeyPairProvider.SSH_ED25519, 256, "correct horse"), "correct horse"),
                Arguments.of("ECDSA P-256 OpenSSH", (KeyMaker) d -> TestKeys.openSsh(d, KeyPairProvider.ECDSA_SHA2_NISTP256, 256, null), null),
                Arguments.of("ECDSA P-384 PEM", (KeyMaker) d -> TestKeys.pem(d, com.jcraft.jsch.KeyPair.ECDSA, 384, null), null),
                Arguments.of("RSA 3072 OpenSSH encrypted", (KeyMaker) d -> TestKeys.openSsh(d, KeyPairProvider.SSH_RSA, 3072, "p4ss"), "p4ss"),
                Arguments.of("RSA 2048 PEM", (KeyMaker) d -> TestKeys.pem(d, com.jcraft.jsch.KeyPair.RSA, 2048, null), null),
                Arguments.of("RSA 2048 PEM encrypted", (KeyMaker) d -> TestKeys.pem(d, com.jcraft.jsch.KeyPair.RSA, 2048, "pem-pass"), "pem-pass"));
    }

    interface KeyMaker {
        TestKeys.ClientKey make(Path dir) throws Exception;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyKinds")
    void authenticatesWithKey(String kind, KeyMaker maker, String passphrase) throws Exception {
        TestKeys.ClientKey key = maker.make(dir);
        host.authorize(key.publicBlob());

        Snapshot s = keySource(key, passphrase).acquire(TIMEOUT);

        assertEquals(CaptureCommand.sections().size(), s.sections().size(), kind);
        assertEquals(List.of("publickey:monitor:" + key.type()), host.authAttempts.stream()
                .filter(a -> a.startsWith("publickey")).distinct().toList(), kind);
    }

    @Test
    void negotiatesCurrentAlgorithms() throws Exception {
        keySource(ed25519, null).acquire(TIMEOUT);

        String negotiated = host.negotiated.get(0);
        assertTrue(negotiated.matches("(curve25519-sha256|mlkem768x25519-sha256|sntrup761x25519-sha512@openssh.com) ssh-ed25519"),
                negotiated);
    }

    @Test
    void authenticatesWithPassword() throws Exception {
        host.password("Winter2026!");

        Snapshot s = source(password("Winter2026!"), new HostKeyPolicy(knownHosts, false)).acquire(TIMEOUT);

        assertEquals(CaptureCommand.sections().size(), s.sections().size());
        assertTrue(host.authAttempts.contains("password:monitor"), host.authAttempts.toString());
    }

    @Test
    void wrongPasswordIsAuthRejectedNamingTheMethodsButNotThePassword() {
        host.password("Winter2026!");

        AcquisitionException e = assertThrows(AcquisitionException.class,
                () -> source(password("Summer2026?"), new HostKeyPolicy(knownHosts, false)).acquire(TIMEOUT));

        assertEquals(Failure.AUTH_REJECTED, e.failure());
        assertTrue(e.getMessage().startsWith("ssh [monitor@127.0.0.1:" + host.port() + "]: authentication rejected"
                + " for user [monitor] (tried password, keyboard-interactive; server accepts: "), e.getMessage());
        assertFalse(e.getMessage().contains("Summer2026"));
        assertTrue(host.commands.isEmpty());
    }

    @Test
    void keyTheServerDoesNotAuthorizeIsAuthRejectedNamingTheKeyFile() throws Exception {
        TestKeys.ClientKey stranger = TestKeys.openSsh(dir, KeyPairProvider.ECDSA_SHA2_NISTP256, 256, null);

        AcquisitionException e = assertThrows(AcquisitionException.class,
                () -> keySource(stranger, null).acquire(TIMEOUT));

        assertEquals(Failure.AUTH_REJECTED, e.failure());
        assertTrue(e.getMessage().contains("tried publickey [" + stranger.file() + "] (ecdsa-sha2-nistp256)"),
                e.getMessage());
        assertTrue(host.commands.isEmpty());
    }
}
