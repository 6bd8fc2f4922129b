package dev.dynport.check.acquire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Host key blob helpers: the OpenSSH-style SHA256 fingerprint and the key type named inside the blob. */
final class HostKeys {
    private HostKeys() {
    }

    /** {@code SHA256:} + unpadded base64 of the SHA-256 of the key blob, as {@code ssh-keygen -l} prints it. */
    static String fingerprint(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** The first string of an SSH public key blob, e.g. {@code ssh-ed25519}; {@code unknown} if unreadable. */
    static String type(byte[] blob) {
        if (blob.length < 4) {
            return "unknown";
        }
        int len = ByteBuffer.wrap(blob, 0, 4).getInt();
        if (len <= 0 || len > 64 || 4 + len > blob.length) {
            return "unknown";
        }
        return new String(blob, 4, len, StandardCharsets.US_ASCII);
    }

    /** One known_hosts line: {@code NAME TYPE BASE64}. */
    static String knownHostsLine(String name, byte[] blob) {
        return name + " " + type(blob) + " " + Base64.getEncoder().encodeToString(blob);
    }
}
