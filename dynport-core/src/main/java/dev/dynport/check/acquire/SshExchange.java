package dev.dynport.check.acquire;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Logger;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SocketFactory;
import com.jcraft.jsch.UIKeyboardInteractive;
import com.jcraft.jsch.UserInfo;
import dev.dynport.check.acquire.AcquisitionException.Failure;
import dev.dynport.check.acquire.SshFailures.Phase;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * One SSH round trip, run on a worker thread while {@link SshSource} watches the deadline: resolve, connect,
 * verify the host key, authenticate, open one exec channel, run {@link CaptureCommand#sshCommandLine()},
 * collect stdout and stderr until the channel closes. {@link #abort()} (called from the watching thread at the
 * deadline) disconnects, which unblocks every step; the phase tells the timeout message where it stood.
 */
final class SshExchange {
    /** What came back: the exact stdout bytes, stderr, and the exit status (-1 if none was sent). */
    record Received(byte[] stdout, byte[] stderr, int exitStatus, boolean overflowed) {
    }

    /** JSch's log must not reach stdout (plugin output) or anything else: drop it. */
    private static final Logger SILENT = new Logger() {
        @Override
        public boolean isEnabled(int level) {
            return false;
        }

        @Override
        public void log(int level, String message) {
        }
    };

    /**
     * Longest wait for the channel's close between wake-ups. The close of a sink and {@link #abort()} wake the
     * waiter at once; this only bounds a state change that signals neither (none known in JSch 2.27).
     */
    private static final long WAIT_SLICE_MILLIS = 50;

    private final SshTarget target;
    private final SshCredentials credentials;
    private final HostKeyVerifier verifier;
    private final long deadlineNanos;
    private final String command;
    /** Notified when a sink closes or the exchange is aborted: the end of the channel, without polling sleeps. */
    private final Object ended = new Object();
    private final BoundedSink stdout = new BoundedSink(SnapshotFileSource.MAX_BYTES, this::signalEnded);
    private final BoundedSink stderr = new BoundedSink(64 * 1024, this::signalEnded);
    private volatile Phase phase = Phase.CONNECT;
    private volatile Session session;
    private volatile Socket socket;
    private volatile boolean aborted;

    SshExchange(SshTarget target, SshCredentials credentials, HostKeyVerifier verifier, long deadlineNanos) {
        this(target, credentials, verifier, deadlineNanos, CaptureCommand.sshCommandLine());
    }

    /** @param command the exec request: the Windows capture line, or {@link LinuxCapture#sshCommandLine()} */
    SshExchange(SshTarget target, SshCredentials credentials, HostKeyVerifier verifier, long deadlineNanos,
            String command) {
        this.command = command;
        this.target = target;
        this.credentials = credentials;
        this.verifier = verifier;
        this.deadlineNanos = deadlineNanos;
    }

    Received run() throws AcquisitionException, InterruptedException {
        try {
            InetAddress.getByName(target.host());
        } catch (UnknownHostException e) {
            throw SshFailures.fail(target, Failure.DNS, "host name [" + target.host() + "] not found (DNS)");
        }
        JSch jsch = new JSch();
        jsch.setInstanceLogger(SILENT);
        Session s;
        try {
            for (SshCredentials.Identity id : credentials.identities()) {
                byte[] passphrase = id.passphrase();
                try {
                    jsch.addIdentity(id.name(), id.privateKey(), null, passphrase);
                } finally {
                    if (passphrase != null) {
                        Arrays.fill(passphrase, (byte) 0);
                    }
                }
            }
            s = jsch.getSession(target.user(), target.host(), target.port());
        } catch (JSchException e) {
            // keys were validated when the arguments were read; this is a JSch that cannot use them
            throw SshFailures.fail(target, Failure.AUTH_REJECTED, "cannot use identity: " + e.getMessage());
        }
        session = s;
        s.setSocketFactory(new DeadlineSockets());
        s.setHostKeyRepository(verifier);
        s.setConfig("StrictHostKeyChecking", "yes");
        s.setConfig("HashKnownHosts", "no");
        s.setConfig("PreferredAuthentications", credentials.preferredMethods());
        s.setDaemonThread(true);
        Optional<byte[]> password = credentials.password();
        password.ifPresent(p -> {
            s.setPassword(p);
            s.setUserInfo(new PasswordOnly(new String(p, StandardCharsets.UTF_8)));
        });
        try {
            if (aborted) {
                throw new InterruptedException("aborted");
            }
            s.setTimeout(remainingMillis());
            s.connect(remainingMillis());
            phase = Phase.EXEC;
            ChannelExec channel = (ChannelExec) s.openChannel("exec");
            channel.setCommand(command);
            channel.setInputStream(new ByteArrayInputStream(new byte[0]));
            channel.setOutputStream(stdout);
            channel.setExtOutputStream(stderr);
            channel.connect(remainingMillis());
            phase = Phase.READ;
            awaitClose(channel, s);
            if (aborted) {
                throw new InterruptedException("aborted");
            }
            return new Received(stdout.toByteArray(), stderr.toByteArray(),
                    channel.isClosed() ? channel.getExitStatus() : -1, stdout.overflowed());
        } catch (JSchException e) {
            throw SshFailures.classify(target, e, phase(), verifier, credentials);
        } finally {
            s.disconnect();
            password.ifPresent(p -> Arrays.fill(p, (byte) 0));
        }
    }

    /**
     * Waits until the server closed the channel (exit status and all output are in by then), the session dropped,
     * or {@link #abort()} was called. A sleep-and-look loop here cost up to a slice per check; closes wake it now.
     */
    private void awaitClose(ChannelExec channel, Session s) throws InterruptedException {
        synchronized (ended) {
            while (!channel.isClosed() && s.isConnected() && !aborted) {
                ended.wait(WAIT_SLICE_MILLIS);
            }
        }
    }

    private void signalEnded() {
        synchronized (ended) {
            ended.notifyAll();
        }
    }

    /** Where the exchange stands; between an accepted host key and the end of connect() it authenticates. */
    Phase phase() {
        Phase p = phase;
        HostKeyVerifier.Verdict v = verifier.verdict();
        if (p == Phase.CONNECT && (v == HostKeyVerifier.Verdict.KNOWN || v == HostKeyVerifier.Verdict.ADDED)) {
            return Phase.AUTH;
        }
        return p;
    }

    byte[] stdoutSoFar() {
        return stdout.toByteArray();
    }

    /**
     * Ends the exchange from another thread: closes the TCP socket first (no lock, returns at once, and every
     * blocked read or connect fails), then lets JSch tidy up. Callers should not wait for it.
     */
    void abort() {
        aborted = true;
        signalEnded();
        Socket sock = socket;
        if (sock != null) {
            try {
                sock.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
        }
        Session s = session;
        if (s != null) {
            s.disconnect();
        }
    }

    /** TCP connect bounded by the deadline; keeps the socket so {@link #abort()} can close it. */
    private final class DeadlineSockets implements SocketFactory {
        @Override
        public Socket createSocket(String host, int port) throws IOException {
            Socket sock = new Socket();
            socket = sock;
            if (aborted) {
                sock.close();
                throw new SocketException("aborted");
            }
            long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                sock.close();
                throw new SocketTimeoutException("deadline passed before connecting");
            }
            try {
                sock.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, left));
            } catch (IOException e) {
                sock.close();
                throw e;
            }
            return sock;
        }

        @Override
        public InputStream getInputStream(Socket sock) throws IOException {
            return sock.getInputStream();
        }

        @Override
        public OutputStream getOutputStream(Socket sock) throws IOException {
            return sock.getOutputStream();
        }
    }

    private int remainingMillis() throws JSchException {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new JSchException("timeout: deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    /**
     * Answers keyboard-interactive with the password when the server asks one hidden question (what
     * Win32-OpenSSH and PAM do for a password); declines everything else. Host key prompts never come here,
     * because StrictHostKeyChecking=yes decides without asking.
     */
    private static final class PasswordOnly implements UserInfo, UIKeyboardInteractive {
        private final String password;
        private int answered;

        PasswordOnly(String password) {
            this.password = password;
        }

        /** Answers once: a second question means the password was wrong, and retrying cannot help. */
        @Override
        public String[] promptKeyboardInteractive(String destination, String name, String instruction,
                                                  String[] prompt, boolean[] echo) {
            if (prompt.length == 1 && !echo[0] && answered++ == 0) {
                return new String[] {password};
            }
            return null;
        }

        @Override
        public String getPassphrase() {
            return null;
        }

        @Override
        public String getPassword() {
            return password;
        }

        /** JSch asks after the given password was rejected; asking again would only repeat it. */
        @Override
        public boolean promptPassword(String message) {
            return false;
        }

        @Override
        public boolean promptPassphrase(String message) {
            return false;
        }

        @Override
        public boolean promptYesNo(String message) {
            return false;
        }

        @Override
        public void showMessage(String message) {
        }

        @Override
        public String toString() {
            return "PasswordOnly[<masked>]";
        }
    }

    @Override
    public String toString() {
        return "SshExchange[" + target + ", phase=" + phase + "]";
    }

}
