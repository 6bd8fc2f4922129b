package dev.dynport.check.parse;

import dev.dynport.check.model.Family;
import dev.dynport.check.model.KeptPorts;
import dev.dynport.check.model.NetstatTable;
import dev.dynport.check.model.PortTally;
import dev.dynport.check.model.ProcessInfo;
import dev.dynport.check.model.ProcessTable;
import dev.dynport.check.model.SocketsAndProcesses;
import dev.dynport.check.model.TcpEndpoint;
import dev.dynport.check.model.TcpState;
import dev.dynport.check.parse.Lines.Line;
import dev.dynport.check.util.TextSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Reads {@code ss -tanpH} (iproute2): every TCP socket, numeric, with its processes, without the header line.
 *
 * <pre>
 *   LISTEN    0      16           127.0.0.1%lo:40005            0.0.0.0:*     users:(("python3",pid=22427,fd=7),("python3",pid=22384,fd=7))
 *   ESTAB     0      0               127.0.0.1:36518          127.0.0.1:40000 users:(("python3",pid=22427,fd=8))
 *   TIME-WAIT 0      0               127.0.0.1:36532          127.0.0.1:40000
 *   LISTEN    0      16                  [::1]:40003               [::]:*     users:(("sshd",pid=1,fd=6))
 *   LISTEN    0      16                      *:40002                  *:*     users:(("java",pid=7,fd=5))
 *   ESTAB     0      0      [::ffff:127.0.0.1]:40002 [::ffff:127.0.0.1]:41024 users:(("java",pid=7,fd=15))
 *   LISTEN    0      128             [fe80::1]%eth0:22                [::]:*
 * </pre>
 *
 * Each line: state, Recv-Q, Send-Q, local {@code addr:port}, peer {@code addr:port} (port {@code *} only for a
 * listener's peer), then optionally {@code users:(} one or more {@code ("name",pid=N,fd=M)} separated by commas
 * {@code )}; columns are padded with blanks, trailing ones too. Addresses: dotted IPv4; bracketed IPv6;
 * {@code *} for an IPv6 socket bound to any address that also accepts IPv4 (not IPV6_V6ONLY); a scope
 * {@code %ifname} after the address. The port follows the last colon: interface names cannot contain one.
 *
 * <p>What the rows become ({@link TcpEndpoint}):
 * <ul>
 * <li>one endpoint per process in {@code users:} (a listener shared by forked workers is held by each); the
 *     process table maps each PID to its name (the kernel's {@code comm}, at most 15 characters);</li>
 * <li>no {@code users:}: {@code TIME-WAIT} has no process, PID 0 ({@link TcpEndpoint#isOwnerless()}); any other
 *     state has one that ss could not name (another user's process when not run as root):
 *     {@link TcpEndpoint#UNKNOWN_PID};</li>
 * <li>{@code [::ffff:a.b.c.d]} is an IPv4 connection on an IPv6 socket: IPv4, address {@code a.b.c.d};
 *     {@code *} is both families, so it gives an IPv4 endpoint {@code 0.0.0.0} and an IPv6 one {@code ::}.</li>
 * </ul>
 * Like {@link NetstatParser}, every listener is kept and other rows only on ports {@code keep} accepts; the count
 * of endpoints made is the table's row count.
 *
 * <p>Refused, each with the line: empty output (ss prints nothing only on a host without any TCP socket, which
 * cannot be told from a run that failed silently, and a check over SSH always has its own connection); an error
 * text ({@code ss: invalid option -- 'H'} from an ss older than 4.14, {@code Cannot open netlink socket}); a header
 * line ({@code State Recv-Q ...}: not {@code -H}); fewer than five columns; a state ss does not print; queue sizes
 * that are not numbers; a bad address or port; local port 0 or {@code *}; a peer {@code *} on a socket that is not
 * a listener; a {@code users:} field that is not the list above; one PID named twice with different names; a last
 * line without a line end. One pass, one line in memory at a time.
 */
public final class LinuxSsParser {
    public static final String COMMAND = "ss -tanpH";
    /** Far above any line: two scoped IPv6 endpoints and a few dozen processes sharing a socket. */
    static final int MAX_LINE = 64 * 1024;

    private static final Map<String, TcpState> STATES = Map.ofEntries(
            Map.entry("LISTEN", TcpState.LISTENING),
            Map.entry("ESTAB", TcpState.ESTABLISHED),
            Map.entry("SYN-SENT", TcpState.SYN_SENT),
            Map.entry("SYN-RECV", TcpState.SYN_RECEIVED),
            Map.entry("FIN-WAIT-1", TcpState.FIN_WAIT_1),
            Map.entry("FIN-WAIT-2", TcpState.FIN_WAIT_2),
            Map.entry("TIME-WAIT", TcpState.TIME_WAIT),
            Map.entry("CLOSE-WAIT", TcpState.CLOSE_WAIT),
            Map.entry("LAST-ACK", TcpState.LAST_ACK),
            Map.entry("CLOSING", TcpState.CLOSING),
            Map.entry("UNCONN", TcpState.CLOSED));

    private LinuxSsParser() {
    }

    /** Keeps every row. */
    public static SocketsAndProcesses parse(String text) throws OutputFormatException {
        return parse(text, KeptPorts.EVERY);
    }

    public static SocketsAndProcesses parse(String text, IntPredicate keep) throws OutputFormatException {
        List<TcpEndpoint> kept = new ArrayList<>();
        Map<Integer, String> names = new LinkedHashMap<>();
        int[] made = {0};
        PortTally tally = new PortTally();
        Lines.Ends ends = Lines.scan(COMMAND, TextSource.of(text), MAX_LINE, line -> {
            if (line.isBlank()) {
                return;
            }
            for (TcpEndpoint e : row(line, names)) {
                made[0]++;
                tally.add(e);
                if (e.isListener() || keep.test(e.localPort())) {
                    kept.add(e);
                }
            }
        });
        Lines.requireLineEnd(COMMAND, ends.last());
        List<ProcessInfo> processes = new ArrayList<>(names.size());
        names.forEach((pid, name) -> processes.add(new ProcessInfo(pid, name, List.of())));
        return new SocketsAndProcesses(new NetstatTable(kept, made[0], keep, tally), new ProcessTable(processes));
    }

    private static List<TcpEndpoint> row(Line line, Map<Integer, String> names) throws OutputFormatException {
        String text = line.text();
        int[] at = {0};
        String stateWord = token(text, at);
        TcpState state = STATES.get(stateWord);
        if (state == null) {
            String why = stateWord.equals("State") ? "a header line: ss was run without -H"
                    : "not a TCP state ss prints [" + stateWord + "] (an error message, or not ss -tanpH)";
            throw new OutputFormatException(COMMAND, line.number(), text, why);
        }
        String recvQ = token(text, at);
        String sendQ = token(text, at);
        String local = token(text, at);
        String peer = token(text, at);
        if (peer.isEmpty()) {
            throw new OutputFormatException(COMMAND, line.number(), text,
                    "fewer than five columns (state, Recv-Q, Send-Q, local, peer)");
        }
        if (!Lines.isAsciiDigits(recvQ) || !Lines.isAsciiDigits(sendQ) || recvQ.length() > 10 || sendQ.length() > 10) {
            throw new OutputFormatException(COMMAND, line.number(), text, "Recv-Q and Send-Q are not numbers");
        }
        Endpoint l = endpoint(local, line, "local");
        Endpoint p = endpoint(peer, line, "peer");
        if (l.port <= 0) {
            throw new OutputFormatException(COMMAND, line.number(), text, "local port is not 1-65535 [" + local + "]");
        }
        if (p.port < 0 && state != TcpState.LISTENING) {
            throw new OutputFormatException(COMMAND, line.number(), text, "peer port * on a socket that does not"
                    + " listen");
        }
        while (at[0] < text.length() && Lines.isBlankChar(text.charAt(at[0]))) {
            at[0]++;
        }
        List<Integer> pids = at[0] == text.length() ? List.of() : users(text, at[0], line, names);
        List<Integer> owners = pids.isEmpty()
                ? List.of(state == TcpState.TIME_WAIT ? 0 : TcpEndpoint.UNKNOWN_PID) : pids;
        if (p.port >= 0 && !p.dualStack && p.family != l.family) {
            throw new OutputFormatException(COMMAND, line.number(), text, "local and peer of different address"
                    + " families");
        }
        List<TcpEndpoint> out = new ArrayList<>(owners.size() * 2);
        for (int pid : owners) {
            for (Family family : l.dualStack ? List.of(Family.IPV4, Family.IPV6) : List.of(l.family)) {
                String address = l.dualStack ? wildcard(family) + l.scope : l.address;
                // A listener's peer (port *) is the wildcard of the socket's family, whatever ss printed for it.
                String peerAddress = p.port < 0 ? wildcard(family) : p.address;
                out.add(new TcpEndpoint(family, address, l.port, peerAddress, Math.max(0, p.port), stateWord, state,
                        pid));
            }
        }
        return out;
    }

    private static String wildcard(Family family) {
        return family == Family.IPV4 ? "0.0.0.0" : "::";
    }

    /** The next blank-separated token from {@code at}, or "" at the end. */
    private static String token(String text, int[] at) {
        int i = at[0];
        while (i < text.length() && Lines.isBlankChar(text.charAt(i))) {
            i++;
        }
        int start = i;
        while (i < text.length() && !Lines.isBlankChar(text.charAt(i))) {
            i++;
        }
        at[0] = i;
        return text.substring(start, i);
    }

    /** port -1 stands for {@code *}; {@code scope} is "" or {@code %ifname}, also part of {@code address}. */
    private record Endpoint(Family family, String address, int port, boolean dualStack, String scope) {
    }

    private static Endpoint endpoint(String s, Line line, String which) throws OutputFormatException {
        int colon = s.lastIndexOf(':');
        if (colon < 1) {
            throw bad(line, which, s);
        }
        String portText = s.substring(colon + 1);
        int port = portText.equals("*") ? -1 : SysctlText.port(portText);
        if (port < 0 && !portText.equals("*")) {
            throw bad(line, which, s);
        }
        String host = s.substring(0, colon);
        String scope = null;
        int pct = host.lastIndexOf('%');
        if (pct >= 0) {
            scope = host.substring(pct + 1);
            host = host.substring(0, pct);
            if (scope.isEmpty() || scope.length() > 15 || scope.indexOf('/') >= 0 || scope.indexOf('[') >= 0
                    || scope.indexOf(']') >= 0) {
                throw bad(line, which, s);
            }
        }
        String suffix = scope == null ? "" : "%" + scope;
        if (host.equals("*")) {
            return new Endpoint(Family.IPV6, "::" + suffix, port, true, suffix);
        }
        if (host.length() > 2 && host.charAt(0) == '[' && host.charAt(host.length() - 1) == ']') {
            String v6 = host.substring(1, host.length() - 1);
            if (v6.indexOf('%') >= 0 || !NetstatParser.isIpv6(v6)) {
                throw bad(line, which, s);
            }
            String lower = v6.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("::ffff:") && NetstatParser.isIpv4(v6.substring(7))) {
                return new Endpoint(Family.IPV4, v6.substring(7) + suffix, port, false, suffix);
            }
            return new Endpoint(Family.IPV6, v6 + suffix, port, false, suffix);
        }
        if (NetstatParser.isIpv4(host)) {
            return new Endpoint(Family.IPV4, host + suffix, port, false, suffix);
        }
        throw bad(line, which, s);
    }

    private static OutputFormatException bad(Line line, String which, String s) {
        return new OutputFormatException(COMMAND, line.number(), line.text(), which + " address is not addr:port as"
                + " ss -n prints it [" + s + "]");
    }

    /**
     * {@code users:(("name",pid=N,fd=M),...)} from {@code from} to the end of the line. A name may hold blanks,
     * quotes or parentheses (it is whatever the process set), so an entry ends only at {@code ",pid=}.
     */
    private static List<Integer> users(String text, int from, Line line, Map<Integer, String> names)
            throws OutputFormatException {
        String prefix = "users:(";
        if (!text.startsWith(prefix, from)) {
            throw new OutputFormatException(COMMAND, line.number(), text, "text after the peer column is not"
                    + " users:((...)) [" + text.substring(from) + "]");
        }
        java.util.Set<Integer> pids = new java.util.LinkedHashSet<>();
        int i = from + prefix.length();
        while (true) {
            if (!text.startsWith("(\"", i)) {
                throw usersBad(line, text);
            }
            int nameEnd = text.indexOf("\",pid=", i + 2);
            if (nameEnd < 0) {
                throw usersBad(line, text);
            }
            String name = text.substring(i + 2, nameEnd);
            i = nameEnd + 6;
            int digits = i;
            while (i < text.length() && Lines.isAsciiDigit(text.charAt(i))) {
                i++;
            }
            if (i == digits || i - digits > 9 || !text.startsWith(",fd=", i)) {
                throw usersBad(line, text);
            }
            int pid = Integer.parseInt(text.substring(digits, i));
            i += 4;
            int fd = i;
            while (i < text.length() && Lines.isAsciiDigit(text.charAt(i))) {
                i++;
            }
            if (i == fd || i - fd > 10 || !text.startsWith(")", i) || name.isEmpty() || pid == 0) {
                throw usersBad(line, text);
            }
            i++;
            String earlier = names.putIfAbsent(pid, name);
            if (earlier != null && !earlier.equals(name)) {
                throw new OutputFormatException(COMMAND, line.number(), text, "PID " + pid + " is named [" + name
                        + "] here and [" + earlier + "] on an earlier line: which is it cannot be told");
            }
            pids.add(pid);
            if (text.startsWith(",", i)) {
                i++;
                continue;
            }
            if (text.startsWith(")", i) && i + 1 == text.length()) {
                return List.copyOf(pids);
            }
            throw usersBad(line, text);
        }
    }

    private static OutputFormatException usersBad(Line line, String text) {
        return new OutputFormatException(COMMAND, line.number(), text, "users: field is not"
                + " users:((\"name\",pid=N,fd=M),...)");
    }
}
