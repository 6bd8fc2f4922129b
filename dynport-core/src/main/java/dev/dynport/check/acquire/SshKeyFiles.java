package dev.dynport.check.acquire;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;

/**
 * Reading and checking the SSH key and secret files both faces take ({@code -i}, {@code --password-file},
 * {@code --identity-passphrase-file}; the agent's {@code identity_file} and {@code {"file": ...}} secrets), once.
 * A problem is a {@link Problem} whose message says what is wrong ("is a public key; give the private key
 * file"); each face prefixes its option name or JSON path and appends the file in brackets. No message ever
 * carries a byte of the content.
 */
public final class SshKeyFiles {
    /** Far above any key or password file (a 16384-bit RSA key in PEM is under 13 KiB). */
    public static final int MAX_FILE_BYTES = 64 * 1024;
    static final List<String> KEY_TYPES = List.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521");

    private SshKeyFiles() {
    }

    /** What is wrong with a key or secret file; {@link #kind()} lets a face word the passphrase cases itself. */
    public static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;

        public enum Kind { UNREADABLE, NOT_A_KEY, ENCRYPTED_WITHOUT_PASSPHRASE, WRONG_PASSPHRASE, EMPTY }

        private final Kind kind;

        Problem(Kind kind, String whatIsWrong) {
            super(whatIsWrong);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    /**
     * The bytes of a regular file of at most {@value #MAX_FILE_BYTES} bytes. Only regular files: a FIFO would block
     * before any timeout applies, and /dev/zero has no end.
     */
    public static byte[] readSmall(Path path) throws Problem {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            if (a.isDirectory()) {
                throw unreadable("is a directory");
            }
            if (!a.isRegularFile()) {
                throw unreadable("is not a regular file (a FIFO, device or socket)");
            }
            if (a.size() > MAX_FILE_BYTES) {
                throw tooLarge(a.size() + " bytes");
            }
            try (InputStream in = Files.newInputStream(path)) {
                // Bounded even if the file grew since its size was read.
                byte[] b = in.readNBytes(MAX_FILE_BYTES + 1);
                if (b.length > MAX_FILE_BYTES) {
                    Arrays.fill(b, (byte) 0);
                    throw tooLarge("more than " + MAX_FILE_BYTES + " bytes");
                }
                return b;
            }
        } catch (NoSuchFileException e) {
            throw unreadable("does not exist");
        } catch (AccessDeniedException e) {
            throw unreadable("is not readable (permission denied)");
        } catch (IOException | InvalidPathException e) {
            throw unreadable("cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** A secret file's content without one trailing line break (what an editor or {@code echo} writes); never empty. */
    public static byte[] secret(Path path) throws Problem {
        byte[] b = readSmall(path);
        int n = b.length;
        if (n > 0 && b[n - 1] == '\n') {
            n--;
            if (n > 0 && b[n - 1] == '\r') {
                n--;
            }
        }
        byte[] secret = Arrays.copyOf(b, n);
        Arrays.fill(b, (byte) 0);
        if (secret.length == 0) {
            throw new Problem(Problem.Kind.EMPTY, "is empty");
        }
        return secret;
    }

    /**
     * A private key in OpenSSH or PEM format, ed25519, ECDSA or RSA; when encrypted, {@code passphrase} must
     * decrypt it. The identity keeps the file's bytes (and the passphrase only if the key needs it).
     *
     * @param passphrase null when none is given
     */
    public static SshCredentials.Identity identity(Path path, byte[] passphrase) throws Problem {
        byte[] bytes = readSmall(path);
        String text = new String(bytes, StandardCharsets.US_ASCII).strip();
        if (text.startsWith("ssh-") || text.startsWith("ecdsa-") || text.startsWith("sk-")) {
            throw new Problem(Problem.Kind.NOT_A_KEY, "is a public key; give the private key file");
        }
        KeyPair kp;
        try {
            kp = KeyPair.load(new JSch(), bytes.clone(), null);
        } catch (JSchException e) {
            throw new Problem(Problem.Kind.NOT_A_KEY, "is not a private key in OpenSSH or PEM format");
        }
        try {
            String type = kp.getKeyTypeString();
            if (!KEY_TYPES.contains(type)) {
                throw new Problem(Problem.Kind.NOT_A_KEY, "key type " + type
                        + " is not supported (use ed25519, ECDSA or RSA)");
            }
            boolean encrypted = kp.isEncrypted();
            if (encrypted && passphrase == null) {
                throw new Problem(Problem.Kind.ENCRYPTED_WITHOUT_PASSPHRASE, "is encrypted and no passphrase is given");
            }
            if (encrypted && !kp.decrypt(passphrase.clone())) {
                throw new Problem(Problem.Kind.WRONG_PASSPHRASE, "is not decrypted by the passphrase given");
            }
            return new SshCredentials.Identity(path.toString(), type, bytes, encrypted ? passphrase : null);
        } finally {
            kp.dispose();
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static Problem unreadable(String why) {
        return new Problem(Problem.Kind.UNREADABLE, why);
    }

    private static Problem tooLarge(String size) {
        return unreadable("is too large for a key or secret file (" + size + ", at most " + MAX_FILE_BYTES + ")");
    }
}
