package dev.dynport.probe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import dev.dynport.check.acquire.SshCredentials;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys are generated at test time (constructed, never committed). */
class SshIdentitiesTest {
    @TempDir
    Path dir;

    private Path key(String name, String passphrase) throws Exception {
        KeyPair kp = KeyPair.genKeyPair(new JSch(), KeyPair.ECDSA, 256);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (passphrase == null) {
            kp.writePrivateKey(out);
        } else {
            kp.writePrivateKey(out, passphrase.getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(dir.resolve(name + ".pub"), "ecdsa-sha2-nistp256 AAAA test");
        return Files.write(dir.resolve(name), out.toByteArray());
    }

    private List<String> errors(String targetJson, Map<String, String> env) throws Exception {
        Files.writeString(dir.resolve("kh"), "");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(ConfigParser.readTree(
                "{\"agent_name\": \"a\", \"targets\": [" + targetJson + "]}", "t"), env, dir, RawDelivery.READER));
        return ConfigParser.errors(e);
    }

    private String ssh(String extra) {
        return "{\"type\": \"ssh\", \"hostname\": \"h\", \"user\": \"u\", \"known_hosts\": \""
                + dir.resolve("kh") + "\", " + extra + "}";
    }

    @Test
    void anEncryptedKeyLoadsWithItsPassphrase() throws Exception {
        Path k = key("id_ecdsa", "correct horse");
        SshCredentials.Identity id = SshIdentities.load(k,
                SecretRef.ofValue("env K", "correct horse".toCharArray()), "/targets/0");
        assertEquals("ecdsa-sha2-nistp256", id.keyType());
        assertFalse(id.toString().contains("correct horse"));
    }

    @Test
    void badKeysAndPassphrasesAreConfigErrorsNamingTheFile() throws Exception {
        Path enc = key("id_enc", "right");
        Path plain = key("id_plain", null);
        assertEquals(List.of("/targets/0/passphrase does not decrypt the identity_file [" + enc + "]"),
                errors(ssh("\"identity_file\": \"" + enc + "\", \"passphrase\": {\"env\": \"P\"}"), Map.of("P", "wrong")));
        assertEquals(List.of("/targets/0/identity_file is encrypted and no passphrase is configured [" + enc + "]"),
                errors(ssh("\"identity_file\": \"" + enc + "\""), Map.of()));
        assertEquals(List.of("/targets/0/identity_file is a public key; give the private key file [" + plain + ".pub]"),
                errors(ssh("\"identity_file\": \"" + plain + ".pub\""), Map.of()));
        Path junk = Files.writeString(dir.resolve("junk"), "not a key\n");
        assertEquals(List.of("/targets/0/identity_file is not a private key in OpenSSH or PEM format [" + junk + "]"),
                errors(ssh("\"identity_file\": \"" + junk + "\""), Map.of()));
    }
}
