package dev.dynport.probe.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SinkHelpersTest {
    @Test
    void backoffDoublesFromInitialStaysWithinHalfAndFullAndIsCapped() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));
        assertEquals(Duration.ofMillis(500), b.delay(1, 0.0));
        assertEquals(Duration.ofMillis(1000), b.delay(1, 1.0));
        assertEquals(Duration.ofMillis(3000), b.delay(3, 0.5));
        assertEquals(Duration.ofSeconds(256), b.delay(9, 1.0));
        assertEquals(Duration.ofMinutes(5), b.delay(10, 1.0));
        assertEquals(Duration.ofMinutes(5), b.delay(1_000_000, 1.0), "no overflow after many failures");
        assertEquals(Duration.ofMillis(150_000), b.delay(64, 0.0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }

    @Test
    void pkcs1RsaKeyIsWrappedIntoTheSamePkcs8Structure() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        byte[] pkcs8 = kp.getPrivate().getEncoded();
        // PKCS#8 = 30 82 LL LL | 02 01 00 | 30 0d <rsaEncryption, NULL> | 04 82 LL LL <PKCS#1>
        byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
        assertArrayEquals(pkcs8, Tls.wrapPkcs1(pkcs1));
        String pem = TestPki.pem("RSA PRIVATE KEY", pkcs1);
        PrivateKey back = Tls.privateKey(pem);
        assertArrayEquals(pkcs8, back.getEncoded());
    }

    @Test
    void encryptedAndMissingKeysAreExplained() {
        GeneralSecurityException enc = assertThrows(GeneralSecurityException.class,
                () -> Tls.privateKey(TestPki.pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3})));
        assertTrue(enc.getMessage().startsWith("encrypted private keys are not supported"), enc.getMessage());
        GeneralSecurityException none = assertThrows(GeneralSecurityException.class,
                () -> Tls.privateKey("not a key"));
        assertEquals("no PEM private key block found", none.getMessage());
    }

    @Test
    void serviceTemplatesExpandAndTurnIntoAGlobForAllPortServices() {
        ServiceMapping m = new ServiceMapping(ServiceMapping.Mode.PER_PORT, "{host}-dynport-{port}-{family}", "dynport",
                "{host}");
        assertEquals("ex01-dynport-9955-ipv4", m.portService("ex01", 9955, "ipv4", "IMAP"));
        assertEquals("ex01-dynport-*-*", m.portServiceGlob("ex01"));
        assertEquals("a$b\\c", ServiceMapping.expand("{host}", java.util.Map.of("host", "a$b\\c")));
    }
}
