package dev.dynport.probe.sink;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The constructed test PKI in {@code src/test/resources/pki/} (made by {@code make-constructed-pki.sh} with
 * keytool, valid 100 years; generating it per run took 16 s): a CA, a server certificate for 127.0.0.1, a client
 * certificate CN=probe-a as PKCS#12 and as PEM (chain + PKCS#8 key), and an unrelated CA. All EC P-256.
 */
final class TestPki {
    static final String PASS = "changeit";
    private static TestPki instance;

    final Path caPem;
    final Path serverP12;
    final Path clientP12;
    final Path clientCertPem;
    final Path clientKeyPem;
    final Path otherCaPem;

    private TestPki() throws URISyntaxException {
        caPem = resource("ca-constructed.pem");
        serverP12 = resource("server-constructed.p12");
        clientP12 = resource("client-constructed.p12");
        clientCertPem = resource("client-cert-constructed.pem");
        clientKeyPem = resource("client-key-constructed.pem");
        otherCaPem = resource("other-ca-constructed.pem");
    }

    private static Path resource(String name) throws URISyntaxException {
        URL u = TestPki.class.getResource("/pki/" + name);
        if (u == null) {
            throw new IllegalStateException("missing test resource /pki/" + name);
        }
        return Path.of(u.toURI());
    }

    static synchronized TestPki get() throws Exception {
        if (instance == null) {
            instance = new TestPki();
        }
        return instance;
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    static KeyStore load(Path p12) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, PASS.toCharArray());
        }
        return ks;
    }

    /** The server side: its key from server.p12, trusting the test CA (for client certificates). */
    SSLContext serverContext() throws IOException, GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(serverP12), PASS.toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", Tls.certificates(caPem).get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
