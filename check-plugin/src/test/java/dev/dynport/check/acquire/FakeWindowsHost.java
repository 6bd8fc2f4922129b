package dev.dynport.check.acquire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * An embedded SSH server (Apache MINA sshd) on 127.0.0.1 that behaves like a Windows host running
 * Win32-OpenSSH: exec requests go through {@link WindowsShellEmulator} with the chosen default shell, and the
 * console programs print real captured outputs. Behaviours for failure tests: stall, drop mid-output.
 * Records what happened (auth attempts, commands) so tests can assert that nothing ran.
 */
public final class FakeWindowsHost implements AutoCloseable {
    /** What the exec handler does besides running the emulated shell. */
    public enum Behaviour { NORMAL, STALL_BEFORE_OUTPUT, STALL_AFTER_HALF, DROP_AFTER_HALF }

    static final Path FIXTURES = Paths.get("src/test/resources/ssh");
    static final Charset CP850 = Charset.forName("IBM850");

    private final SshServer server;
    private final KeyPair hostKey;
    private final List<byte[]> authorizedKeys = Collections.synchronizedList(new ArrayList<>());
    private volatile String password;
    private volatile String user = "monitor";
    private volatile WindowsShellEmulator.Shell shell = WindowsShellEmulator.Shell.CMD;
    private volatile Behaviour behaviour = Behaviour.NORMAL;
    private volatile Map<List<String>, WindowsShellEmulator.Program> programs = realPrograms();
    private volatile CountDownLatch authStall;
    public final List<String> commands = Collections.synchronizedList(new ArrayList<>());
    /** Per exec: negotiated key exchange and host key algorithm, e.g. {@code curve25519-sha256 ssh-ed25519}. */
    final List<String> negotiated = Collections.synchronizedList(new ArrayList<>());
    public final List<String> authAttempts = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch released = new CountDownLatch(1);

    FakeWindowsHost(String hostKeyType, int bits) throws Exception {
        hostKey = KeyUtils.generateKeyPair(hostKeyType, bits);
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        // current algorithms only: RSA signatures must be rsa-sha2-*, never SHA-1 ssh-rsa
        server.setSignatureFactories(List.of(BuiltinSignatures.ed25519, BuiltinSignatures.nistp256,
                BuiltinSignatures.nistp384, BuiltinSignatures.nistp521, BuiltinSignatures.rsaSHA512,
                BuiltinSignatures.rsaSHA256));
        server.setPublickeyAuthenticator((username, key, session) -> {
            authAttempts.add("publickey:" + username + ":" + KeyUtils.getKeyType(key));
            stallAuthIfAsked();
            return username.equals(user) && authorizedKeys.stream().anyMatch(k -> Arrays.equals(k, blob(key)));
        });
        server.setPasswordAuthenticator((username, pw, session) -> {
            authAttempts.add("password:" + username);
            stallAuthIfAsked();
            return username.equals(user) && password != null && password.equals(pw);
        });
        server.setKeyboardInteractiveAuthenticator(null);
        server.setCommandFactory((channel, command) -> new ExecHandler(command));
        server.start();
    }

    public static FakeWindowsHost ed25519() throws Exception {
        return new FakeWindowsHost(KeyPairProvider.SSH_ED25519, 256);
    }

    public int port() {
        return server.getPort();
    }

    PublicKey hostPublicKey() {
        return hostKey.getPublic();
    }

    /** {@code [127.0.0.1]:PORT ssh-ed25519 AAAA...}, as ssh-keyscan would write it. */
    public String knownHostsLine() {
        return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(hostKey.getPublic());
    }

    /** Sessions the server still has open: 0 once a client has closed its connection. */
    int openSessions() {
        return server.getActiveSessions().size();
    }

    FakeWindowsHost user(String u) {
        this.user = u;
        return this;
    }

    public FakeWindowsHost authorize(byte[] publicKeyBlob) {
        authorizedKeys.add(publicKeyBlob.clone());
        return this;
    }

    FakeWindowsHost authorize(PublicKey key) {
        return authorize(blob(key));
    }

    public FakeWindowsHost password(String pw) {
        this.password = pw;
        return this;
    }

    FakeWindowsHost shell(WindowsShellEmulator.Shell s) {
        this.shell = s;
        return this;
    }

    public FakeWindowsHost behaviour(Behaviour b) {
        this.behaviour = b;
        return this;
    }

    FakeWindowsHost program(List<String> argv, WindowsShellEmulator.Program p) {
        Map<List<String>, WindowsShellEmulator.Program> m = new HashMap<>(programs);
        m.put(argv, p);
        this.programs = m;
        return this;
    }

    FakeWindowsHost withoutProgram(List<String> argv) {
        Map<List<String>, WindowsShellEmulator.Program> m = new HashMap<>(programs);
        m.remove(argv);
        this.programs = m;
        return this;
    }

    /** Authentication blocks until the host is closed: a server that stalls after key exchange. */
    FakeWindowsHost stallAuthentication() {
        this.authStall = released;
        return this;
    }

    /** The exact stdout bytes the host prints for the capture command. */
    public byte[] expectedStdout() {
        return expectedOutcome().stdout();
    }

    /** What the emulated host prints for the capture command with the current programs and shell. */
    WindowsShellEmulator.Outcome expectedOutcome() {
        return WindowsShellEmulator.run(shell, CaptureCommand.sshCommandLine(), programs);
    }

    static byte[] blob(PublicKey key) {
        ByteArrayBuffer b = new ByteArrayBuffer();
        b.putRawPublicKey(key);
        return b.getCompactData();
    }

    static String fixture(String name, Charset cs) {
        try {
            return new String(Files.readAllBytes(FIXTURES.resolve(name)), cs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The capture commands printing real captures (and constructed ones where none exist) (see src/test/resources/ssh/SOURCES.md). */
    static Map<List<String>, WindowsShellEmulator.Program> realPrograms() {
        Charset utf8 = java.nio.charset.StandardCharsets.UTF_8;
        Map<List<String>, WindowsShellEmulator.Program> m = new HashMap<>();
        m.put(Section.CAPTURE_INFO.argv(), WindowsShellEmulator.Program.of(fixture("capture-info-constructed.txt", utf8)));
        m.put(Section.DYNAMICPORT_TCP_IPV4.argv(), WindowsShellEmulator.Program.of(fixture("dynamicport-tcp-en-01.txt", utf8)));
        m.put(Section.DYNAMICPORT_TCP_IPV6.argv(), WindowsShellEmulator.Program.of(fixture("dynamicport-tcp-en-01.txt", utf8)));
        m.put(Section.EXCLUDED_TCP_IPV4.argv(), WindowsShellEmulator.Program.of(fixture("excludedportrange-tcp-en-05.txt", utf8)));
        m.put(Section.EXCLUDED_TCP_IPV6.argv(), WindowsShellEmulator.Program.of(fixture("excludedportrange-tcp-en-04.txt", utf8)));
        m.put(Section.NETSTAT.argv(), WindowsShellEmulator.Program.of(fixture("netstat-ano-en-02.txt", utf8)));
        m.put(Section.TASKLIST.argv(), WindowsShellEmulator.Program.of(fixture("tasklist-svc-csv-constructed.txt", utf8)));
        m.put(Section.SC_QC_POP3BE.argv(), WindowsShellEmulator.Program.of(
                fixture("sc-qc-msexchangepop3be-manual-constructed.txt", utf8)));
        m.put(Section.SC_QUERYEX_POP3BE.argv(), WindowsShellEmulator.Program.of(
                fixture("sc-queryex-msexchangepop3be-stopped-constructed.txt", utf8)));
        // sc.exe exits with the Windows error code: 1060 where the service is not installed (IMAP4 often is not)
        m.put(Section.SC_QC_IMAP4BE.argv(), new WindowsShellEmulator.Program(
                fixture("sc-qc-msexchangeimap4be-1060-constructed.txt", utf8), null, 1060));
        m.put(Section.SC_QUERYEX_IMAP4BE.argv(), new WindowsShellEmulator.Program(
                fixture("sc-queryex-msexchangeimap4be-1060-constructed.txt", utf8), null, 1060));
        return m;
    }

    private void stallAuthIfAsked() {
        CountDownLatch l = authStall;
        if (l != null) {
            await(l);
        }
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        released.countDown();
        server.stop(true);
    }

    /** One exec request: the emulated Windows shell, then the behaviour. */
    private final class ExecHandler implements Command {
        private final String command;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;
        private Thread thread;

        ExecHandler(String command) {
            this.command = command;
        }

        @Override
        public void setInputStream(InputStream in) {
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            commands.add(command);
            negotiated.add(channel.getSession().getNegotiatedKexParameter(KexProposalOption.ALGORITHMS) + " "
                    + channel.getSession().getNegotiatedKexParameter(KexProposalOption.SERVERKEYS));
            thread = new Thread(() -> respond(channel), "fake-windows-exec");
            thread.setDaemon(true);
            thread.start();
        }

        private void respond(ChannelSession channel) {
            try {
                WindowsShellEmulator.Outcome o = WindowsShellEmulator.run(shell, command, programs);
                byte[] stdout = o.stdout();
                switch (behaviour) {
                    case STALL_BEFORE_OUTPUT -> {
                        await(released);
                        return;
                    }
                    case STALL_AFTER_HALF -> {
                        write(out, Arrays.copyOf(stdout, stdout.length / 2));
                        await(released);
                        return;
                    }
                    case DROP_AFTER_HALF -> {
                        write(out, Arrays.copyOf(stdout, stdout.length / 2));
                        channel.getSession().close(true);
                        return;
                    }
                    default -> {
                    }
                }
                write(out, stdout);
                write(err, o.stderr());
                exit.onExit(o.exitCode());
            } catch (IllegalArgumentException rejected) {
                // the emulator refused the command line: show why, as a shell's error would
                try {
                    write(err, ("emulator: " + rejected.getMessage() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the client is gone
                }
                exit.onExit(255);
            } catch (IOException e) {
                exit.onExit(255);
            }
        }

        private void write(OutputStream s, byte[] b) throws IOException {
            if (b.length > 0) {
                s.write(b);
                s.flush();
            }
        }

        @Override
        public void destroy(ChannelSession channel) {
            if (thread != null) {
                thread.interrupt();
            }
        }
    }
}
