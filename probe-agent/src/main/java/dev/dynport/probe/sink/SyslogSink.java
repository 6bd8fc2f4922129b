package dev.dynport.probe.sink;

import dev.dynport.probe.config.FieldReader;
import dev.dynport.check.util.NamedThreads;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.WireState;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code syslog}: RFC 5424 messages with structured data, over UDP (RFC 5426, one message per datagram, cut to
 * {@value #MAX_UDP_BYTES} bytes) or TCP (RFC 6587 octet counting: {@code LEN SP MSG}, one connection kept open
 * and re-opened after an error; a write that does not finish within {@code write_timeout_ms} closes it).
 * <pre>
 * &lt;PRI&gt;1 2026-11-28T03:00:00.123Z HOSTNAME dynport-probe PID PORT_STATE_CHANGED [dynport@32473 id="…"
 *   eventId="102" host="ex01" port="9955" family="ipv4" state="CRITICAL" previousState="HEALTHY"] BOM summary
 * </pre>
 * PRI = facility × 8 + severity; severity: CRITICAL 2 (crit), UNKNOWN 3 (err), WARNING 4 (warning), HEALTHY 5
 * (notice), events without a state 6 (info). Every I/O error is retryable. TCP has no application-level
 * acknowledgement: a message written into the socket just before the receiver dies can be lost (RFC 6587).
 */
final class SyslogSink implements Sink {
    static final int MAX_UDP_BYTES = 2048;
    static final String SD_ID = "dynport@32473";
    static final Map<String, Integer> FACILITIES = Map.ofEntries(Map.entry("kern", 0), Map.entry("user", 1),
            Map.entry("mail", 2), Map.entry("daemon", 3), Map.entry("auth", 4), Map.entry("syslog", 5),
            Map.entry("lpr", 6), Map.entry("news", 7), Map.entry("uucp", 8), Map.entry("cron", 9),
            Map.entry("authpriv", 10), Map.entry("ftp", 11), Map.entry("local0", 16), Map.entry("local1", 17),
            Map.entry("local2", 18), Map.entry("local3", 19), Map.entry("local4", 20), Map.entry("local5", 21),
            Map.entry("local6", 22), Map.entry("local7", 23));
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final String name;
    private final String host;
    private final int port;
    private final boolean tcp;
    private final int facility;
    private final String hostname;
    private final String appName;
    private final int connectTimeoutMs;
    private final int writeTimeoutMs;
    private final ScheduledExecutorService watchdog;
    private DatagramSocket udp;
    private Socket socket;

    SyslogSink(String name, String host, int port, boolean tcp, int facility, String hostname, String appName,
            int connectTimeoutMs, int writeTimeoutMs) {
        this.name = name;
        this.host = host;
        this.port = port;
        this.tcp = tcp;
        this.facility = facility;
        this.hostname = hostname;
        this.appName = appName;
        this.connectTimeoutMs = connectTimeoutMs;
        this.writeTimeoutMs = writeTimeoutMs;
        this.watchdog = !tcp ? null : Executors.newSingleThreadScheduledExecutor(
                NamedThreads.named("dynport-sink-" + name + "-watchdog"));
    }

    static SinkBuilder read(FieldReader r, JsonNode n, String path, String name) {
        r.unknownFields(n, path, SinkFactory.fields(Set.of("host", "port", "protocol", "facility", "app_name",
                "hostname", "connect_timeout_ms", "write_timeout_ms")));
        String host = r.string(n, path, "host", "127.0.0.1");
        int port = (int) r.number(n, path, "port", 514, 1, 65535);
        String protocol = r.oneOf(n, path, "protocol", "udp", Set.of("udp", "tcp"));
        int facility = 3;
        JsonNode f = n.get("facility");
        if (f != null && f.isIntegralNumber()) {
            facility = (int) r.number(n, path, "facility", 3, 0, 23);
        } else if (f != null) {
            String fs = r.oneOf(n, path, "facility", "daemon", FACILITIES.keySet());
            facility = FACILITIES.getOrDefault(fs, 3);
        }
        String appName = r.string(n, path, "app_name", "dynport-probe");
        String hostname = r.optionalString(n, path, "hostname");
        int timeout = (int) r.number(n, path, "connect_timeout_ms", 5000, 1, 600_000);
        int writeTimeout = (int) r.number(n, path, "write_timeout_ms", 10_000, 1, 600_000);
        int fac = facility;
        return clock -> new SyslogSink(name, host, port, "tcp".equals(protocol), fac,
                hostname != null ? hostname : localHostName(), appName, timeout, writeTimeout);
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "-";
        }
    }

    static int severity(Event e) {
        switch (e.type()) {
            case HEARTBEAT, AGENT_STARTED, AGENT_STOPPING:
                return 6;
            case EVENTS_DROPPED:
                return 4;
            default:
                break;
        }
        if (e.state() == null) {
            return 6;
        }
        return switch (e.state()) {
            case CRITICAL -> 2;
            case UNKNOWN -> 3;
            case WARNING -> 4;
            case OK -> 5;
        };
    }

    /** RFC 5424 §6.3.3: inside PARAM-VALUE, {@code "}, {@code \} and {@code ]} are escaped with {@code \}. */
    static String escapeParam(String v) {
        StringBuilder b = new StringBuilder(v.length() + 8);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    /** Header fields are PRINTUSASCII without spaces, limited in length; NILVALUE "-" when empty. */
    static String headerField(String s, int max) {
        if (s == null || s.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(c > 32 && c < 127 ? c : '_');
        }
        return b.toString();
    }

    static byte[] format(Event e, int facility, String hostname, String appName, long pid) {
        StringBuilder sd = new StringBuilder("[").append(SD_ID);
        param(sd, "id", e.id());
        param(sd, "eventId", Integer.toString(e.eventId()));
        param(sd, "type", e.type().name());
        param(sd, "host", e.host());
        if (e.port() != null) {
            param(sd, "port", e.port().toString());
            param(sd, "family", e.family());
        } else if (e.type().isUsage()) {
            param(sd, "family", e.family());
        }
        param(sd, "state", WireState.name(e.state()));
        param(sd, "previousState", WireState.name(e.previousState()));
        sd.append(']');
        String header = String.format(Locale.ROOT, "<%d>1 %s %s %s %d %s ", facility * 8 + severity(e),
                e.time().truncatedTo(ChronoUnit.MICROS), headerField(hostname, 255), headerField(appName, 48), pid,
                headerField(e.type().name(), 32));
        String msg = message(e);
        byte[] head = (header + sd + " ").getBytes(StandardCharsets.UTF_8);
        byte[] text = msg.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + BOM.length + text.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(BOM, 0, out, head.length, BOM.length);
        System.arraycopy(text, 0, out, head.length + BOM.length, text.length);
        return out;
    }

    private static void param(StringBuilder sd, String key, String value) {
        if (value != null) {
            sd.append(' ').append(key).append("=\"").append(escapeParam(value)).append('"');
        }
    }

    static String message(Event e) {
        String summary = e.summary() == null || e.summary().isBlank() ? e.type() + " " + e.host() : e.summary();
        String m = summary;
        if (e.details() != null && !e.details().isBlank() && !e.details().equals(e.summary())) {
            m += " -- " + e.details();
        }
        return String.join("; ", List.of(m.split("\\r?\\n")));
    }

    /** Cuts to at most {@code max} bytes without splitting a UTF-8 sequence. */
    static byte[] cut(byte[] b, int max) {
        if (b.length <= max) {
            return b;
        }
        int end = max;
        while (end > 0 && (b[end] & 0xC0) == 0x80) {
            end--;
        }
        byte[] out = new byte[end];
        System.arraycopy(b, 0, out, 0, end);
        return out;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(Event event) throws DeliveryException {
        byte[] msg = format(event, facility, hostname, appName, ProcessHandle.current().pid());
        try {
            if (tcp) {
                sendTcp(msg);
            } else {
                if (udp == null) {
                    udp = new DatagramSocket();
                }
                byte[] d = cut(msg, MAX_UDP_BYTES);
                udp.send(new DatagramPacket(d, d.length, new InetSocketAddress(host, port)));
            }
        } catch (IOException e) {
            closeSockets();
            throw new DeliveryException(true, name + ": syslog " + (tcp ? "tcp" : "udp") + " to [" + host + ":" + port
                    + "] failed: " + e, e);
        }
    }

    private void sendTcp(byte[] msg) throws IOException {
        if (socket == null || socket.isClosed()) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(host, port), connectTimeoutMs);
            socket = s;
        }
        // A receiver that stops reading fills the socket buffers and a write would block for ever (Java has no
        // write timeout): the watchdog closes the socket, the write fails, the delivery is retried.
        Socket s = socket;
        AtomicBoolean fired = new AtomicBoolean();
        ScheduledFuture<?> guard = watchdog.schedule(() -> {
            fired.set(true); // before the close: the failing write may be seen before this task completes
            try {
                s.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
        }, writeTimeoutMs, TimeUnit.MILLISECONDS);
        try {
            OutputStream out = s.getOutputStream();
            out.write((msg.length + " ").getBytes(StandardCharsets.US_ASCII));
            out.write(msg);
            out.flush();
        } catch (IOException e) {
            if (fired.get()) {
                throw new IOException("write did not finish within " + writeTimeoutMs + " ms (receiver not reading)",
                        e);
            }
            throw e;
        } finally {
            guard.cancel(false);
        }
    }

    private void closeSockets() {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException ignored) {
            // already broken; the next delivery reconnects
        }
        socket = null;
        if (udp != null) {
            udp.close();
            udp = null;
        }
    }

    @Override
    public void close() {
        closeSockets();
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
    }

}
