package dev.dynport.check.parse;

import dev.dynport.check.model.Family;
import dev.dynport.check.model.KeptPorts;
import dev.dynport.check.model.NetstatTable;
import dev.dynport.check.model.PortTally;
import dev.dynport.check.model.TcpEndpoint;
import dev.dynport.check.model.TcpState;
import dev.dynport.check.parse.Lines.Line;
import dev.dynport.check.util.TextSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Reads {@code netstat -ano}; keeps the TCP rows (IPv4 and IPv6), checks and drops the UDP rows.
 *
 * <pre>
 *   [anything: cmd banner, prompt + command echo, blank lines]
 *   Active Connections                                                   translated, not read
 *   [blank]
 *     Proto  Local Address          Foreign Address        State           PID    translated, not read
 *     TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       860
 *     TCP    127.0.0.1:62032        127.0.0.1:3307         TIME_WAIT       0
 *     TCP    [::]:135               [::]:0                 LISTENING       860
 *     TCP    [::1]:49669            [::]:0                 LISTENING       3020
 *     TCP    [fe80::3c7a:339:64f0:2161%11]:1521  [fe80::3c7a:339:64f0:2161%11]:51769  ESTABLISHED     4316
 *     UDP    0.0.0.0:500            *:*                                    984
 *
 * de:  Aktive Verbindungen / Proto  Lokale Adresse  Remoteadresse  Status  PID;
 *      states ABHÖREN, HERGESTELLT, WARTEND, SCHLIESSEN_WARTEN ... in the OEM code page, so a wrong decoding
 *      gives ABH\uFFFDREN (UTF-8 replacement char), ABH™REN (CP1252), ...
 * fr, zh: states stay English.
 * seen: long scoped IPv6 addresses overflow their column and leave 2 spaces between columns;
 *       findstr-filtered rows without header or indentation.
 * </pre>
 *
 * <p>Rows are recognised by their first token ({@code TCP}, {@code TCPv6}, {@code UDP}, {@code UDPv6}, any case)
 * and split on runs of blanks, so column widths and overflow do not matter. A TCP row has exactly five tokens:
 * proto, local {@code addr:port}, foreign {@code addr:port}, state word, PID. IPv6 addresses are bracketed;
 * the address is stored without brackets and with its zone ({@code fe80::1%12}). The state word is kept as
 * printed; known English and German words map to {@link TcpState}, anything else to {@link TcpState#OTHER}.
 * German words are matched with their non-ASCII letters removed ({@code ABHREN}), so every mis-decoding of
 * the umlaut maps the same way. Whatever the word, a foreign end {@code 0.0.0.0:0} / {@code [::]:0} makes a
 * listener ({@link TcpEndpoint#isListener()}).
 *
 * <p>After stripping each line's outer blanks, split on runs of blanks:
 * <pre>
 *   tcp-row = ("TCP" | "TCPv6") local foreign state pid      proto in any case; TCPv6 only with IPv6 addresses
 *   udp-row = ("UDP" | "UDPv6") local "*:*" pid
 *   local   = endpoint whose port is not 0 (TCP)              foreign = endpoint, same family as local
 *   endpoint= ipv4 ":" port | "[" ipv6 ["%" zone] "]" ":" port    port = ASCII digits, 0..65535
 *   ipv4    = four dot-separated decimal octets 0..255 (1 to 3 digits each)
 *   state   = any one token (translated words are kept)        pid = ASCII digits, 0..2147483647
 * </pre>
 * The port is what follows the last colon, which is exact because an IPv6 address is bracketed: anything
 * else left of that colon must itself be a whole address. A line is at most {@value #MAX_LINE} characters.
 *
 * <p>Rejected, each as {@link OutputFormatException} with the line: empty text; a line over the bound; no TCP
 * row (not netstat, or an error message); a TCP row with four tokens (no PID column: {@code netstat -na}); a
 * row with another count of tokens (two rows run together, a cut row), a bad address, a port over 65535, TCP
 * local port 0, a non-numeric PID, local and foreign of different families, or {@code TCPv6} with IPv4
 * addresses; a UDP row that is not {@code UDP addr:port *:* PID}; any other text once the rows have begun (a second
 * table, {@code -b} owner lines, an appended message); and a table without a single listening socket: every
 * Windows host listens (RPC on 135 at least), so that is {@code netstat} without {@code -a}, or a filtered
 * excerpt, either of which would hide the holder of a port; a last row without a line end (cut, perhaps
 * inside the PID). Known limit: a table cut exactly at a row boundary cannot be told from a complete one;
 * netstat prints no footer.
 */
public final class NetstatParser {
    static final String COMMAND = "netstat -ano";
    /**
     * The longest row possible is two bracketed, scoped IPv6 addresses with ports (2 x 60) plus the other
     * columns: about 160 characters; the longest seen is 105. A prompt echo above the table stays under MAX_PATH
     * (260) plus the command.
     */
    static final int MAX_LINE = 1024;

    private static final Map<String, TcpState> STATES = states();

    private static Map<String, TcpState> states() {
        Map<String, TcpState> m = new HashMap<>();
        for (TcpState s : TcpState.values()) {
            if (s != TcpState.OTHER) {
                m.put(s.name(), s);
            }
        }
        m.put("LISTEN", TcpState.LISTENING);
        // German Windows. Keys are the word upper-cased with every character outside [A-Z0-9_] removed, so
        // ABHÖREN / ABH\uFFFDREN / ABH™REN all become ABHREN. ABHÖREN and HERGESTELLT appear in a capture,
        // WARTEND and SCHLIESSEN_WARTEN in domain.md; the rest are from memory and unverified (OTHER if wrong).
        m.put("ABHREN", TcpState.LISTENING);
        m.put("HERGESTELLT", TcpState.ESTABLISHED);
        m.put("WARTEND", TcpState.TIME_WAIT);
        m.put("SCHLIESSEN_WARTEN", TcpState.CLOSE_WAIT);
        m.put("SYN_GESENDET", TcpState.SYN_SENT);
        m.put("SYN_EMPFANGEN", TcpState.SYN_RECEIVED);
        m.put("FIN_WARTEN_1", TcpState.FIN_WAIT_1);
        m.put("FIN_WARTEN_2", TcpState.FIN_WAIT_2);
        m.put("SCHLIESSEND", TcpState.CLOSING);
        m.put("LETZTES_ACK", TcpState.LAST_ACK);
        m.put("GESCHLOSSEN", TcpState.CLOSED);
        m.put("GEBUNDEN", TcpState.BOUND);
        return Map.copyOf(m);
    }

    private NetstatParser() {
    }

    private record Address(Family family, String address, int port) {
    }

    /**
     * The most rows one table keeps (listeners and rows on watched ports): a few thousand on the busiest real
     * server; at about 200 bytes a row this bound keeps the table under 14 MB of a 64 MB heap.
     */
    static final int MAX_KEPT_ROWS = 65_536;

    /** Reads every row and keeps every row: for small outputs and tests. */
    public static NetstatTable parse(String text) throws OutputFormatException {
        return parse(text, KeptPorts.EVERY);
    }

    /**
     * Reads every row as strictly as ever, counts the TCP rows, tallies every TCP row's local port and PID
     * ({@link PortTally}: bounded by the port space), and keeps only the listeners and the rows whose local port
     * {@code keep} accepts (see {@link NetstatTable} for why that is enough). One pass over the lines
     * after a length check, without a list of lines or of dropped rows, so memory follows the kept rows, not the
     * output. Reading the same text again with more ports gives the same verdict and count.
     */
    public static NetstatTable parse(CharSequence text, IntPredicate keep) throws OutputFormatException {
        return parse(TextSource.of(text.toString()), keep);
    }

    /**
     * As {@link #parse(CharSequence, IntPredicate)}, reading the text as a stream (twice: lengths, then rows), so
     * that a section of a snapshot file is never held whole.
     *
     * @throws java.io.UncheckedIOException when the source cannot be read (the file changed or vanished)
     */
    public static NetstatTable parse(TextSource text, IntPredicate keep) throws OutputFormatException {
        Rows rows = new Rows(keep);
        Lines.Ends ends = Lines.scan(COMMAND, text, MAX_LINE, rows);
        if (rows.tcpRows == 0) {
            throw new OutputFormatException(COMMAND, ends.first().number(), ends.first().text(),
                    "no TCP row: not 'netstat -ano' output");
        }
        Lines.requireLineEnd(COMMAND, ends.last());
        if (!rows.anyListener) {
            throw new OutputFormatException(COMMAND, 0, "",
                    "no listening TCP socket among " + rows.tcpRows
                            + " TCP rows: netstat ran without -a, or the output was filtered");
        }
        return new NetstatTable(rows.kept, rows.tcpRows, keep, rows.tally);
    }

    /** What one pass keeps: the rules' rows and the count. */
    private static final class Rows implements Lines.LineVisitor {
        final IntPredicate keep;
        final List<TcpEndpoint> kept = new ArrayList<>();
        final PortTally tally = new PortTally();
        int tcpRows;
        boolean inRows;
        boolean anyListener;

        Rows(IntPredicate keep) {
            this.keep = keep;
        }

        @Override
        public void visit(Line line) throws OutputFormatException {
            if (line.isBlank()) {
                return;
            }
            List<String> tokens = Lines.tokens(line.text());
            String proto = tokens.get(0);
            if (proto.equalsIgnoreCase("TCP") || proto.equalsIgnoreCase("TCPv6")) {
                inRows = true;
                TcpEndpoint e = tcpRow(line, tokens);
                anyListener |= e.isListener();
                tcpRows++;
                tally.add(e);
                if (e.isListener() || keep.test(e.localPort())) {
                    if (kept.size() == MAX_KEPT_ROWS) {
                        // Memory follows the kept rows: a table of only listeners would otherwise fill the heap.
                        throw new OutputFormatException(COMMAND, line.number(), line.text(), "more than " + MAX_KEPT_ROWS
                                + " listening sockets and rows on watched ports: no host has that many; refused"
                                + " rather than read");
                    }
                    kept.add(e);
                }
            } else if (proto.equalsIgnoreCase("UDP") || proto.equalsIgnoreCase("UDPv6")) {
                inRows = true;
                checkUdpRow(line, tokens);
            } else if (inRows) {
                throw new OutputFormatException(COMMAND, line.number(), line.text(),
                        "unexpected line among the connection rows");
            }
        }
    }

    private static TcpEndpoint tcpRow(Line line, List<String> tokens) throws OutputFormatException {
        if (tokens.size() == 4 && !Lines.isAsciiDigits(tokens.get(3))) {
            throw new OutputFormatException(COMMAND, line.number(), line.text(),
                    "TCP row without PID column: expected 'netstat -ano', not 'netstat -na'");
        }
        if (tokens.size() != 5) {
            throw new OutputFormatException(COMMAND, line.number(), line.text(),
                    "expected 5 columns 'TCP local foreign state PID', found " + tokens.size());
        }
        Address local = address(line, tokens.get(1), "local");
        if (local.port() == 0) {
            // a TCP socket gets its port at bind(); a row with port 0 is damage, and no port 0 can be watched
            throw new OutputFormatException(COMMAND, line.number(), line.text(),
                    "local port 0: netstat never prints it for a TCP socket");
        }
        Address foreign = address(line, tokens.get(2), "foreign");
        if (local.family() != foreign.family()) {
            throw new OutputFormatException(COMMAND, line.number(), line.text(),
                    "local and foreign address of different families");
        }
        if (tokens.get(0).equalsIgnoreCase("TCPv6") && local.family() != Family.IPV6) {
            throw new OutputFormatException(COMMAND, line.number(), line.text(), "proto TCPv6 with IPv4 addresses");
        }
        String word = tokens.get(3);
        int pid = pid(line, tokens.get(4));
        return new TcpEndpoint(local.family(), local.address(), local.port(), foreign.address(), foreign.port(),
                word, state(word), pid);
    }

    private static void checkUdpRow(Line line, List<String> tokens) throws OutputFormatException {
        if (tokens.size() != 4) {
            throw new OutputFormatException(COMMAND, line.number(), line.text(),
                    "expected 4 columns 'UDP local *:* PID', found " + tokens.size());
        }
        address(line, tokens.get(1), "local");
        if (!tokens.get(2).equals("*:*")) {
            throw new OutputFormatException(COMMAND, line.number(), line.text(),
                    "UDP foreign address must be *:* [" + tokens.get(2) + "]");
        }
        pid(line, tokens.get(3));
    }

    static TcpState state(String word) {
        TcpState exact = STATES.get(word);
        if (exact != null) {
            return exact;
        }
        String upper = word.toUpperCase(Locale.ROOT);
        StringBuilder key = new StringBuilder(upper.length());
        for (int i = 0; i < upper.length(); i++) {
            char c = upper.charAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') {
                key.append(c);
            }
        }
        return STATES.getOrDefault(key.toString(), TcpState.OTHER);
    }

    private static int pid(Line line, String token) throws OutputFormatException {
        if (!Lines.isAsciiDigits(token) || Lines.value(token) > Integer.MAX_VALUE) {
            throw new OutputFormatException(COMMAND, line.number(), line.text(),
                    "PID is not a number in 0.." + Integer.MAX_VALUE + " [" + token + "]");
        }
        return (int) Lines.value(token);
    }

    private static Address address(Line line, String token, String which) throws OutputFormatException {
        int colon = token.lastIndexOf(':');
        if (colon > 0 && colon < token.length() - 1) {
            String host = token.substring(0, colon);
            String port = token.substring(colon + 1);
            if (Lines.isAsciiDigits(port) && Lines.value(port) <= 65535) {
                if (host.length() > 2 && host.charAt(0) == '[' && host.charAt(host.length() - 1) == ']') {
                    String inner = host.substring(1, host.length() - 1);
                    if (isIpv6(inner)) {
                        return new Address(Family.IPV6, inner, (int) Lines.value(port));
                    }
                } else if (isIpv4(host)) {
                    return new Address(Family.IPV4, host, (int) Lines.value(port));
                }
            }
        }
        throw new OutputFormatException(COMMAND, line.number(), line.text(),
                "bad " + which + " address, expected a.b.c.d:port or [v6]:port [" + token + "]");
    }

    static boolean isIpv4(String s) {
        int parts = 0;
        int i = 0;
        int n = s.length();
        while (true) {
            int start = i;
            int octet = 0;
            while (i < n && i - start < 4 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                octet = octet * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == start || i - start > 3 || octet > 255) {
                return false;
            }
            parts++;
            if (i == n) {
                return parts == 4;
            }
            if (s.charAt(i) != '.' || parts == 4) {
                return false;
            }
            i++;
        }
    }

    /** Hex groups, colons and (for IPv4-mapped tails) dots, at least one colon; then an optional {@code %zone}. */
    static boolean isIpv6(String s) {
        int pct = s.indexOf('%');
        String addr = pct < 0 ? s : s.substring(0, pct);
        if (addr.indexOf(':') < 0 || addr.length() > 45) {
            return false;
        }
        for (int i = 0; i < addr.length(); i++) {
            char c = addr.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) {
                return false;
            }
        }
        if (pct >= 0) {
            String zone = s.substring(pct + 1);
            if (zone.isEmpty()) {
                return false;
            }
            for (int i = 0; i < zone.length(); i++) {
                char c = zone.charAt(i);
                if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
                    return false;
                }
            }
        }
        return true;
    }
}
