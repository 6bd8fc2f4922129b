package dev.dynport.check.acquire;

import com.jcraft.jsch.JSch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

/**
 * Client key pairs generated at test time (never committed): OpenSSH "openssh-key-v1" files written by
 * Apache MINA (optionally bcrypt-encrypted), and traditional PEM files written by JSch (PKCS#1 RSA, SEC1 EC,
 * optionally DEK-Info encrypted). Each comes with the public key blob the fake server authorizes.
 */
public final class TestKeys {
    /** A private key file on disk and the matching public key blob. */
    public record ClientKey(Path file, String type, byte[] publicBlob, String format) {
        @Override
        public String toString() {
            return type + " " + format;
        }
    }

    private TestKeys() {
    }

    /** @param passphrase null for an unencrypted key */
    public static ClientKey openSsh(Path dir, String sshType, int bits, String passphrase) throws Exception {
        KeyPair kp = KeyUtils.generateKeyPair(sshType, bits);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OpenSSHKeyEncryptionContext enc = null;
        if (passphrase != null) {
            enc = new OpenSSHKeyEncryptionContext();
            enc.setCipherName("AES");
            enc.setCipherType("256");
            enc.setCipherMode("CTR");
            enc.setPassword(passphrase);
        }
        OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(kp, "dynport-test-only", enc, out);
        Path file = dir.resolve("constructed-test-only-" + sshType + "-" + bits + (passphrase == null ? "" : "-enc"));
        Files.write(file, out.toByteArray());
        return new ClientKey(file, sshType, FakeWindowsHost.blob(kp.getPublic()), "OpenSSH");
    }

    /** @param jschType {@link com.jcraft.jsch.KeyPair#RSA} or {@link com.jcraft.jsch.KeyPair#ECDSA} */
    public static ClientKey pem(Path dir, int jschType, int bits, String passphrase) throws Exception {
        com.jcraft.jsch.KeyPair kp = com.jcraft.jsch.KeyPair.genKeyPair(new JSch(), jschType, bits);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (passphrase == null) {
            kp.writePrivateKey(out);
        } else {
            kp.writePrivateKey(out, passphrase.getBytes(StandardCharsets.UTF_8));
        }
        String type = kp.getKeyTypeString();
        Path file = dir.resolve("constructed-test-only-pem-" + type + "-" + bits + (passphrase == null ? "" : "-enc"));
        Files.write(file, out.toByteArray());
        return new ClientKey(file, type, kp.getPublicKeyBlob(), "PEM");
    }
}
