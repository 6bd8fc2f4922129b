package dev.dynport.check.fuzz;

import static dev.dynport.check.fuzz.ReferenceFormats.lines;
import static dev.dynport.check.fuzz.ReferenceFormats.number;
import static dev.dynport.check.fuzz.ReferenceFormats.tokens;

import dev.dynport.check.fuzz.ReferenceFormats.Endpoint;
import dev.dynport.check.fuzz.ReferenceFormats.Line;
import dev.dynport.check.fuzz.ReferenceFormats.Unreadable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The reference's reading of {@code netstat -ano}: the TCP endpoints, and which of them listen. */
final class ReferenceNetstat {
    private ReferenceNetstat() {
    }

    /**
     * {@code netstat -ano}: rows start with TCP/TCPv6/UDP/UDPv6; TCP rows have five columns, UDP rows four; once
     * rows have begun nothing else may appear; at least one listener; the last row ended. Other lines before
     * the rows (title, header, prompt) are not read.
     */
    static List<Endpoint> netstat(String text) throws Unreadable {
        List<Line> lines = lines(text);
        List<Endpoint> out = new ArrayList<>();
        boolean inRows = false;
        Line last = null;
        for (Line line : lines) {
            if (line.text().isEmpty()) {
                continue;
            }
            last = line;
            List<String> t = tokens(line.text());
            String proto = t.get(0).toUpperCase(Locale.ROOT);
            if (proto.equals("TCP") || proto.equals("TCPV6")) {
                inRows = true;
                if (t.size() != 5) {
                    throw new Unreadable("TCP row with " + t.size() + " columns [" + line.text() + "]");
                }
                String[] local = address(t.get(1));
                String[] foreign = address(t.get(2));
                if (!local[0].startsWith("[") == foreign[0].startsWith("[")) {
                    throw new Unreadable("families differ [" + line.text() + "]");
                }
                boolean wildcard = foreign[1].equals("0") && (foreign[0].equals("0.0.0.0") || foreign[0].equals("[::]"));
                out.add(new Endpoint(local[0].startsWith("["), (int) number(local[1]),
                        wildcard || isListeningWord(t.get(3)), pid(t.get(4))));
            } else if (proto.equals("UDP") || proto.equals("UDPV6")) {
                inRows = true;
                if (t.size() != 4) {
                    throw new Unreadable("UDP row with " + t.size() + " columns [" + line.text() + "]");
                }
                address(t.get(1));
                pid(t.get(3));
            } else if (inRows) {
                throw new Unreadable("not a row [" + line.text() + "]");
            }
        }
        if (out.isEmpty() || out.stream().noneMatch(Endpoint::listener)) {
            throw new Unreadable("no TCP row, or no listener");
        }
        if (!last.terminated()) {
            throw new Unreadable("last row cut");
        }
        return out;
    }

    /** LISTENING, or German ABHÖREN in any mis-decoding: letters outside A-Z dropped before comparing. */
    private static boolean isListeningWord(String word) {
        StringBuilder key = new StringBuilder();
        for (char c : word.toUpperCase(Locale.ROOT).toCharArray()) {
            if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') {
                key.append(c);
            }
        }
        String k = key.toString();
        return k.equals("LISTENING") || k.equals("LISTEN") || k.equals("ABHREN");
    }

    /** {host, port}: a.b.c.d or [v6(%zone)] and a port of ASCII digits up to 65535. */
    private static String[] address(String token) throws Unreadable {
        int colon = token.lastIndexOf(':');
        String host = colon > 0 ? token.substring(0, colon) : "";
        String port = colon > 0 ? token.substring(colon + 1) : "";
        long p = number(port);
        boolean v6 = host.matches("\\[[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(%[^\\]]+)?\\]");
        boolean v4 = host.matches("[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}");
        if (p < 0 || p > 65535 || !(v4 || v6)) {
            throw new Unreadable("bad address [" + token + "]");
        }
        return new String[] {host, port};
    }

    private static long pid(String token) throws Unreadable {
        long pid = number(token);
        if (pid < 0 || pid > Integer.MAX_VALUE) {
            throw new Unreadable("bad PID [" + token + "]");
        }
        return pid;
    }
}
