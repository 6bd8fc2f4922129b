package dev.dynport.probe.sink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away test PKI made once per test JVM with the JDK's keytool: a CA, a server certificate for
 * 127.0.0.1 and a client certificate, all EC P-256 and signed by the CA. The client identity is also written
 * as PEM (certificate chain + PKCS#8 key) for the icinga2 sink's PEM client-certificate support.
 */
final class TestPki {
    static final String PASS = "changeit";
    private static TestPki instance;

    final Path dir;
    final Path caPem;
    final Path serverP12;
    final Path clientP12;
    final Path clientCertPem;
    final Path clientKeyPem;
    final Path otherCaPem;

    private TestPki(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
        this.dir = dir;
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=dynport test CA", "-ext", "bc:c", "-validity", "30", "-keystore", "ca.p12");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
        caPem = dir.resolve("ca.pem");
        serverP12 = issue("server", "CN=127.0.0.1", "san=ip:127.0.0.1", "eku=serverAuth");
        clientP12 = issue("client", "CN=probe-a", "san=dns:probe-a", "eku=clientAuth");
        keytool("-genkeypair", "-alias", "other", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=unrelated CA", "-ext", "bc:c", "-validity", "30", "-keystore", "other.p12");
        keytool("-exportcert", "-rfc", "-alias", "other", "-keystore", "other.p12", "-file", "other.pem");
        otherCaPem = dir.resolve("other.pem");
        KeyStore ks = load(clientP12);
        StringBuilder chain = new StringBuilder();
        for (Certificate c : ks.getCertificateChain("client")) {
            chain.append(pem("CERTIFICATE", c.getEncoded()));
        }
        clientCertPem = Files.writeString(dir.resolve("client-cert.pem"), chain);
        clientKeyPem = Files.writeString(dir.resolve("client-key.pem"),
                pem("PRIVATE KEY", ks.getKey("client", PASS.toCharArray()).getEncoded()));
    }

    static synchronized TestPki get() throws Exception {
        if (instance == null) {
            Path dir = Files.createTempDirectory("dynport-pki");
            instance = new TestPki(dir);
        }
        return instance;
    }

    private Path issue(String alias, String dname, String san, String eku) throws IOException, InterruptedException {
        String ks = alias + ".p12";
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname,
                "-validity", "30", "-keystore", ks);
        keytool("-certreq", "-alias", alias, "-keystore", ks, "-file", alias + ".csr");
        keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", alias + ".csr", "-outfile",
                alias + ".crt", "-rfc", "-validity", "30", "-ext", san, "-ext", eku);
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", ks);
        keytool("-importcert", "-alias", alias, "-file", alias + ".crt", "-keystore", ks);
        return dir.resolve(ks);
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", PASS));
        if (List.of(args).contains("-genkeypair")) {
            cmd.addAll(List.of("-keypass", PASS));
        }
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: "
                    + new String(out, StandardCharsets.UTF_8));
        }
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
