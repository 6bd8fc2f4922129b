package dev.dynport.check.parse;

import dev.dynport.check.model.BackendSettings;
import dev.dynport.check.parse.Lines.Line;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code exchange-popimap-settings} section, which only {@code templates/windows/capture-snapshot.cmd}
 * writes. The shape is this product's own, not a cmdlet's table: the script's PowerShell line prints the literal
 * prefixes itself and appends {@code (Get-PopSettings -Server $env:COMPUTERNAME).ProxyTargetPort} (an
 * {@code Int32}, which PowerShell turns into ASCII digits whatever the culture), so nothing in it is translated.
 *
 * <pre>
 *   MSExchangePOP3BE ProxyTargetPort 1995        the back-end service name, the word, the port
 *   MSExchangeIMAP4BE ProxyTargetPort 1993       (either order; 9955/9933 on settings made by early 2013 builds)
 *   [blank lines before, between and after are ignored]
 * or, written by the script's cmd part when the host has no Exchange Management Shell:
 *   UNAVAILABLE ExchangeInstallPath is not set: no Exchange Management Shell on this host
 * </pre>
 *
 * {@code UNAVAILABLE} as the only non-blank line gives {@link BackendSettings#NONE}: the settings were not read,
 * and the judge must rely on what it sees listening. Everything else is refused as {@link OutputFormatException}
 * naming the line:
 * <ul>
 * <li>empty or blank text, a line over {@value #MAX_LINE} characters, a last line without a line end (a cut
 *     {@code 1995} would read as {@code 199});</li>
 * <li>the script's own {@code ERROR ...} line (the shell did not connect, or the account has no role that may run
 *     {@code Get-PopSettings}), and PowerShell's error records, which are translated text: a failure of the
 *     read is not an absence of settings;</li>
 * <li>a line not of exactly three tokens {@code SERVICE ProxyTargetPort DIGITS}, an unknown service name, a
 *     port outside 1..65535 (a cmdlet that printed nothing leaves the line without its number);</li>
 * <li>a service twice (two captures run together: which one is current?), one service missing (the script
 *     prints both), {@code UNAVAILABLE} beside port lines.</li>
 * </ul>
 */
public final class BackendSettingsParser {
    static final String COMMAND = "exchange-popimap-settings (Get-PopSettings/Get-ImapSettings ProxyTargetPort)";
    /** Far above the longest line the script prints; its ERROR line carries the shell's own error text. */
    static final int MAX_LINE = 4096;
    /** First word of the line the capture script prints when the host has no Exchange Management Shell. */
    public static final String UNAVAILABLE = "UNAVAILABLE";
    /** First word of the line the capture script prints when the shell did not connect. */
    public static final String ERROR = "ERROR";
    /** Second word of every port line: the settings property it was read from. */
    public static final String PROXY_TARGET_PORT = "ProxyTargetPort";
    private static final List<String> SERVICES = List.of(BackendSettings.POP3_BACKEND, BackendSettings.IMAP4_BACKEND);

    private BackendSettingsParser() {
    }

    public static BackendSettings parse(String text) throws OutputFormatException {
        List<Line> lines = Lines.split(COMMAND, text, MAX_LINE);
        Map<String, Integer> ports = new HashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        Line unavailable = null;
        for (Line l : lines) {
            if (l.isBlank()) {
                continue;
            }
            List<String> tokens = Lines.tokens(l.text());
            String first = tokens.get(0);
            if (first.equals(UNAVAILABLE)) {
                if (unavailable != null || !ports.isEmpty()) {
                    throw new OutputFormatException(COMMAND, l.number(), l.text(),
                            UNAVAILABLE + " must be the only line: not one capture's output");
                }
                unavailable = l;
                continue;
            }
            if (unavailable != null) {
                throw new OutputFormatException(COMMAND, l.number(), l.text(),
                        "a line after " + UNAVAILABLE + " (line " + unavailable.number() + "): not one capture's output");
            }
            if (first.equals(ERROR)) {
                throw new OutputFormatException(COMMAND, l.number(), l.text(),
                        "the capture script could not read the settings");
            }
            String service = service(l, tokens);
            Integer before = lineOf.putIfAbsent(service, l.number());
            if (before != null) {
                throw new OutputFormatException(COMMAND, l.number(), l.text(), service + " twice (lines " + before
                        + " and " + l.number() + "): refusing to guess which is current");
            }
            ports.put(service, port(l, tokens.get(2)));
        }
        Line last = Lines.lastNonBlank(lines);
        Lines.requireLineEnd(COMMAND, last);
        if (unavailable != null) {
            return BackendSettings.NONE;
        }
        for (String service : SERVICES) {
            if (!ports.containsKey(service)) {
                throw new OutputFormatException(COMMAND, last.number(), last.text(),
                        "no line for " + service + "; the capture script prints both back-ends");
            }
        }
        return new BackendSettings(ports);
    }

    private static String service(Line l, List<String> tokens) throws OutputFormatException {
        if (tokens.size() != 3 || !tokens.get(1).equals(PROXY_TARGET_PORT)) {
            throw new OutputFormatException(COMMAND, l.number(), l.text(),
                    "not [SERVICE " + PROXY_TARGET_PORT + " PORT] as the capture script prints it");
        }
        if (!SERVICES.contains(tokens.get(0))) {
            throw new OutputFormatException(COMMAND, l.number(), l.text(),
                    "unknown service; expected " + String.join(" or ", SERVICES));
        }
        return tokens.get(0);
    }

    private static int port(Line l, String digits) throws OutputFormatException {
        if (!Lines.isAsciiDigits(digits)) {
            throw new OutputFormatException(COMMAND, l.number(), l.text(), "port is not a number");
        }
        long port = Lines.value(digits);
        if (port < 1 || port > 65535) {
            throw new OutputFormatException(COMMAND, l.number(), l.text(), "port outside 1..65535");
        }
        return (int) port;
    }
}
