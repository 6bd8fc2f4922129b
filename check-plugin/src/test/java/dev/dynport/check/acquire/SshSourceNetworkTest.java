package dev.dynport.check.acquire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.acquire.AcquisitionException.Failure;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A network or server that misbehaves: stalls end within the timeout, an interrupt ends at once, a dropped
 * connection is a truncation, DNS failures and refusals are named.
 */
class SshSourceNetworkTest extends SshSourceFixture {
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
}
