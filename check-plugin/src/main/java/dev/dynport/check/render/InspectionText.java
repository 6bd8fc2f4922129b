package dev.dynport.check.render;

import dev.dynport.check.judge.AuditResult;
import dev.dynport.check.judge.AuditResult.Group;
import dev.dynport.check.judge.AuditResult.Kind;
import dev.dynport.check.judge.AuditResult.Listener;
import dev.dynport.check.judge.ExplainResult;
import dev.dynport.check.judge.Holder;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.State;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code --audit} and {@code --explain} as plugin text: the status line (with perfdata for the audit), then the
 * listeners grouped by kind and process, or the answer per family, then the fix and the notes:
 *
 * <pre>
 * DYNPORT OK - audit: 2 listening ports exposed to the dynamic range (1 process), ... | exposed_listeners=2 ...
 * Exposed: inside the dynamic range without an administered exclusion (...):
 *   dsamain.exe (PID 3120: ADAM_MSExchange): 50389 [ipv4, ipv6], 50636 [ipv4, ipv6]
 * ...
 * Fix (only for the ports that must stay fixed):
 *   netsh int ipv4 add excludedportrange protocol=tcp startport=50389 numberofports=1
 * Note: ...
 * </pre>
 *
 * Host-supplied text passes through {@link NagiosText#clean}, as in the check's output.
 */
public final class InspectionText {
    private static final Map<Kind, String> HEADINGS = Map.of(
            Kind.EXPOSED, "Exposed: inside the dynamic range without an administered exclusion (any outbound connection"
                    + " can take the port while it is free, e.g. during a restart; the next victims)",
            Kind.RESERVED, "Blocked for a re-bind: inside a system reservation (when the process restarts, its bind"
                    + " fails with WSAEACCES 10013)",
            Kind.RPC_DYNAMIC, "Dynamic by design: RPC endpoints the endpoint mapper assigned from the dynamic range"
                    + " (they move at the next start; harmless)",
            Kind.RESERVATION_HOLDER, "Expected: System (http.sys) on its own port reservation",
            Kind.PROTECTED, "Protected: inside the dynamic range and an administered exclusion");

    private InspectionText() {
    }

    public static String audit(AuditResult result) {
        StringBuilder out = new StringBuilder(NagiosText.SERVICE).append(' ').append(result.state()).append(" - ")
                .append(NagiosText.clean(result.summary()));
        String perf = NagiosText.perfdata(result.perfdata());
        out.append(perf.isEmpty() ? "" : " | " + perf).append('\n');
        problems(out, result.problems(), result.failure() != null);
        Kind shown = null;
        for (Group g : result.groups()) {
            if (g.kind() != shown) {
                shown = g.kind();
                out.append(HEADINGS.get(shown)).append(":\n");
            }
            out.append("  ").append(NagiosText.clean(process(g.pid(), g.image(), g.services()))).append(": ")
                    .append(g.listeners().stream().map(InspectionText::listener).collect(Collectors.joining(", ")))
                    .append('\n');
        }
        if (result.failure() == null && result.problems().isEmpty()) {
            out.append("Outside the dynamic range and every reservation: ").append(result.outsideRange())
                    .append(" listening port").append(result.outsideRange() == 1 ? "" : "s").append(" (not listed)\n");
        }
        fix(out, "Fix (only for the ports that must stay fixed):", result.remediation());
        notes(out, result.notes());
        return out.toString();
    }

    public static String explain(ExplainResult result) {
        StringBuilder out = new StringBuilder(NagiosText.SERVICE).append(' ').append(result.state()).append(" - ")
                .append(NagiosText.clean(result.summary())).append('\n');
        problems(out, result.problems(), result.failure() != null);
        for (ExplainResult.Answer a : result.answers()) {
            out.append('[').append(a.state()).append("] ").append(NagiosText.clean(a.text())).append('\n');
            for (Holder h : a.holders()) {
                out.append("    ").append(NagiosText.clean(process(h.pid(), h.image(), h.services()))).append(' ')
                        .append(NagiosText.clean(h.localAddress())).append(' ').append(NagiosText.clean(h.tcpState()))
                        .append('\n');
            }
        }
        fix(out, "Fix:", result.remediation());
        notes(out, result.notes());
        return out.toString();
    }

    private static void problems(StringBuilder out, List<String> problems, boolean failed) {
        if (!failed) {
            problems.forEach(p -> out.append('[').append(State.UNKNOWN).append("] ").append(NagiosText.clean(p))
                    .append('\n'));
        }
    }

    private static void fix(StringBuilder out, String heading, List<String> commands) {
        if (!commands.isEmpty()) {
            out.append(heading).append('\n');
            commands.forEach(c -> out.append("  ").append(NagiosText.clean(c)).append('\n'));
        }
    }

    private static void notes(StringBuilder out, List<String> notes) {
        notes.forEach(n -> out.append("Note: ").append(NagiosText.clean(n)).append('\n'));
    }

    private static String process(int pid, String image, List<String> services) {
        if (pid == 4) {
            return "System (PID 4: kernel, http.sys)";
        }
        if ("?".equals(image)) {
            return "PID " + pid + " (not in tasklist: ended or started between the commands?)";
        }
        return image + " (PID " + pid + (services.isEmpty() ? "" : ": " + String.join(", ", services)) + ")";
    }

    private static String listener(Listener l) {
        return l.port() + (l.label() == null ? "" : " " + NagiosText.clean(l.label())) + " ["
                + l.families().stream().map(Family::label).collect(Collectors.joining(", ")) + "]"
                + (l.detail().isEmpty() ? "" : " (" + NagiosText.clean(l.detail()) + ")");
    }
}
