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
import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;

/**
 * Reads {@code /proc/net/tcp} (IPv4) or {@code /proc/net/tcp6} (IPv6): the fallback when {@code ss} is missing.
 *
 * <pre>
 *   sl  local_address rem_address   st tx_queue rx_queue tr tm-&gt;when retrnsmt   uid  timeout inode
 *    0: 0100007F:9C45 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1051345 1 ...
 *    4: 0100007F:8EB4 0100007F:9C40 06 00000000:00000000 03:0000176C 00000000     0        0 0 3 ...
 * tcp6: local_address/remote_address are 32 hex digits: 00000000000000000000000001000000:9C43
 * </pre>
 *
 * Header line first; then one row per socket, of at least ten blank-separated columns, of which these are read:
 * {@code sl:} (decimal and a colon), local and remote {@code HEXADDR:HEXPORT}, {@code st} (two hex digits, the
 * kernel's TCP state: 01 ESTABLISHED ... 0A LISTEN, 0B CLOSING, 0C NEW_SYN_RECV), uid and inode (decimal). The
 * columns between are checked for shape only.
 *
 * <p>No PID is printed. A socket with inode 0 belongs to no process (TIME_WAIT, orphaned closing sockets): PID 0
 * ({@link TcpEndpoint#isOwnerless()}); every other socket has an owner this file cannot name:
 * {@link TcpEndpoint#UNKNOWN_PID}, which the rules report as UNKNOWN rather than as "nobody".
 *
 * <p>Addresses are the kernel's 32-bit words printed in the CPU's byte order; they are decoded as little-endian
 * (x86-64, arm64). On a big-endian host (s390x) the addresses in messages come out byte-reversed; ports (printed
 * in host order after ntohs), states and the wildcard address, which is all the rules read, are not affected.
 * An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) is an IPv4 connection and becomes IPv4, as with ss.
 *
 * <p>Refused, each with the line: empty output; no header as the first line; a row of the wrong shape or with an
 * address of the other family's width; a state code the kernel does not have; local port 0; a last line without
 * a line end. One pass, one line in memory.
 */
public final class ProcNetTcpParser {
    public static final String COMMAND_TCP = "cat /proc/net/tcp";
    public static final String COMMAND_TCP6 = "cat /proc/net/tcp6";
    static final int MAX_LINE = 1024;

    private static final TcpState[] STATES = {null, TcpState.ESTABLISHED, TcpState.SYN_SENT, TcpState.SYN_RECEIVED,
        TcpState.FIN_WAIT_1, TcpState.FIN_WAIT_2, TcpState.TIME_WAIT, TcpState.CLOSED, TcpState.CLOSE_WAIT,
        TcpState.LAST_ACK, TcpState.LISTENING, TcpState.CLOSING, TcpState.SYN_RECEIVED};
    private static final String[] WORDS = {null, "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
        "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV"};

    private ProcNetTcpParser() {
    }

    public static String command(Family family) {
        return family == Family.IPV4 ? COMMAND_TCP : COMMAND_TCP6;
    }

    public static NetstatTable parse(String text, Family family) throws OutputFormatException {
        return parse(text, family, KeptPorts.EVERY);
    }

    /** As {@link LinuxSsParser}: every listener, and other rows on ports {@code keep} accepts. */
    public static NetstatTable parse(String text, Family family, IntPredicate keep) throws OutputFormatException {
        String command = command(family);
        List<TcpEndpoint> kept = new ArrayList<>();
        int[] rows = {0};
        boolean[] header = {false};
        PortTally tally = new PortTally();
        Lines.Ends ends = Lines.scan(command, TextSource.of(text), MAX_LINE, line -> {
            if (line.isBlank()) {
                return;
            }
            if (!header[0]) {
                List<String> t = Lines.tokens(line.text());
                if (t.size() < 4 || !t.get(0).equals("sl") || !t.get(1).equals("local_address")) {
                    throw new OutputFormatException(command, line.number(), line.text(),
                            "first line is not the header (sl local_address ...): not " + command);
                }
                header[0] = true;
                return;
            }
            TcpEndpoint e = row(command, family, line);
            rows[0]++;
            tally.add(e);
            if (e.isListener() || keep.test(e.localPort())) {
                kept.add(e);
            }
        });
        Lines.requireLineEnd(command, ends.last());
        return new NetstatTable(kept, rows[0], keep, tally);
    }

    private static TcpEndpoint row(String command, Family family, Line line) throws OutputFormatException {
        List<String> t = Lines.tokens(line.text());
        if (t.size() < 10) {
            throw bad(command, line, "fewer than ten columns");
        }
        String sl = t.get(0);
        if (sl.length() < 2 || sl.length() > 11 || !sl.endsWith(":")
                || !Lines.isAsciiDigits(sl.substring(0, sl.length() - 1))) {
            throw bad(command, line, "first column is not a slot number and a colon");
        }
        int width = family == Family.IPV4 ? 8 : 32;
        String[] local = split(command, line, t.get(1), width, "local");
        String[] remote = split(command, line, t.get(2), width, "remote");
        int code = hex(t.get(3), 2);
        if (code < 1 || code >= STATES.length) {
            throw bad(command, line, "state [" + t.get(3) + "] is not a kernel TCP state (01-0C)");
        }
        if (!shape(t.get(4), 8, 8) || !shape(t.get(5), 2, 8) || hex(t.get(6), 8) < 0
                || !Lines.isAsciiDigits(t.get(7)) || t.get(7).length() > 10
                || !(Lines.isAsciiDigits(t.get(8)) || t.get(8).equals("-1"))
                || !Lines.isAsciiDigits(t.get(9)) || t.get(9).length() > 20) {
            throw bad(command, line, "queue, timer, uid or inode column is not as the kernel prints it");
        }
        int localPort = hex(local[1], 4);
        int remotePort = hex(remote[1], 4);
        if (localPort == 0) {
            throw bad(command, line, "local port 0");
        }
        String[] l = address(local[0]);
        String[] r = address(remote[0]);
        Family rowFamily = l[0] == null ? family : Family.IPV4;
        String remoteAddress = rowFamily == Family.IPV4 && r[0] == null && family == Family.IPV6
                ? (r[1].equals("::") ? "0.0.0.0" : r[1]) : (r[0] == null ? r[1] : r[0]);
        int pid = isZeros(t.get(9)) ? 0 : TcpEndpoint.UNKNOWN_PID;
        return new TcpEndpoint(rowFamily, l[0] == null ? l[1] : l[0], localPort, remoteAddress, remotePort,
                WORDS[code], STATES[code], pid);
    }

    private static boolean isZeros(String digits) {
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    private static String[] split(String command, Line line, String token, int width, String which)
            throws OutputFormatException {
        int colon = token.indexOf(':');
        if (colon != width || token.length() != width + 5 || hex(token.substring(colon + 1), 4) < 0
                || !isHex(token.substring(0, colon))) {
            throw bad(command, line, which + " address is not " + width + " hex digits, a colon and 4 [" + token + "]");
        }
        return new String[] {token.substring(0, colon), token.substring(colon + 1)};
    }

    /** [IPv4 text when the address is IPv4 or IPv4-mapped, else null; IPv6 text or the IPv4 text]. */
    private static String[] address(String hex) {
        int[] bytes = new int[hex.length() / 2];
        for (int word = 0; word < hex.length() / 8; word++) {
            for (int b = 0; b < 4; b++) {
                // little-endian word: the last printed byte pair is the first byte in network order
                int at = word * 8 + (3 - b) * 2;
                bytes[word * 4 + b] = Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        if (bytes.length == 4) {
            String v4 = bytes[0] + "." + bytes[1] + "." + bytes[2] + "." + bytes[3];
            return new String[] {v4, v4};
        }
        boolean mapped = bytes[10] == 0xFF && bytes[11] == 0xFF;
        for (int i = 0; i < 10 && mapped; i++) {
            mapped = bytes[i] == 0;
        }
        if (mapped) {
            return new String[] {bytes[12] + "." + bytes[13] + "." + bytes[14] + "." + bytes[15], null};
        }
        return new String[] {null, ipv6(bytes)};
    }

    /** RFC 5952 text: lower case, leading zeros dropped, the longest run of two or more zero groups as "::". */
    static String ipv6(int[] bytes) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = bytes[2 * i] << 8 | bytes[2 * i + 1];
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    private static boolean shape(String token, int left, int right) {
        int colon = token.indexOf(':');
        return colon == left && token.length() == left + 1 + right && isHex(token.substring(0, colon))
                && isHex(token.substring(colon + 1));
    }

    private static int hex(String s, int width) {
        if (s.length() != width || !isHex(s)) {
            return -1;
        }
        return Integer.parseInt(s, 16);
    }

    private static boolean isHex(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static OutputFormatException bad(String command, Line line, String why) {
        return new OutputFormatException(command, line.number(), line.text(), why);
    }
}
