package dev.dynport.check.acquire;

import dev.dynport.check.model.Platform;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one capture command line, built from {@link #sections()}: what the SSH transport runs on the
 * Windows host and what {@code templates/windows/capture-snapshot.cmd} runs line by line (the script then adds
 * the capture-script-only sections).
 *
 * <pre>
 * cmd /d /c "chcp 65001 &gt;nul &amp; echo #@section netsh-dynamicport-tcp-ipv4&amp; netsh int ipv4 show dynamicport tcp 2&gt;&amp;1 &amp; echo #@section ...&amp; ... 2&gt;&amp;1 &amp; exit /b 0"
 * </pre>
 *
 * Why this shape:
 * <ul>
 * <li>Win32-OpenSSH hands an exec request to the account's default shell: {@code cmd.exe /c COMMAND}, or
 *     {@code powershell.exe -c "COMMAND"} (it escapes the command for PowerShell's argv parser, so PowerShell
 *     sees the text unchanged). Both run {@code cmd /d /c "..."}: cmd strips the outer quotes and runs the
 *     inside; PowerShell sees the native command {@code cmd} with the arguments {@code /d}, {@code /c} and one
 *     double-quoted string, which it passes on quoted. Inside that string there is no {@code "}, {@code $},
 *     backtick, {@code %} or backslash, so neither shell expands or re-quotes anything.</li>
 * <li>{@code /d} skips cmd's AutoRun registry commands, which would print into the snapshot.</li>
 * <li>{@code chcp 65001} first: programs started after it print UTF-8 instead of the OEM code page.</li>
 * <li>{@code echo ...&} with no space before {@code &}, because cmd's echo keeps trailing spaces.</li>
 * <li>{@code 2>&1} after each command, so "'netsh' is not recognized ..." lands in that command's section.</li>
 * <li>{@code exit /b 0} last: cmd's exit status would otherwise be the last command's, and the last commands are
 *     {@code sc.exe queryex}, which exits 1060 on every host where the service is not installed (the common
 *     case for IMAP4). Status 0 therefore says "cmd ran the line to its end"; a command that failed shows in its
 *     own section (its error text, refused by its parser), never in the status. A non-zero status still means
 *     cmd itself did not run the line (no cmd, a shell that refused it).</li>
 * </ul>
 */
public final class CaptureCommand {
    /** Characters that either shell would interpret inside the quoted body; the body must contain none. */
    static final String FORBIDDEN_IN_BODY = "\"$`%\\'\r\n";

    /** The last command of the line: see the class comment. The .cmd template ends its capture the same way. */
    public static final String END = "exit /b 0";

    private CaptureCommand() {
    }

    /**
     * The commands in capture order, each with its marker line: what SSH and {@code --local} run and expect. The
     * capture script runs these too, and then the {@linkplain Section#captureScriptOnly() capture-script-only}
     * sections ({@link #scriptSections()}).
     */
    public static List<Section> sections() {
        return Arrays.stream(Section.values())
                .filter(s -> s.platform() == Platform.WINDOWS && !s.captureScriptOnly()).toList();
    }

    /** Every Windows section, in the order {@code templates/windows/capture-snapshot.cmd} writes them. */
    public static List<Section> scriptSections() {
        return Arrays.stream(Section.values()).filter(s -> s.platform() == Platform.WINDOWS).toList();
    }

    /** The part inside {@code cmd /d /c "..."}: runs in cmd.exe. */
    public static String cmdBody() {
        String body = "chcp 65001 >nul & " + sections().stream()
                .map(s -> "echo " + Section.MARKER_PREFIX + s.sectionName() + "& " + s.commandLine() + " 2>&1")
                .collect(Collectors.joining(" & ")) + " & " + END;
        for (char c : FORBIDDEN_IN_BODY.toCharArray()) {
            if (body.indexOf(c) >= 0) {
                throw new IllegalStateException("capture command must not contain [" + c + "]: " + body);
            }
        }
        return body;
    }

    /** The exec request sent over SSH; runs the same under a cmd.exe or a PowerShell default shell. */
    public static String sshCommandLine() {
        return "cmd /d /c \"" + cmdBody() + "\"";
    }
}
