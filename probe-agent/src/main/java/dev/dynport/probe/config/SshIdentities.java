package dev.dynport.probe.config;

import dev.dynport.check.acquire.SshCredentials;
import dev.dynport.check.acquire.SshKeyFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Loads and checks an SSH private key with the check's own rules ({@link SshKeyFiles}): done at start, so a wrong
 * key or passphrase is a config error naming the file, not a probe failure every interval.
 */
public final class SshIdentities {
    private SshIdentities() {
    }

    /**
     * @param path the JSON path of the target, for messages
     * @param passphrase null when none is configured
     */
    public static SshCredentials.Identity load(Path file, SecretRef passphrase, String path) throws ConfigException {
        byte[] pass = passphrase == null ? null : new String(passphrase.value()).getBytes(StandardCharsets.UTF_8);
        try {
            return SshKeyFiles.identity(file, pass);
        } catch (SshKeyFiles.Problem p) {
            String field = p.kind() == SshKeyFiles.Problem.Kind.WRONG_PASSPHRASE ? "/passphrase does not decrypt the"
                    + " identity_file" : p.kind() == SshKeyFiles.Problem.Kind.ENCRYPTED_WITHOUT_PASSPHRASE
                    ? "/identity_file is encrypted and no passphrase is configured" : "/identity_file " + p.getMessage();
            throw new ConfigException(path + field + " [" + file + "]");
        } finally {
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
