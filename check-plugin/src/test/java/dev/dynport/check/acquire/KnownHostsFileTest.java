package dev.dynport.check.acquire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jcraft.jsch.HostKeyRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownHostsFileTest {
    private static String keyA;
    private static byte[] blobA;
    private static String keyB;
    private static String ecdsa;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() throws Exception {
        var a = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256).getPublic();
        keyA = PublicKeyEntry.toString(a);
        blobA = FakeWindowsHost.blob(a);
        keyB = PublicKeyEntry.toString(KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256).getPublic());
        ecdsa = PublicKeyEntry.toString(KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256).getPublic());
    }

    /** {@code |1|salt|hmac} as ssh-keygen -H writes it. */
    static String hashed(String name, byte[] salt) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(salt, "HmacSHA1"));
        byte[] h = mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
        return "|1|" + Base64.getEncoder().encodeToString(salt) + "|" + Base64.getEncoder().encodeToString(h);
    }

    private HostKeyVerifier verifier(String content, boolean acceptNew) throws Exception {
        Path f = dir.resolve("known_hosts");
        Files.writeString(f, content);
        return new HostKeyVerifier(KnownHostsFile.read(f), acceptNew);
    }

    @Test
    void plainNameMatchesOnPort22Only() throws Exception {
        HostKeyVerifier v = verifier("exch01.corp.example " + keyA + "\n", false);

        assertEquals(HostKeyRepository.OK, v.check("exch01.corp.example", blobA));
        assertEquals(HostKeyRepository.NOT_INCLUDED, v.check("[exch01.corp.example]:2222", blobA));
    }

    @Test
    void bracketedNameWithPortMatchesThatPort() throws Exception {
        HostKeyVerifier v = verifier("[exch01]:2222 " + keyA + "\n", false);

        assertEquals(HostKeyRepository.OK, v.check("[exch01]:2222", blobA));
        assertEquals(HostKeyRepository.NOT_INCLUDED, v.check("exch01", blobA));
    }

    @Test
    void hashedEntriesMatchTheirNameOnly() throws Exception {
        HostKeyVerifier v = verifier(hashed("[10.0.0.5]:2222", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
                15, 16, 17, 18, 19, 20}) + " " + keyA + "\n", false);

        assertEquals(HostKeyRepository.OK, v.check("[10.0.0.5]:2222", blobA));
        assertEquals(HostKeyRepository.NOT_INCLUDED, v.check("[10.0.0.6]:2222", blobA));
    }

    @Test
    void hostNamesAreComparedInLowerCaseLikeOpenSsh() throws Exception {
        HostKeyVerifier plain = verifier("exch01.corp.example " + keyA + "\n", false);
        HostKeyVerifier hashed = verifier(hashed("exch01.corp.example", new byte[20]) + " " + keyA + "\n", false);

        assertEquals(HostKeyRepository.OK, plain.check("EXCH01.Corp.Example", blobA));
        assertEquals(HostKeyRepository.OK, hashed.check("EXCH01.corp.example", blobA));
    }

    @Test
    void wildcardsAndNegationFollowOpenSsh() throws Exception {
        HostKeyVerifier v = verifier("!exch99.corp.example,exch??.corp.example,*.dmz.example " + keyA + "\n", false);

        assertEquals(HostKeyRepository.OK, v.check("exch01.corp.example", blobA));
        assertEquals(HostKeyRepository.OK, v.check("Mail.DMZ.example", blobA));
        assertEquals(HostKeyRepository.NOT_INCLUDED, v.check("exch99.corp.example", blobA));
        assertEquals(HostKeyRepository.NOT_INCLUDED, v.check("exch100.corp.example", blobA));
    }

    @Test
    void anotherKeyOfTheSameTypeIsChanged() throws Exception {
        HostKeyVerifier v = verifier("exch01 " + keyB + "\n", true);

        assertEquals(HostKeyRepository.CHANGED, v.check("exch01", blobA));
        assertEquals(HostKeyVerifier.Verdict.CHANGED, v.verdict());
    }

    @Test
    void knownOnlyUnderAnotherKeyTypeIsRefusedEvenWithAcceptNew() throws Exception {
        HostKeyVerifier v = verifier("exch01 " + ecdsa + "\n", true);

        assertEquals(HostKeyRepository.CHANGED, v.check("exch01", blobA));
        assertEquals(HostKeyVerifier.Verdict.OTHER_TYPE_KNOWN, v.verdict());
    }

    @Test
    void revokedKeyIsRefused() throws Exception {
        HostKeyVerifier v = verifier("@revoked * " + keyA + "\nexch01 " + keyA + "\n", false);

        assertEquals(HostKeyRepository.CHANGED, v.check("exch01", blobA));
        assertEquals(HostKeyVerifier.Verdict.REVOKED, v.verdict());
    }

    @Test
    void acceptNewAppendsOneLineAfterExistingContentWithoutTrailingNewline() throws Exception {
        HostKeyVerifier v = verifier("# keep me\nother " + keyB, true);

        assertEquals(HostKeyRepository.OK, v.check("[exch01]:2222", blobA));

        assertEquals("# keep me\nother " + keyB + "\n[exch01]:2222 " + keyA + "\n",
                Files.readString(dir.resolve("known_hosts")));
        assertEquals(HostKeyVerifier.Verdict.ADDED, v.verdict());
    }

    @Test
    void garbageLinesAreSkipped() throws Exception {
        HostKeyVerifier v = verifier("exch01 ssh-ed25519 not-base64!!\nexch01\n@cert-authority * " + keyB
                + "\nexch01 ssh-rsa " + keyA.split(" ")[1] + "\n", false);

        assertEquals(HostKeyRepository.NOT_INCLUDED, v.check("exch01", blobA));
        assertFalse(v.getHostKey("exch01", null).length > 0);
    }

    @Test
    void fingerprintIsOpenSshSha256Form() {
        String fp = HostKeys.fingerprint(blobA);

        assertTrue(fp.matches("SHA256:[A-Za-z0-9+/]{43}"), fp);
    }
}
