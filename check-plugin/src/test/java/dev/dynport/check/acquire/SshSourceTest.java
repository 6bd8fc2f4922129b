package dev.dynport.check.acquire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.acquire.AcquisitionException.Failure;
import dev.dynport.check.acquire.WindowsShellEmulator.Program;
import dev.dynport.check.acquire.WindowsShellEmulator.Shell;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class SshSourceTest {
    private static final Charset CP850 = Charset.forName("IBM850");
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Duration SHORT = Duration.ofSeconds(2);
    /** How far past -t a check may end: thread hand-over and socket close on a loaded 2-core CI machine. */
    private static final long MARGIN_MILLIS = 750;

    @TempDir
    Path dir;

    private FakeWindowsHost host;
    private Path knownHosts;
    private TestKeys.ClientKey ed25519;

    @BeforeEach
    void startHost() throws Exception {
        host = FakeWindowsHost.ed25519();
        knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "# constructed test known_hosts\n" + host.knownHostsLine() + "\n");
        ed25519 = TestKeys.openSsh(dir, KeyPairProvider.SSH_ED25519, 256, null);
        host.authorize(ed25519.publicBlob());
    }

    @AfterEach
    void stopHost() throws Exception {
        host.close();
    }

    private SshSource source(SshCredentials credentials, HostKeyPolicy policy) {
        return new SshSource(new SshTarget("127.0.0.1", host.port(), "monitor"), credentials, policy, CP850);
    }

    private SshSource keySource(TestKeys.ClientKey key, String passphrase) throws Exception {
        return source(credentials(key, passphrase), new HostKeyPolicy(knownHosts, false));
    }

    private static SshCredentials credentials(TestKeys.ClientKey key, String passphrase) throws Exception {
        return new SshCredentials(List.of(new SshCredentials.Identity(key.file().toString(), key.type(),
                Files.readAllBytes(key.file()), passphrase == null ? null : passphrase.getBytes(StandardCharsets.UTF_8))),
                null);
    }

    private static SshCredentials password(String pw) {
        return new SshCredentials(List.of(), pw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsEverySectionOfTheRealCapturesOverOneExecChannel() throws Exception {
        Snapshot s = keySource(ed25519, null).acquire(TIMEOUT);

        assertEquals(List.of(CaptureCommand.sshCommandLine()), host.commands);
        assertEquals(CaptureCommand.sections().size(), s.sections().size());
        assertEquals("ssh://monitor@127.0.0.1:" + host.port(), s.origin());
        String dyn = s.section(Section.DYNAMICPORT_TCP_IPV4).orElseThrow();
        assertEquals("Protocol tcp Dynamic Port Range\r\n---------------------------------\r\n"
                + "Start Port      : 49152\r\nNumber of Ports : 16384\r\n", dyn);
        assertTrue(s.section(Section.EXCLUDED_TCP_IPV4).orElseThrow().contains("     55679       55679     *"));
        assertTrue(s.section(Section.NETSTAT).orElseThrow().contains("  TCP    [::]:80                [::]:0                 LISTENING       1424"));
        assertTrue(s.section(Section.TASKLIST).orElseThrow().startsWith("\"System Idle Process\",\"0\",\"N/A\"\r\n"));
    }

    @Test
    void keepsTheBytesTheHostPrintedSoSaveSnapshotReplaysIdentically() throws Exception {
        Snapshot s = keySource(ed25519, null).acquire(TIMEOUT);

        byte[] printed = host.expectedOutcome().stdout();
        assertArrayEquals(printed, s.raw());
        Path saved = dir.resolve("saved-snapshot.txt");
        Files.write(saved, s.raw());
        assertArrayEquals(printed, Files.readAllBytes(saved));
        Snapshot replayed = new SnapshotFileSource(saved, CP850).acquire(TIMEOUT);
        assertEquals(s.sections(), replayed.sections());
    }

    @ParameterizedTest
    @EnumSource(value = Shell.class, names = {"CMD", "POWERSHELL"})
    void sameSnapshotWhateverTheAccountsDefaultShell(Shell shell) throws Exception {
        host.shell(shell);

        Snapshot s = keySource(ed25519, null).acquire(TIMEOUT);

        byte[] viaCmd = WindowsShellEmulator.run(Shell.CMD, CaptureCommand.sshCommandLine(),
                FakeWindowsHost.realPrograms()).stdout();
        assertArrayEquals(viaCmd, s.raw());
        assertEquals(CaptureCommand.sections().size(), s.sections().size());
    }

    static Stream<Arguments> keyKinds() {
        return Stream.of(
                Arguments.of("ed25519 OpenSSH", (KeyMaker) d -> TestKeys.openSsh(d, KeyPairProvider.SSH_ED25519, 256, null), null),
                Arguments.of("ed25519 OpenSSH encrypted", (KeyMaker) d -> TestKeys.openSsh(d, KeyPairProvider.SSH_ED25519, 256, "correct horse"), "correct horse"),
                Arguments.of("ECDSA P-256 OpenSSH", (KeyMaker) d -> TestKeys.openSsh(d, KeyPairProvider.ECDSA_SHA2_NISTP256, 256, null), null),
                Arguments.of("ECDSA P-384 PEM", (KeyMaker) d -> TestKeys.pem(d, com.jcraft.jsch.KeyPair.ECDSA, 384, null), null),
                Arguments.of("RSA 3072 OpenSSH encrypted", (KeyMaker) d -> TestKeys.openSsh(d, KeyPairProvider.SSH_RSA, 3072, "p4ss"), "p4ss"),
                Arguments.of("RSA 2048 PEM", (KeyMaker) d -> TestKeys.pem(d, com.jcraft.jsch.KeyPair.RSA, 2048, null), null),
                Arguments.of("RSA 2048 PEM encrypted", (KeyMaker) d -> TestKeys.pem(d, com.jcraft.jsch.KeyPair.RSA, 2048, "pem-pass"), "pem-pass"));
    }

    interface KeyMaker {
        TestKeys.ClientKey make(Path dir) throws Exception;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyKinds")
    void authenticatesWithKey(String kind, KeyMaker maker, String passphrase) throws Exception {
        TestKeys.ClientKey key = maker.make(dir);
        host.authorize(key.publicBlob());

        Snapshot s = keySource(key, passphrase).acquire(TIMEOUT);

        assertEquals(CaptureCommand.sections().size(), s.sections().size(), kind);
        assertEquals(List.of("publickey:monitor:" + key.type()), host.authAttempts.stream()
                .filter(a -> a.startsWith("publickey")).distinct().toList(), kind);
    }

    @Test
    void negotiatesCurrentAlgorithms() throws Exception {
        keySource(ed25519, null).acquire(TIMEOUT);

        String negotiated = host.negotiated.get(0);
        assertTrue(negotiated.matches("(curve25519-sha256|mlkem768x25519-sha256|sntrup761x25519-sha512@openssh.com) ssh-ed25519"),
                negotiated);
    }

    @Test
    void authenticatesWithPassword() throws Exception {
        host.password("Winter2026!");

        Snapshot s = source(password("Winter2026!"), new HostKeyPolicy(knownHosts, false)).acquire(TIMEOUT);

        assertEquals(CaptureCommand.sections().size(), s.sections().size());
        assertTrue(host.authAttempts.contains("password:monitor"), host.authAttempts.toString());
    }

    @Test
    void wrongPasswordIsAuthRejectedNamingTheMethodsButNotThePassword() {
        host.password("Winter2026!");

        AcquisitionException e = assertThrows(AcquisitionException.class,
                () -> source(password("Summer2026?"), new HostKeyPolicy(knownHosts, false)).acquire(TIMEOUT));

        assertEquals(Failure.AUTH_REJECTED, e.failure());
        assertTrue(e.getMessage().startsWith("ssh [monitor@127.0.0.1:" + host.port() + "]: authentication rejected"
                + " for user [monitor] (tried password, keyboard-interactive; server accepts: "), e.getMessage());
        assertFalse(e.getMessage().contains("Summer2026"));
        assertTrue(host.commands.isEmpty());
    }

    @Test
    void keyTheServerDoesNotAuthorizeIsAuthRejectedNamingTheKeyFile() throws Exception {
        TestKeys.ClientKey stranger = TestKeys.openSsh(dir, KeyPairProvider.ECDSA_SHA2_NISTP256, 256, null);

        AcquisitionException e = assertThrows(AcquisitionException.class,
                () -> keySource(stranger, null).acquire(TIMEOUT));

        assertEquals(Failure.AUTH_REJECTED, e.failure());
        assertTrue(e.getMessage().contains("tried publickey [" + stranger.file() + "] (ecdsa-sha2-nistp256)"),
                e.getMessage());
        assertTrue(host.commands.isEmpty());
    }

    @Test
    void unknownHostKeyIsRefusedUnderStrictCheckingWithItsFingerprint() throws Exception {
        Files.writeString(knownHosts, "");

        AcquisitionException e = assertThrows(AcquisitionException.class,
                () -> keySource(ed25519, null).acquire(TIMEOUT));

        assertEquals(Failure.HOST_KEY_UNKNOWN, e.failure());
        String fp = HostKeys.fingerprint(FakeWindowsHost.blob(host.hostPublicKey()));
        assertTrue(e.getMessage().contains("server sent ssh-ed25519 key " + fp + ", not in [" + knownHosts + "] for [127.0.0.1]:"
                + host.port()), e.getMessage());
        assertTrue(host.authAttempts.isEmpty(), "no credential may be offered to an unverified host");
        assertTrue(host.commands.isEmpty());
        assertEquals("", Files.readString(knownHosts));
    }

    @Test
    void acceptNewWritesTheFirstSeenKeyAndLaterRunsVerifyAgainstIt() throws Exception {
        Path fresh = dir.resolve("sub/known_hosts");

        Snapshot first = source(credentials(ed25519, null), new HostKeyPolicy(fresh, true)).acquire(TIMEOUT);
        Snapshot second = source(credentials(ed25519, null), new HostKeyPolicy(fresh, false)).acquire(TIMEOUT);

        assertEquals(host.knownHostsLine() + "\n", Files.readString(fresh));
        assertArrayEquals(first.raw(), second.raw());
    }

    @Test
    void changedHostKeyIsRefusedEvenWithAcceptNewBeforeAnyCredentialIsSent() throws Exception {
        String impostor = "[127.0.0.1]:" + host.port() + " "
                + org.apache.sshd.common.config.keys.PublicKeyEntry.toString(
                        KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256).getPublic());
        Files.writeString(knownHosts, impostor + "\n");

        AcquisitionException e = assertThrows(AcquisitionException.class,
                () -> source(credentials(ed25519, null), new HostKeyPolicy(knownHosts, true)).acquire(TIMEOUT));

        assertEquals(Failure.HOST_KEY_CHANGED, e.failure());
        String fp = HostKeys.fingerprint(FakeWindowsHost.blob(host.hostPublicKey()));
        assertTrue(e.getMessage().startsWith("ssh [monitor@127.0.0.1:" + host.port() + "]: HOST KEY CHANGED, not connecting:"
                + " server sent ssh-ed25519 key " + fp), e.getMessage());
        assertTrue(host.authAttempts.isEmpty(), host.authAttempts.toString());
        assertTrue(host.commands.isEmpty());
        assertEquals(impostor + "\n", Files.readString(knownHosts));
    }

    @Test
    void hashedKnownHostsEntryIsRecognised() throws Exception {
        Files.writeString(knownHosts, KnownHostsFileTest.hashed("[127.0.0.1]:" + host.port(), new byte[20])
                + " " + org.apache.sshd.common.config.keys.PublicKeyEntry.toString(host.hostPublicKey()) + "\n");

        Snapshot s = keySource(ed25519, null).acquire(TIMEOUT);

        assertEquals(CaptureCommand.sections().size(), s.sections().size());
    }

    @Test
    void serverThatStallsWhileSendingEndsWithinTheTimeoutNamingTheReadPhase() throws Exception {
        host.behaviour(FakeWindowsHost.Behaviour.STALL_AFTER_HALF);

        long start = System.nanoTime();
        AcquisitionException e = assertThrows(AcquisitionException.class, () -> keySource(ed25519, null).acquire(SHORT));
        long elapsed = (System.nanoTime() - start) / 1_000_000;

        assertEquals(Failure.TIMEOUT, e.failure());
        assertTrue(elapsed < SHORT.toMillis() + MARGIN_MILLIS, "took " + elapsed + " ms");
        assertTrue(e.getMessage().contains("timed out after 2s while reading the output ("), e.getMessage());
        assertTrue(e.getMessage().contains("sections so far: [capture-info, netsh-dynamicport-tcp-ipv4"), e.getMessage());
    }

    @Test
    void serverThatNeverAnswersTheCommandEndsWithinTheTimeout() throws Exception {
        host.behaviour(FakeWindowsHost.Behaviour.STALL_BEFORE_OUTPUT);

        long start = System.nanoTime();
        AcquisitionException e = assertThrows(AcquisitionException.class, () -> keySource(ed25519, null).acquire(SHORT));
        long elapsed = (System.nanoTime() - start) / 1_000_000;

        assertEquals(Failure.TIMEOUT, e.failure());
        assertTrue(elapsed < SHORT.toMillis() + MARGIN_MILLIS, "took " + elapsed + " ms");
        assertTrue(e.getMessage().endsWith("while reading the output (0 bytes, sections so far: none)"), e.getMessage());
    }

    /**
     * What the agent's watchdog does to a probe past its timeout: interrupts the thread waiting in acquire(). The
     * acquisition ends at once, says so, and the SSH session is closed (the server sees no session left).
     */
    /** @param doing a regular expression for the phase the message names */
    private void assertInterruptEndsAndClosesTheSession(java.util.function.BooleanSupplier stalled, String doing)
            throws Exception {
        SshSource source = keySource(ed25519, null);
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        Thread probe = new Thread(() -> {
            try {
                source.acquire(Duration.ofMinutes(10));
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "test-probe");
        probe.start();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!stalled.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(stalled.getAsBoolean(), "hang guard: the exchange never reached the stall");
        probe.interrupt();
        probe.join(java.util.concurrent.TimeUnit.SECONDS.toMillis(60));
        assertFalse(probe.isAlive(), "hang guard: acquire did not return after the interrupt");
        AcquisitionException e = assertInstanceOf(AcquisitionException.class, thrown.get());
        assertEquals(Failure.TIMEOUT, e.failure());
        assertTrue(e.getMessage().matches(".*: interrupted while (" + doing + ")"), e.getMessage());
        deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (host.openSessions() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(0, host.openSessions(), "hang guard: the SSH session was not closed");
    }

    @Test
    void interruptWhileReadingEndsTheAcquisitionAndClosesTheSession() throws Exception {
        host.behaviour(FakeWindowsHost.Behaviour.STALL_BEFORE_OUTPUT);
        // The server records the command before the client has seen the channel open: either phase may be named.
        assertInterruptEndsAndClosesTheSession(() -> !host.commands.isEmpty(),
                "starting the remote command|reading the output");
    }

    @Test
    void serverThatStallsDuringAuthenticationEndsWithinTheTimeout() throws Exception {
        host.stallAuthentication();

        long start = System.nanoTime();
        AcquisitionException e = assertThrows(AcquisitionException.class, () -> keySource(ed25519, null).acquire(SHORT));
        long elapsed = (System.nanoTime() - start) / 1_000_000;

        assertEquals(Failure.TIMEOUT, e.failure());
        assertTrue(elapsed < SHORT.toMillis() + MARGIN_MILLIS, "took " + elapsed + " ms");
        assertTrue(e.getMessage().endsWith("timed out after 2s while authenticating"), e.getMessage());
    }

    @Test
    void peerThatAcceptsButNeverSpeaksSshEndsWithinTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    accepted.add(silent.accept());
                } catch (Exception ignored) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            SshSource s = new SshSource(new SshTarget("127.0.0.1", silent.getLocalPort(), "monitor"),
                    credentials(ed25519, null), new HostKeyPolicy(knownHosts, false), CP850);

            long start = System.nanoTime();
            AcquisitionException e = assertThrows(AcquisitionException.class, () -> s.acquire(SHORT));
            long elapsed = (System.nanoTime() - start) / 1_000_000;

            assertEquals(Failure.TIMEOUT, e.failure());
            assertTrue(elapsed < SHORT.toMillis() + MARGIN_MILLIS, "took " + elapsed + " ms");
            assertTrue(e.getMessage().endsWith("while connecting (name lookup, TCP, key exchange)"), e.getMessage());
        }
    }

    @Test
    void connectionDroppedMidOutputIsTruncatedNotASnapshot() throws Exception {
        host.behaviour(FakeWindowsHost.Behaviour.DROP_AFTER_HALF);

        AcquisitionException e = assertThrows(AcquisitionException.class, () -> keySource(ed25519, null).acquire(TIMEOUT));

        assertEquals(Failure.OUTPUT_TRUNCATED, e.failure());
        assertTrue(e.getMessage().contains("output truncated: connection closed before the remote command finished ("),
                e.getMessage());
    }

    @Test
    void nonZeroExitReportsTheFirstLineOfStderr() throws Exception {
        host.shell(Shell.POSIX_SH);

        AcquisitionException e = assertThrows(AcquisitionException.class, () -> keySource(ed25519, null).acquire(TIMEOUT));

        assertEquals(Failure.REMOTE_COMMAND_FAILED, e.failure());
        assertEquals("ssh [monitor@127.0.0.1:" + host.port() + "]: remote command exited with status 127: sh: 1: cmd: not found",
                e.getMessage());
    }

    @Test
    void missingWindowsCommandShowsItsErrorInsideItsSection() throws Exception {
        host.withoutProgram(Section.DYNAMICPORT_TCP_IPV6.argv());

        Snapshot s = keySource(ed25519, null).acquire(TIMEOUT);

        assertEquals("'netsh' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n",
                s.section(Section.DYNAMICPORT_TCP_IPV6).orElseThrow());
    }

    @Test
    void germanNetstatInUtf8AfterChcpIsDecodedAsUtf8() throws Exception {
        host.program(Section.NETSTAT.argv(), Program.of(FakeWindowsHost.fixture("netstat-ano-de-01-cp850-constructed.txt", CP850)));

        Snapshot s = keySource(ed25519, null).acquire(TIMEOUT);

        assertTrue(indexOf(s.raw(), "ABH\u00d6REN".getBytes(StandardCharsets.UTF_8)) >= 0, "UTF-8 bytes on the wire");
        assertTrue(s.section(Section.NETSTAT).orElseThrow().contains("0.0.0.0:0              ABH\u00d6REN         10520"));
    }

    @Test
    void germanNetstatInOemCodePageIsDecodedWithTheFallbackCharset() throws Exception {
        host.program(Section.NETSTAT.argv(), new Program(
                FakeWindowsHost.fixture("netstat-ano-de-01-cp850-constructed.txt", CP850), CP850, 0));

        Snapshot s = keySource(ed25519, null).acquire(TIMEOUT);

        assertTrue(indexOf(s.raw(), new byte[] {'A', 'B', 'H', (byte) 0x99, 'R'}) >= 0, "CP850 bytes on the wire");
        assertTrue(s.section(Section.NETSTAT).orElseThrow().contains("ABH\u00d6REN         10520"));
        assertTrue(s.section(Section.DYNAMICPORT_TCP_IPV4).orElseThrow().startsWith("Protocol tcp"));
    }

    @Test
    void unresolvableHostNameIsADnsFailure() throws Exception {
        SshSource s = new SshSource(new SshTarget("exch01.dynport-test.invalid", 22, "monitor"),
                credentials(ed25519, null), new HostKeyPolicy(knownHosts, false), CP850);

        AcquisitionException e = assertThrows(AcquisitionException.class, () -> s.acquire(Duration.ofSeconds(10)));

        assertEquals(Failure.DNS, e.failure());
        assertEquals("ssh [monitor@exch01.dynport-test.invalid:22]: host name [exch01.dynport-test.invalid] not found (DNS)",
                e.getMessage());
    }

    @Test
    void closedPortIsConnectionRefused() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = probe.getLocalPort();
        }
        SshSource s = new SshSource(new SshTarget("127.0.0.1", closed, "monitor"),
                credentials(ed25519, null), new HostKeyPolicy(knownHosts, false), CP850);

        AcquisitionException e = assertThrows(AcquisitionException.class, () -> s.acquire(TIMEOUT));

        assertEquals(Failure.CONNECTION_REFUSED, e.failure());
        assertEquals("ssh [monitor@127.0.0.1:" + closed + "]: connection refused (is sshd running on port " + closed + "?)",
                e.getMessage());
    }

    @Test
    void printsNothingOnStdoutWhetherItWorksOrFails() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            keySource(ed25519, null).acquire(TIMEOUT);
            host.password("x");
            assertThrows(AcquisitionException.class,
                    () -> source(password("wrong"), new HostKeyPolicy(knownHosts, false)).acquire(TIMEOUT));
        } finally {
            System.setOut(original);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void exitZeroWithoutEverySectionIsTruncatedNamingTheMissingOnes() {
        byte[] partial = ("#@section netsh-dynamicport-tcp-ipv4\r\nProtocol tcp Dynamic Port Range\r\n"
                + "#@section netstat-ano\r\n").getBytes(StandardCharsets.US_ASCII);
        SshSource s = source(password("unused"), new HostKeyPolicy(knownHosts, false));

        AcquisitionException e = assertThrows(AcquisitionException.class,
                () -> s.interpret(new SshExchange.Received(partial, new byte[0], 0, false)));

        assertEquals(Failure.OUTPUT_TRUNCATED, e.failure());
        // ten names pass the one-line limit of 240 characters: the message keeps the first ones
        assertTrue(e.getMessage().contains("output truncated: section(s) [capture-info, netsh-dynamicport-tcp-ipv6,"
                + " netsh-excludedportrange-tcp-ipv4, netsh-excludedportrange-tcp-ipv6, tasklist-svc-csv,"
                + " sc-qc-msexchangepop3be, "), e.getMessage());
        byte[] withoutSc = ("#@section capture-info\r\nEXCH01\r\n#@section netsh-dynamicport-tcp-ipv4\r\nx\r\n"
                + "#@section netsh-dynamicport-tcp-ipv6\r\nx\r\n#@section netsh-excludedportrange-tcp-ipv4\r\nx\r\n"
                + "#@section netsh-excludedportrange-tcp-ipv6\r\nx\r\n#@section netstat-ano\r\nx\r\n"
                + "#@section tasklist-svc-csv\r\n").getBytes(StandardCharsets.US_ASCII);
        AcquisitionException cut = assertThrows(AcquisitionException.class,
                () -> s.interpret(new SshExchange.Received(withoutSc, new byte[0], 0, false)));
        assertTrue(cut.getMessage().endsWith("output truncated: section(s) [sc-qc-msexchangepop3be,"
                + " sc-queryex-msexchangepop3be, sc-qc-msexchangeimap4be, sc-queryex-msexchangeimap4be] missing from "
                + withoutSc.length + " bytes"), cut.getMessage());
    }

    @Test
    void exitZeroWithoutMarkersIsARemoteCommandFailure() {
        byte[] banner = "Welcome to exch01\r\nThis account may not run commands.\r\n".getBytes(StandardCharsets.US_ASCII);
        SshSource s = source(password("unused"), new HostKeyPolicy(knownHosts, false));

        AcquisitionException e = assertThrows(AcquisitionException.class,
                () -> s.interpret(new SshExchange.Received(banner, new byte[0], 0, false)));

        assertEquals(Failure.REMOTE_COMMAND_FAILED, e.failure());
        assertTrue(e.getMessage().endsWith("remote command printed no section markers (" + banner.length
                + " bytes): Welcome to exch01 / This account may not run commands."), e.getMessage());
    }

    @Test
    void aCaptureTheReaderRefusesIsReportedInTheReadersWordsNotAsMissingMarkers() {
        byte[] twice = ("#@section netsh-dynamicport-tcp-ipv4\r\nProtocol tcp Dynamic Port Range\r\n"
                + "#@section netsh-dynamicport-tcp-ipv4\r\nProtocol tcp Dynamic Port Range\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        SshSource s = source(password("unused"), new HostKeyPolicy(knownHosts, false));

        AcquisitionException e = assertThrows(AcquisitionException.class,
                () -> s.interpret(new SshExchange.Received(twice, new byte[0], 0, false)));

        assertEquals(Failure.INPUT_UNREADABLE, e.failure());
        assertTrue(e.getMessage().contains("section netsh-dynamicport-tcp-ipv4 appears twice"), e.getMessage());
        assertFalse(e.getMessage().contains("no section markers"), e.getMessage());
    }

    @Test
    void toStringMasksSecrets() {
        SshSource s = source(password("Winter2026!"), new HostKeyPolicy(knownHosts, false));

        assertFalse(s.toString().contains("Winter2026"), s.toString());
        assertTrue(s.toString().contains("password=<masked>"), s.toString());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

}
