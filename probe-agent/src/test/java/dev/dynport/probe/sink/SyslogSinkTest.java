package dev.dynport.probe.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.probe.event.Event;
import dev.dynport.check.model.State;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SyslogSinkTest {
    /** RFC 5424: PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP SD SP BOM MSG. */
    private static final Pattern FRAME = Pattern.compile(
            "<(\\d{1,3})>1 (\\S+) (\\S+) (\\S+) (\\d+) (\\S+) (\\[(?:[^\\]\\\\]|\\\\.)*\\]) \uFEFF(.*)", Pattern.DOTALL);

    private static Matcher parse(byte[] frame) {
        Matcher m = FRAME.matcher(new String(frame, StandardCharsets.UTF_8));
        assertTrue(m.matches(), new String(frame, StandardCharsets.UTF_8));
        return m;
    }

    @Test
    void udpDatagramIsRfc5424WithStructuredDataAndEscapedParams() throws Exception {
        try (DatagramSocket rx = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            rx.setSoTimeout(5000);
            Sink s = TestSinks.build("{'type': 'syslog', 'host': '127.0.0.1', 'port': " + rx.getLocalPort()
                    + ", 'facility': 'local3', 'hostname': 'probe-host'}", Map.of());
            Event e = TestEvents.port("ex01 \"lab\" [a\\b]", 9955, "ipv4", State.CRITICAL, State.OK,
                    "TCP 9955 is exposed");
            s.deliver(e);
            DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
            rx.receive(p);
            byte[] frame = java.util.Arrays.copyOf(p.getData(), p.getLength());
            Matcher m = parse(frame);
            assertEquals(19 * 8 + 2, Integer.parseInt(m.group(1)), "local3.crit");
            assertEquals("2026-11-28T03:00:00.123456Z", m.group(2), "at most 6 fractional digits");
            assertEquals("probe-host", m.group(3));
            assertEquals("dynport-probe", m.group(4));
            assertEquals(ProcessHandle.current().pid(), Long.parseLong(m.group(5)));
            assertEquals("PORT_STATE_CHANGED", m.group(6));
            assertEquals("[dynport@32473 id=\"" + e.id() + "\" eventId=\"102\" type=\"PORT_STATE_CHANGED\""
                    + " host=\"ex01 \\\"lab\\\" [a\\\\b\\]\" port=\"9955\" family=\"ipv4\" state=\"CRITICAL\""
                    + " previousState=\"HEALTHY\"]", m.group(7));
            assertEquals("TCP 9955 is exposed -- TCP 9955 is exposed; second line of details", m.group(8));
            s.close();
        }
    }

    @Test
    void severityFollowsStateAndHostLevelEventsOmitPort() throws Exception {
        try (DatagramSocket rx = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            rx.setSoTimeout(5000);
            Sink s = TestSinks.build("{'type': 'syslog', 'port': " + rx.getLocalPort() + ", 'facility': 16}", Map.of());
            List<Event> events = List.of(TestEvents.port("h", 1, "ipv4", State.OK, null, "ok"),
                    TestEvents.port("h", 1, "ipv4", State.WARNING, null, "w"),
                    TestEvents.port("h", 1, "ipv4", State.UNKNOWN, null, "u"),
                    TestEvents.probeFailed("h", "down"), TestEvents.heartbeat());
            List<Integer> pri = new ArrayList<>();
            List<String> sd = new ArrayList<>();
            for (Event e : events) {
                s.deliver(e);
                DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
                rx.receive(p);
                Matcher m = parse(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                pri.add(Integer.parseInt(m.group(1)) - 128);
                sd.add(m.group(7));
            }
            assertEquals(List.of(5, 4, 3, 3, 6), pri);
            assertTrue(!sd.get(3).contains("port=") && sd.get(3).contains("state=\"UNKNOWN\""), sd.get(3));
            s.close();
        }
    }

    @Test
    void tcpUsesOctetCountingFramingOverOneConnection() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(5000);
            Sink s = TestSinks.build("{'type': 'syslog', 'protocol': 'tcp', 'port': " + server.getLocalPort() + "}",
                    Map.of());
            Event a = TestEvents.port("ex01", 9955, "ipv4", State.CRITICAL, null, "first – ünïcode");
            Event b = TestEvents.port("ex01", 9955, "ipv4", State.OK, null, "second");
            s.deliver(a);
            s.deliver(b);
            s.close();
            try (Socket c = server.accept()) {
                c.setSoTimeout(5000);
                DataInputStream in = new DataInputStream(c.getInputStream());
                List<String> msgs = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    int len = Integer.parseInt(readUntilSpace(in));
                    byte[] frame = new byte[len];
                    in.readFully(frame);
                    msgs.add(parse(frame).group(8));
                }
                assertEquals(-1, in.read(), "nothing after the two frames");
                assertTrue(msgs.get(0).startsWith("first – ünïcode"), msgs.get(0));
                assertTrue(msgs.get(1).startsWith("second"), msgs.get(1));
            }
        }
    }

    private static String readUntilSpace(InputStream in) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != ' '; c = in.read()) {
            assertTrue(c >= '0' && c <= '9', "octet count digit, got " + c);
            b.write(c);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void tcpReceiverDownIsRetryable() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Sink s = TestSinks.build("{'type': 'syslog', 'protocol': 'tcp', 'port': " + port + "}", Map.of());
        DeliveryException e = assertThrows(DeliveryException.class, () -> s.deliver(TestEvents.heartbeat()));
        assertTrue(e.retryable());
        assertTrue(e.getMessage().startsWith("syslog: syslog tcp to [127.0.0.1:" + port + "] failed"), e.getMessage());
    }

    @Test
    void tcpReceiverThatStopsReadingTimesOutInsteadOfHangingTheWorker() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            // accepts the sink's connection and never reads from it
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.accept();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Sink s = TestSinks.build("{'type': 'syslog', 'protocol': 'tcp', 'port': " + server.getLocalPort()
                    + ", 'write_timeout_ms': 300}", Map.of());
            Event big = TestEvents.probeFailed("ex01", "x".repeat(1 << 20)); // 1 MiB per frame
            DeliveryException e = null;
            long t0 = System.nanoTime();
            try {
                for (int i = 0; i < 64 && e == null; i++) {
                    try {
                        s.deliver(big);
                    } catch (DeliveryException x) {
                        e = x;
                    }
                }
            } finally {
                s.close();
                accepted.get(10, TimeUnit.SECONDS).close();
            }
            assertTrue(e != null, "socket buffers never filled");
            assertTrue(e.retryable());
            assertTrue(e.getMessage().contains("write did not finish within 300 ms (receiver not reading)"),
                    e.getMessage());
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30));
        }
    }

    @Test
    void paramEscapingCoversQuoteBackslashAndBracketOnly() {
        assertEquals("a\\\"b\\\\c\\]d[e=f", SyslogSink.escapeParam("a\"b\\c]d[e=f"));
    }

    @Test
    void udpMessageIsCutWithoutSplittingAUtf8Sequence() {
        byte[] b = "aé".getBytes(StandardCharsets.UTF_8); // 61 C3 A9
        assertEquals(1, SyslogSink.cut(b, 2).length);
        assertEquals(3, SyslogSink.cut(b, 3).length);
    }

    @Test
    void unknownFacilityIsAConfigError() {
        assertEquals("/sinks/0/facility must be one of auth, authpriv, cron, daemon, ftp, kern, local0, local1, local2,"
                + " local3, local4, local5, local6, local7, lpr, mail, news, syslog, user, uucp [local9]",
                TestSinks.configError("{'type': 'syslog', 'facility': 'local9'}", Map.of()));
    }
}
