package dev.dynport.check.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.acquire.FakeWindowsHost;
import dev.dynport.check.acquire.Snapshot;
import dev.dynport.check.acquire.SnapshotSource;
import dev.dynport.check.acquire.SshSource;
import dev.dynport.check.acquire.TestKeys;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Options;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshArgumentsTest {
    private static final Charset CP850 = Charset.forName("IBM850");

    @TempDir
    Path home;

    private Map<String, String> env;

    @BeforeEach
    void environment() {
        env = new HashMap<>(Map.of("HOME", home.toString(), "USER", "nagios"));
    }

    private Optional<SnapshotSource> parse(String... args) throws Exception {
        Options options = new Options();
        SshArguments.addOptions(options);
        CommandLine cl = new DefaultParser().parse(options, args);
        return SshArguments.fromCommandLine(cl, env, CP850);
    }

    private SshSource source(String... args) throws Exception {
        return (SshSource) parse(args).orElseThrow();
    }

    private String usageError(String... args) {
        return assertThrows(UsageException.class, () -> parse(args)).getMessage();
    }

    private Path key() throws Exception {
        return TestKeys.openSsh(home, KeyPairProvider.SSH_ED25519, 256, null).file();
    }

    private Path file(String name, String content) throws Exception {
        Path f = home.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    @Test
    void registersTheSshOptions() {
        Options options = new Options();
        SshArguments.addOptions(options);

        for (String[] o : new String[][] {{"H", "hostname"}, {"p", "ssh-port"}, {"l", "logname"}, {"i", "identity"}}) {
            assertEquals(o[1], options.getOption(o[0]).getLongOpt());
        }
        for (String l : List.of("identity-passphrase-file", "password-file", "known-hosts", "accept-new-host-key")) {
            assertTrue(options.hasLongOption(l), l);
        }
        assertFalse(options.hasLongOption("port"), "--port is the CLI's watched-port option");
    }

    @Test
    void withoutHostnameThereIsNoSshSource() throws Exception {
        env.put(SshArguments.PASSWORD_ENV, "set-globally");

        assertEquals(Optional.empty(), parse());
    }

    @Test
    void sshOptionWithoutHostnameIsAUsageError() {
        assertEquals("--ssh-port [2222] needs -H/--hostname", usageError("-p", "2222"));
        assertEquals("--accept-new-host-key needs -H/--hostname", usageError("--accept-new-host-key"));
    }

    @Test
    void portOutsideOneTo65535IsAUsageError() throws Exception {
        String k = key().toString();

        assertEquals("-p/--ssh-port must be a number from 1 to 65535 [0]", usageError("-H", "exch01", "-p", "0", "-i", k));
        assertEquals("-p/--ssh-port must be a number from 1 to 65535 [65536]", usageError("-H", "exch01", "-p", "65536", "-i", k));
        assertEquals("-p/--ssh-port must be a number from 1 to 65535 [ssh]", usageError("-H", "exch01", "-p", "ssh", "-i", k));
    }

    @Test
    void defaultsArePort22TheUserFromTheEnvironmentAndStrictHomeKnownHosts() throws Exception {
        SshSource s = source("-H", "exch01.corp.example", "-i", key().toString());

        assertEquals("nagios@exch01.corp.example:22", s.target().toString());
        assertEquals(home.resolve(".ssh/known_hosts"), s.hostKeyPolicy().knownHosts());
        assertFalse(s.hostKeyPolicy().acceptNew());
    }

    @Test
    void hostnameWithUserOrBlanksIsAUsageError() throws Exception {
        String k = key().toString();

        assertEquals("-H/--hostname takes the host only; give the user with -l [monitor@exch01]",
                usageError("-H", "monitor@exch01", "-i", k));
        assertEquals("-H/--hostname is not a host name or address [exch 01]", usageError("-H", "exch 01", "-i", k));
    }

    @Test
    void bracketedIpv6LiteralIsAccepted() throws Exception {
        assertEquals("::1", source("-H", "[::1]", "-i", key().toString()).target().host());
    }

    @Test
    void noUserAnywhereIsAUsageError() throws Exception {
        env.remove("USER");

        assertEquals("-l/--logname is required (no USER in the environment)", usageError("-H", "exch01", "-i", key().toString()));
    }

    @Test
    void identityFileProblemsNameTheFile() throws Exception {
        Path missing = home.resolve("nope");
        Path pub = file("id.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB constructed\n");
        Path text = file("notes.txt", "not a key\n");

        assertEquals("-i/--identity does not exist [" + missing + "]", usageError("-H", "h", "-i", missing.toString()));
        assertEquals("-i/--identity is a public key; give the private key file [" + pub + "]",
                usageError("-H", "h", "-i", pub.toString()));
        assertEquals("-i/--identity is not a private key in OpenSSH or PEM format [" + text + "]",
                usageError("-H", "h", "-i", text.toString()));
        assertEquals("-i/--identity is a directory [" + home + "]", usageError("-H", "h", "-i", home.toString()));
    }

    @Test
    void encryptedKeyNeedsTheRightPassphraseFile() throws Exception {
        Path enc = TestKeys.openSsh(home, KeyPairProvider.SSH_ED25519, 256, "s3cret-phrase").file();
        Path wrong = file("wrong", "not-it\n");

        assertEquals("-i/--identity is encrypted; give --identity-passphrase-file [" + enc + "]",
                usageError("-H", "h", "-i", enc.toString()));
        String msg = usageError("-H", "h", "-i", enc.toString(), "--identity-passphrase-file", wrong.toString());
        assertEquals("--identity-passphrase-file does not decrypt -i/--identity [" + enc + "]", msg);
        assertFalse(msg.contains("not-it"));
    }

    @Test
    void passphraseFileWithoutIdentityIsAUsageError() throws Exception {
        Path pp = file("pp", "x\n");

        assertEquals("--identity-passphrase-file [" + pp + "] needs -i/--identity",
                usageError("-H", "h", "--identity-passphrase-file", pp.toString(), "--password-file", pp.toString()));
    }

    @Test
    void emptyPasswordFileOrVariableIsAUsageError() throws Exception {
        Path empty = file("pw", "\n");

        assertEquals("--password-file is empty [" + empty + "]", usageError("-H", "h", "--password-file", empty.toString()));
        env.put(SshArguments.PASSWORD_ENV, "");
        assertEquals("environment variable DYNPORT_SSH_PASSWORD is set but empty", usageError("-H", "h"));
    }

    @Test
    void noCredentialsAtAllIsAUsageErrorNamingTheWays() {
        assertEquals("no SSH credentials: give -i KEY, --password-file FILE or set DYNPORT_SSH_PASSWORD"
                + " (no unencrypted default key in [" + home.resolve(".ssh") + "])", usageError("-H", "h"));
    }

    @Test
    void explicitKnownHostsMustExistUnlessAcceptNew() throws Exception {
        Path kh = home.resolve("kh");
        String k = key().toString();

        assertEquals("--known-hosts does not exist (create it with ssh-keyscan, or add --accept-new-host-key) [" + kh + "]",
                usageError("-H", "h", "-i", k, "--known-hosts", kh.toString()));
        SshSource s = source("-H", "h", "-i", k, "--known-hosts", kh.toString(), "--accept-new-host-key");
        assertTrue(s.hostKeyPolicy().acceptNew());
    }

    @Test
    void tildeInPathsIsTheHomeDirectory() throws Exception {
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/kh"), "");

        SshSource s = source("-H", "h", "-i", key().toString(), "--known-hosts", "~/.ssh/kh");

        assertEquals(home.resolve(".ssh/kh"), s.hostKeyPolicy().knownHosts());
    }

    @Test
    void encryptedKeyWithPassphraseFileAuthenticatesEndToEnd() throws Exception {
        TestKeys.ClientKey enc = TestKeys.openSsh(home, KeyPairProvider.ECDSA_SHA2_NISTP256, 256, "s3cret-phrase");
        Path pp = file("pp", "s3cret-phrase\r\n");
        try (FakeWindowsHost host = FakeWindowsHost.ed25519()) {
            host.authorize(enc.publicBlob());
            Path kh = file("known_hosts", host.knownHostsLine() + "\n");

            SshSource s = source("-H", "127.0.0.1", "-p", String.valueOf(host.port()), "-l", "monitor",
                    "-i", enc.file().toString(), "--identity-passphrase-file", pp.toString(), "--known-hosts", kh.toString());
            Snapshot snap = s.acquire(Duration.ofSeconds(20));

            assertEquals(dev.dynport.check.acquire.CaptureCommand.sections().size(), snap.sections().size());
            assertFalse(s.toString().contains("s3cret"), s.toString());
        }
    }

    @Test
    void passwordFromFileOrEnvironmentAuthenticatesEndToEnd() throws Exception {
        Path pw = file("pw", "Winter2026!\n");
        try (FakeWindowsHost host = FakeWindowsHost.ed25519()) {
            host.password("Winter2026!");
            Path kh = file("known_hosts", host.knownHostsLine() + "\n");
            String port = String.valueOf(host.port());

            Snapshot viaFile = source("-H", "127.0.0.1", "-p", port, "-l", "monitor", "--password-file", pw.toString(),
                    "--known-hosts", kh.toString()).acquire(Duration.ofSeconds(20));
            env.put(SshArguments.PASSWORD_ENV, "Winter2026!");
            SshSource viaEnv = source("-H", "127.0.0.1", "-p", port, "-l", "monitor", "--known-hosts", kh.toString());
            Snapshot snap = viaEnv.acquire(Duration.ofSeconds(20));

            assertEquals(dev.dynport.check.acquire.CaptureCommand.sections().size(), viaFile.sections().size());
            assertEquals(dev.dynport.check.acquire.CaptureCommand.sections().size(), snap.sections().size());
            assertFalse(viaEnv.toString().contains("Winter"), viaEnv.toString());
        }
    }

    @Test
    void unencryptedDefaultKeyIsUsedWhenNoCredentialIsGiven() throws Exception {
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        TestKeys.ClientKey k = TestKeys.openSsh(home, KeyPairProvider.SSH_ED25519, 256, null);
        Files.copy(k.file(), ssh.resolve("id_ed25519"));

        SshSource s = source("-H", "h");

        assertEquals(ssh.resolve("id_ed25519").toString(), s.credentials().identities().get(0).name());
    }
}
