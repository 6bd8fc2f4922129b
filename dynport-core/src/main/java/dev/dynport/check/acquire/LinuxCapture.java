package dev.dynport.check.acquire;

import dev.dynport.check.model.Platform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Linux capture: which sections make a complete one, and the command line SSH runs on a Linux target.
 *
 * <pre>
 * /bin/sh -c 'LC_ALL=C; export LC_ALL; echo "#@section linux-capture-info"; uname -n 2&gt;&amp;1; ...;
 *   if command -v ss &gt;/dev/null 2&gt;&amp;1; then echo "#@section linux-ss-tanpH"; ss -tanpH 2&gt;&amp;1;
 *   else echo "#@section linux-proc-net-tcp"; cat /proc/net/tcp 2&gt;&amp;1; ...; fi; exit 0'
 * </pre>
 *
 * Why this shape: sshd runs an exec request through the account's login shell ({@code $SHELL -c}), which may be
 * bash, dash, zsh, fish or tcsh; each of them passes a single-quoted word unchanged, so {@code /bin/sh} gets the
 * body whatever the login shell is. The body holds no single quote, {@code !}, {@code $} or backslash. Markers are
 * echoed in double quotes because {@code #} starts a comment in sh. {@code LC_ALL=C} keeps messages and digits
 * unlocalized. {@code 2>&1} puts a command's error in its own section, where its parser refuses it by name;
 * {@code exit 0}: a failed command shows there, not in the status, which then only says sh ran to the end.
 */
public final class LinuxCapture {
    private LinuxCapture() {
    }

    /** Every Linux section, in capture order (ss or the /proc pair: see {@link #missing}). */
    public static List<Section> sections() {
        return Arrays.stream(Section.values()).filter(s -> s.platform() == Platform.LINUX).toList();
    }

    /** The body run by {@code /bin/sh}. */
    static String shBody() {
        StringBuilder sb = new StringBuilder("LC_ALL=C; export LC_ALL; ");
        sb.append(marker(Section.LINUX_CAPTURE_INFO)).append("uname -n 2>&1; date +%Y-%m-%dT%H:%M:%S%z 2>&1; uname -sr 2>&1; ");
        sb.append(marker(Section.LINUX_PORT_RANGE)).append(Section.LINUX_PORT_RANGE.commandLine()).append(" 2>&1; ");
        sb.append(marker(Section.LINUX_RESERVED_PORTS)).append(Section.LINUX_RESERVED_PORTS.commandLine())
                .append(" 2>&1; ");
        sb.append("if command -v ss >/dev/null 2>&1; then ").append(marker(Section.LINUX_SS))
                .append(Section.LINUX_SS.commandLine()).append(" 2>&1; else ")
                .append(marker(Section.LINUX_PROC_NET_TCP)).append(Section.LINUX_PROC_NET_TCP.commandLine())
                .append(" 2>&1; ").append(marker(Section.LINUX_PROC_NET_TCP6))
                .append(Section.LINUX_PROC_NET_TCP6.commandLine()).append(" 2>&1; fi; exit 0");
        String body = sb.toString();
        for (char c : "'!$\\`\r\n".toCharArray()) {
            if (body.indexOf(c) >= 0) {
                throw new IllegalStateException("Linux capture must not contain [" + c + "]: " + body);
            }
        }
        return body;
    }

    private static String marker(Section s) {
        return "echo \"" + Section.MARKER_PREFIX + s.sectionName() + "\"; ";
    }

    /** The exec request sent over SSH to a Linux target. */
    public static String sshCommandLine() {
        return "/bin/sh -c '" + shBody() + "'";
    }

    /**
     * The sections a complete Linux capture lacks: the capture info, both sysctls, and ss's table or, without it,
     * both /proc/net files.
     */
    public static List<Section> missing(Snapshot snapshot) {
        List<Section> missing = new ArrayList<>();
        for (Section s : List.of(Section.LINUX_CAPTURE_INFO, Section.LINUX_PORT_RANGE, Section.LINUX_RESERVED_PORTS)) {
            if (snapshot.section(s).isEmpty()) {
                missing.add(s);
            }
        }
        if (!snapshot.has(Section.LINUX_SS)) {
            for (Section s : List.of(Section.LINUX_SS, Section.LINUX_PROC_NET_TCP, Section.LINUX_PROC_NET_TCP6)) {
                if (s != Section.LINUX_SS && snapshot.section(s).isEmpty()) {
                    missing.add(s);
                }
            }
            if (missing.contains(Section.LINUX_PROC_NET_TCP) && missing.contains(Section.LINUX_PROC_NET_TCP6)) {
                missing.add(Section.LINUX_SS);
            }
        }
        return missing;
    }
}
