package dev.dynport.check.cli;

import dev.dynport.check.acquire.AcquisitionException;
import dev.dynport.check.acquire.Snapshot;
import dev.dynport.check.judge.AuditResult;
import dev.dynport.check.judge.ExplainResult;
import dev.dynport.check.judge.HostAudit;
import dev.dynport.check.judge.PortExplain;
import dev.dynport.check.model.State;
import dev.dynport.check.render.InspectionJson;
import dev.dynport.check.render.InspectionText;
import dev.dynport.check.run.CheckRun;
import java.io.PrintStream;
import java.time.Clock;

/**
 * Runs {@code --audit} or {@code --explain PORT}: acquire as the check does (same sources, --save-snapshot, the
 * same mapping of failures to states), judge, render; bounded by -t like the check ({@link Bounded}).
 */
final class Inspect {
    private Inspect() {
    }

    /** What is printed and the exit code. */
    private record Output(String text, State state) {
    }

    static int run(Arguments arguments, PrintStream out, PrintStream err, Clock clock) {
        Output output = Bounded.run(arguments.timeout(), "timed out after " + arguments.timeout().toSeconds() + " s (-t)",
                () -> inspect(arguments, err, clock), e -> failed(arguments, e));
        out.print(output.text());
        return output.state().exitCode();
    }

    private static Output inspect(Arguments arguments, PrintStream err, Clock clock) {
        Snapshot snapshot;
        try {
            snapshot = CheckDynport.acquireAndSave(arguments, err);
        } catch (AcquisitionException e) {
            return failed(arguments, e);
        }
        if (arguments.action() == Arguments.Action.AUDIT) {
            return render(arguments, HostAudit.audit(snapshot, arguments.checkOptions(), arguments.freshness(), clock));
        }
        return render(arguments, PortExplain.explain(snapshot, arguments.explainPort(), arguments.checkOptions(),
                arguments.freshness(), clock));
    }

    private static Output failed(Arguments arguments, AcquisitionException e) {
        State state = CheckRun.stateOf(e.failure(), arguments.unreachableState());
        return arguments.action() == Arguments.Action.AUDIT
                ? render(arguments, AuditResult.acquisitionFailed(e, state))
                : render(arguments, ExplainResult.acquisitionFailed(arguments.explainPort(), e, state));
    }

    private static Output render(Arguments arguments, AuditResult r) {
        boolean json = arguments.format() == Arguments.Format.JSON;
        return new Output(json ? InspectionJson.audit(r) : InspectionText.audit(r), r.state());
    }

    private static Output render(Arguments arguments, ExplainResult r) {
        boolean json = arguments.format() == Arguments.Format.JSON;
        return new Output(json ? InspectionJson.explain(r) : InspectionText.explain(r), r.state());
    }
}
