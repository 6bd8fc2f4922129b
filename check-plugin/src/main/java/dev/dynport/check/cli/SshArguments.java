package dev.dynport.check.cli;

import dev.dynport.check.acquire.HostKeyPolicy;
import dev.dynport.check.acquire.SnapshotSource;
import dev.dynport.check.acquire.SshCredentials;
import dev.dynport.check.acquire.SshKeyFiles;
import dev.dynport.check.acquire.SshSource;
import dev.dynport.check.model.Platform;
import dev.dynport.check.acquire.SshTarget;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * The SSH options of check_dynport and their validation. Every file (key, passphrase, password) is read and
 * every key parsed here, once, so a bad value is a usage error (exit 3) naming it before anything connects.
 * Secrets never come from the command line itself: only from files or {@value #PASSWORD_ENV}.
 */
final class SshArguments {
    /** The environment variable a password may come from when {@code --password-file} is not given. */
    static final String PASSWORD_ENV = "DYNPORT_SSH_PASSWORD";

    static final int DEFAULT_PORT = 22;
    static final String DEFAULT_KNOWN_HOSTS = "~/.ssh/known_hosts";
    /** Tried in this order when neither -i nor a password is given, like OpenSSH (unencrypted ones only). */
    static final List<String> DEFAULT_IDENTITIES = List.of("~/.ssh/id_ed25519", "~/.ssh/id_ecdsa", "~/.ssh/id_rsa");
    /** Key, passphrase and password files are small; anything larger is a wrong path. */

    static final String HOSTNAME = "hostname";
    static final String PLATFORM = "platform";
    /**
     * Long name of -p. Not {@code --port}: that is the CLI's repeatable watched-port option
     * ({@code --port PORT[:LABEL[:OWNER]]}, issue 2); {@code -p} stays the SSH port, as in ssh and check_by_ssh.
     */
    private static final String PORT = "ssh-port";
    private static final String LOGNAME = "logname";
    private static final String IDENTITY = "identity";
    private static final String PASSPHRASE_FILE = "identity-passphrase-file";
    private static final String PASSWORD_FILE = "password-file";
    private static final String KNOWN_HOSTS = "known-hosts";
    private static final String ACCEPT_NEW = "accept-new-host-key";

    private SshArguments() {
    }

    static void addOptions(Options options) {
        options.addOption(Option.builder().longOpt(PLATFORM).hasArg().argName("OS")
                .desc("the -H host's OS: windows (default; runs netsh, netstat, tasklist) or linux (runs the sysctl"
                        + " reads and ss -tanpH; docs/linux.md)").build());
        options.addOption(Option.builder("H").longOpt(HOSTNAME).hasArg().argName("HOST")
                .desc("check this Windows host over SSH (Win32-OpenSSH)").build());
        options.addOption(Option.builder("p").longOpt(PORT).hasArg().argName("PORT")
                .desc("SSH port (default " + DEFAULT_PORT + ")").build());
        options.addOption(Option.builder("l").longOpt(LOGNAME).hasArg().argName("USER")
                .desc("remote user (default: $USER)").build());
        options.addOption(Option.builder("i").longOpt(IDENTITY).hasArg().argName("FILE")
                .desc("private key, OpenSSH or PEM format, ed25519/ECDSA/RSA; repeatable"
                        + " (default: unencrypted ~/.ssh/id_ed25519, id_ecdsa, id_rsa)").build());
        options.addOption(Option.builder().longOpt(PASSPHRASE_FILE).hasArg().argName("FILE")
                .desc("file holding the passphrase of the -i key(s)").build());
        options.addOption(Option.builder().longOpt(PASSWORD_FILE).hasArg().argName("FILE")
                .desc("file holding the password (else $" + PASSWORD_ENV + "); never give it on the command line")
                .build());
        options.addOption(Option.builder().longOpt(KNOWN_HOSTS).hasArg().argName("FILE")
                .desc("OpenSSH known_hosts file to verify the host key against (default " + DEFAULT_KNOWN_HOSTS + ")")
                .build());
        options.addOption(Option.builder().longOpt(ACCEPT_NEW)
                .desc("add a first-seen host key to the known_hosts file (a changed key is still refused)").build());
    }

    /**
     * @param env the process environment (HOME, USER, {@value #PASSWORD_ENV})
     * @param oemFallback the code page of output that is not UTF-8 ({@code --charset})
     * @return empty when {@code -H} is absent
     */
    static Optional<SnapshotSource> fromCommandLine(CommandLine cl, Map<String, String> env, Charset oemFallback)
            throws UsageException {
        if (!cl.hasOption(HOSTNAME)) {
            for (String o : List.of(PORT, LOGNAME, IDENTITY, PASSPHRASE_FILE, PASSWORD_FILE, KNOWN_HOSTS, ACCEPT_NEW,
                    PLATFORM)) {
                if (cl.hasOption(o)) {
                    String v = cl.getOptionValue(o);
                    throw new UsageException("--" + o + (v == null ? "" : " [" + v + "]") + " needs -H/--hostname");
                }
            }
            return Optional.empty();
        }
        SshTarget target = new SshTarget(host(cl.getOptionValue(HOSTNAME)), port(cl.getOptionValue(PORT)),
                user(cl.getOptionValue(LOGNAME), env));
        Platform platform = platform(cl);
        SshCredentials credentials = credentials(cl, env);
        HostKeyPolicy policy = hostKeyPolicy(cl, env);
        return Optional.of(new SshSource(target, credentials, policy, oemFallback, platform));
    }

    /** The target's OS over SSH: declared, windows by default (see SshSource for why it is not probed). */
    static Platform platform(CommandLine cl) throws UsageException {
        String v = cl.getOptionValue(PLATFORM, Platform.WINDOWS.label());
        for (Platform p : Platform.values()) {
            if (p.label().equals(v.toLowerCase(java.util.Locale.ROOT))) {
                return p;
            }
        }
        throw new UsageException("--platform [" + Arguments.printable(v) + "] must be one of linux, windows");
    }

    private static String host(String raw) throws UsageException {
        String h = raw.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.isEmpty() || h.startsWith("-") || !h.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '/')) {
            throw new UsageException("-H/--hostname is not a host name or address [" + raw + "]");
        }
        if (h.contains("@")) {
            throw new UsageException("-H/--hostname takes the host only; give the user with -l [" + raw + "]");
        }
        return h;
    }

    private static int port(String raw) throws UsageException {
        if (raw == null) {
            return DEFAULT_PORT;
        }
        int p = Arguments.number(raw, 65535);
        if (p >= 1) {
            return p;
        }
        throw new UsageException("-p/--ssh-port must be a number from 1 to 65535 [" + raw + "]");
    }

    private static String user(String raw, Map<String, String> env) throws UsageException {
        if (raw != null && raw.isEmpty()) {
            throw new UsageException("-l/--logname [] is empty: give the remote user");
        }
        String u = raw;
        if (u == null) {
            for (String name : List.of("USER", "LOGNAME", "USERNAME")) {
                u = env.get(name);
                if (u != null && !u.isBlank()) {
                    break;
                }
            }
        }
        if (u == null || u.isBlank()) {
            throw new UsageException("-l/--logname is required (no USER in the environment)");
        }
        if (!u.chars().allMatch(c -> c > 0x20 && c != 0x7f)) {
            throw new UsageException("-l/--logname contains blanks or control characters [" + u + "]");
        }
        return u;
    }

    private static SshCredentials credentials(CommandLine cl, Map<String, String> env) throws UsageException {
        byte[] passphrase = null;
        if (cl.hasOption(PASSPHRASE_FILE)) {
            if (!cl.hasOption(IDENTITY)) {
                throw new UsageException("--" + PASSPHRASE_FILE + " [" + cl.getOptionValue(PASSPHRASE_FILE)
                        + "] needs -i/--identity");
            }
            passphrase = secretFile("--" + PASSPHRASE_FILE,
                    expand("--" + PASSPHRASE_FILE, cl.getOptionValue(PASSPHRASE_FILE), env));
        }
        byte[] password = null;
        if (cl.hasOption(PASSWORD_FILE)) {
            password = secretFile("--" + PASSWORD_FILE, expand("--" + PASSWORD_FILE, cl.getOptionValue(PASSWORD_FILE), env));
        } else if (env.get(PASSWORD_ENV) != null) {
            if (env.get(PASSWORD_ENV).isEmpty()) {
                throw new UsageException("environment variable " + PASSWORD_ENV + " is set but empty");
            }
            password = env.get(PASSWORD_ENV).getBytes(StandardCharsets.UTF_8);
        }
        List<SshCredentials.Identity> identities = new ArrayList<>();
        try {
            if (cl.hasOption(IDENTITY)) {
                for (String i : cl.getOptionValues(IDENTITY)) {
                    identities.add(identity(expand("-i/--identity", i, env), i, passphrase));
                }
            } else if (password == null) {
                for (String d : DEFAULT_IDENTITIES) {
                    defaultIdentity(expand(d, env)).ifPresent(identities::add);
                }
                if (identities.isEmpty()) {
                    throw new UsageException("no SSH credentials: give -i KEY, --" + PASSWORD_FILE + " FILE or set "
                            + PASSWORD_ENV + " (no unencrypted default key in [" + expand("~/.ssh", env) + "])");
                }
            }
            return new SshCredentials(identities, password);
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, (byte) 0);
            }
            if (password != null) {
                Arrays.fill(password, (byte) 0);
            }
        }
    }

    private static SshCredentials.Identity identity(Path path, String given, byte[] passphrase)
            throws UsageException {
        try {
            return SshKeyFiles.identity(path, passphrase);
        } catch (SshKeyFiles.Problem p) {
            throw new UsageException(switch (p.kind()) {
                case ENCRYPTED_WITHOUT_PASSPHRASE -> "-i/--identity is encrypted; give --" + PASSPHRASE_FILE;
                case WRONG_PASSPHRASE -> "--" + PASSPHRASE_FILE + " does not decrypt -i/--identity";
                default -> "-i/--identity " + p.getMessage();
            } + " [" + given + "]");
        }
    }

    /** A default key is used only if it is readable, parses and needs no passphrase; anything else is skipped. */
    private static Optional<SshCredentials.Identity> defaultIdentity(Path path) {
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(identity(path, path.toString(), null));
        } catch (UsageException unusable) {
            return Optional.empty();
        }
    }

    private static HostKeyPolicy hostKeyPolicy(CommandLine cl, Map<String, String> env) throws UsageException {
        boolean acceptNew = cl.hasOption(ACCEPT_NEW);
        String given = cl.getOptionValue(KNOWN_HOSTS);
        Path path = expand("--" + KNOWN_HOSTS, given == null ? DEFAULT_KNOWN_HOSTS : given, env);
        if (Files.isDirectory(path)) {
            throw new UsageException("--" + KNOWN_HOSTS + " is a directory [" + path + "]");
        }
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            // A FIFO would block the check until -t, /dev/zero would fill the heap.
            throw new UsageException("--" + KNOWN_HOSTS + " is not a regular file [" + path + "]");
        }
        if (Files.exists(path) && !Files.isReadable(path)) {
            throw new UsageException("--" + KNOWN_HOSTS + " is not readable [" + path + "]");
        }
        if (given != null && !acceptNew && !Files.exists(path)) {
            throw new UsageException("--" + KNOWN_HOSTS + " does not exist (create it with ssh-keyscan, or add"
                    + " --" + ACCEPT_NEW + ") [" + path + "]");
        }
        return new HostKeyPolicy(path, acceptNew);
    }

    /** The file's bytes without one trailing line break: what a user writes with an editor or echo. */
    private static byte[] secretFile(String option, Path path) throws UsageException {
        try {
            return SshKeyFiles.secret(path);
        } catch (SshKeyFiles.Problem p) {
            throw new UsageException(option + " " + p.getMessage() + " [" + path + "]");
        }
    }

    /** {@code ~/x} to {@code $HOME/x}: monitoring configs pass paths without a shell to expand them. */
    static Path expand(String option, String path, Map<String, String> env) throws UsageException {
        if (path.isEmpty()) {
            // Path.of("") is the working directory: "is a directory" would send the user looking in the wrong place.
            throw new UsageException(option + " [] is empty: give a file path");
        }
        return expand(path, env);
    }

    static Path expand(String path, Map<String, String> env) {
        if (path.equals("~") || path.startsWith("~/")) {
            String home = env.getOrDefault("HOME", env.getOrDefault("USERPROFILE", System.getProperty("user.home")));
            return Paths.get(home, path.substring(1).replaceFirst("^/", ""));
        }
        return Paths.get(path);
    }
}
