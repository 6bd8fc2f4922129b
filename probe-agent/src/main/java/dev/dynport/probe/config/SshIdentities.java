package dev.dynport.probe.config;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import dev.dynport.check.acquire.SshCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Loads and checks an SSH private key the way {@code check_dynport -i} does: OpenSSH or PEM format, ed25519,
 * ECDSA or RSA, and when encrypted, a passphrase that decrypts it. Done at start, so a wrong key or passphrase is
 * a config error naming the file, not a probe failure every interval.
 */
public final class SshIdentities {
    private static final long MAX_KEY_BYTES = 64 * 1024;
    private static final List<String> TYPES = List.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521");

    private SshIdentities() {
    }

    /**
     * @param path the JSON path of the target, for messages
     * @param passphrase null when none is configured
     */
    public static SshCredentials.Identity load(Path file, SecretRef passphrase, String path) throws ConfigException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_KEY_BYTES) {
                throw new ConfigException(path + "/identity_file is too large for a private key [" + file + "]");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(path + "/identity_file cannot be read [" + file + "]");
        }
        byte[] pass = passphrase == null ? null : new String(passphrase.value()).getBytes(StandardCharsets.UTF_8);
        String text = new String(bytes, StandardCharsets.US_ASCII).strip();
        if (text.startsWith("ssh-") || text.startsWith("ecdsa-") || text.startsWith("sk-")) {
            throw new ConfigException(path + "/identity_file is a public key; give the private key file [" + file + "]");
        }
        KeyPair kp;
        try {
            kp = KeyPair.load(new JSch(), bytes.clone(), null);
        } catch (JSchException e) {
            throw new ConfigException(path + "/identity_file is not a private key in OpenSSH or PEM format [" + file
                    + "]");
        }
        try {
            String type = kp.getKeyTypeString();
            if (!TYPES.contains(type)) {
                throw new ConfigException(path + "/identity_file key type " + type
                        + " is not supported (use ed25519, ECDSA or RSA) [" + file + "]");
            }
            boolean encrypted = kp.isEncrypted();
            if (encrypted && pass == null) {
                throw new ConfigException(path + "/identity_file is encrypted and no passphrase is configured [" + file
                        + "]");
            }
            if (encrypted && !kp.decrypt(pass.clone())) {
                throw new ConfigException(path + "/passphrase does not decrypt the identity_file [" + file + "]");
            }
            return new SshCredentials.Identity(file.toString(), type, bytes, encrypted ? pass : null);
        } finally {
            kp.dispose();
            Arrays.fill(bytes, (byte) 0);
            if (pass != null) {
                Arrays.fill(pass, (byte) 0);
            }
        }
    }

    /** The credentials of an SSH target: its key (if any) and its password (if any). */
    public static SshCredentials credentials(TargetAccess.Ssh access, String path) throws ConfigException {
        List<SshCredentials.Identity> ids = access.identityFile() == null ? List.of()
                : List.of(load(access.identityFile(), access.passphrase(), path));
        byte[] password = access.password() == null ? null
                : new String(access.password().value()).getBytes(StandardCharsets.UTF_8);
        return new SshCredentials(ids, password);
    }
}
