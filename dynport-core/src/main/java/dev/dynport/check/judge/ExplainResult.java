package dev.dynport.check.judge;

import dev.dynport.check.acquire.AcquisitionException;
import dev.dynport.check.model.CaptureInfo;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.State;
import java.util.List;

/**
 * {@code --explain PORT}: why the port can or cannot be bound, per family, in plain words, with the fix.
 *
 * @param state the worst answer's: OK it should bind and stays bindable, WARNING it binds now but the allocator may
 *     take it (or just did), CRITICAL a bind fails now, UNKNOWN a section it needs was not read
 * @param remediation the commands that fix it, in the order that works
 */
public record ExplainResult(
        State state,
        String summary,
        int port,
        List<Answer> answers,
        List<String> remediation,
        List<String> notes,
        List<String> problems,
        AcquisitionException.Failure failure,
        CaptureInfo captureInfo) {

    public ExplainResult {
        answers = List.copyOf(answers);
        remediation = List.copyOf(remediation);
        notes = List.copyOf(notes);
        problems = List.copyOf(problems);
    }

    /** The answer for one family, most decisive first: a reservation beats a holder, a holder beats the range. */
    public enum Verdict {
        /** Inside an unmarked (system) reservation: WSAEACCES (10013). */
        RESERVED,
        /** A process holds it, listening or as the local end of a connection: WSAEADDRINUSE (10048). */
        HELD,
        /** Only TIME_WAIT rows (PID 0): the allocator handed it out moments ago. */
        RECENTLY_USED,
        /** Free, inside the dynamic range without an exclusion: any outbound connection may take it. */
        DYNAMIC_FREE,
        /** Free, inside an administered exclusion: kept out of the allocator's and WinNAT's hands. */
        PROTECTED,
        /** Free, outside the dynamic range and every reservation. */
        FREE,
        /** A section this answer needs was not read. */
        UNKNOWN
    }

    /**
     * @param bindError what a bind gets now ({@code WSAEACCES (10013)}, {@code WSAEADDRINUSE (10048)}), or null
     *     when it should succeed
     * @param holders every process with a local endpoint on the port in this family
     */
    public record Answer(Family family, Verdict verdict, State state, String bindError, String text,
            List<Holder> holders) {
        public Answer {
            holders = List.copyOf(holders);
        }
    }

    public static ExplainResult acquisitionFailed(int port, AcquisitionException e, State state) {
        return new ExplainResult(state, e.getMessage(), port, List.of(), List.of(), List.of(), List.of(e.getMessage()),
                e.failure(), null);
    }
}
