package dev.dynport.check.acquire;

/**
 * What input the check can read without exhausting its heap, measured, not guessed.
 *
 * <p>The parsers keep one object per line and one per row, so memory grows with lines as well as bytes. Measured
 * with the launcher's {@code -Xmx64m -XX:+UseSerialGC} (Runtime.maxMemory() = 64,880,640 bytes) through the
 * real file + decode + parse + judge path, before this bound existed:
 * <pre>
 * input                                         completed          OutOfMemoryError
 * netstat rows of 78 bytes (real padding)       140,000 (11.0 MB)  150,000 (11.8 MB)
 * netstat rows of 36 bytes (minimal)            166,000 (6.0 MB)   222,000 (8.0 MB)
 * blank lines in one section                    1,000,000 (1 MB)   2,000,000 (2 MB)
 * one line of 3,000,000 blank-separated words   -                  6 MB (tokenized whole)
 * </pre>
 * Fitted: a peak of about 3 bytes of heap per input byte (raw bytes, section text, line copies) plus 300 per line
 * (line and row objects). A tasklist row keeps one string per service, so its bytes weigh 27: a row of
 * 100,000 two-letter services is 200 KB of text and over 5 MB of strings (103,783 realistic tasklist rows
 * of 72 bytes ended in OutOfMemoryError with the netstat weights). {@link #COST_LIMIT} leaves 15% of the heap
 * for the rest of the check; {@link #MAX_LINE} bounds what one line costs while a parser splits it into words.
 *
 * <p>Trade-off: at {@code -Xmx64m} this reads about 100,000 netstat rows (8 MB). A busy Exchange front-end
 * (200,000 rows, about 20 MB) is refused with a message naming its size, not judged; a larger heap reads
 * more ({@code java -Xmx256m -jar check_dynport.jar}), and a streaming netstat parser would lift the per-row
 * term. UTF-16 input counts two bytes per character, so it reads half as many rows.
 */
public final class InputBudget {
    static final long HEAP = Runtime.getRuntime().maxMemory();
    static final long BYTE_COST = 3;
    static final long TASKLIST_BYTE_COST = 27;
    static final long LINE_COST = 300;
    static final long COST_LIMIT = HEAP / 100 * 85;
    /** The most bytes any source reads: what the budget allows for input with hardly any line breaks. */
    public static final long MAX_BYTES = Math.min(64L * 1024 * 1024, COST_LIMIT / BYTE_COST);
    /** Command output lines are at most a few hundred characters (a tasklist row of a shared svchost). */
    static final int MAX_LINE = 64 * 1024;

    /** The code units of an input (bytes, or UTF-16 chars); only CR, LF and the count matter here. */
    @FunctionalInterface
    interface Units {
        int at(int index);
    }

    private final String origin;
    private long lines;
    private long cost;

    InputBudget(String origin) {
        this.origin = origin;
    }

    /**
     * Counts the lines of one section body as the parsers split them (LF, CRLF and a lone CR) and refuses a line
     * longer than {@link #MAX_LINE}: one pass, no allocation.
     *
     * @param unitBytes 1 for a byte encoding, 2 for UTF-16
     * @param firstLine the 1-based line number of the body's first line in the file, for the message
     */
    void add(Section section, Units units, int from, int to, int unitBytes, int firstLine)
            throws AcquisitionException {
        long count = from < to ? 1 : 0;
        int length = 0;
        for (int i = from; i < to; i++) {
            int c = units.at(i);
            if (c == '\n' || c == '\r' && !(i + 1 < to && units.at(i + 1) == '\n')) {
                count++;
                length = 0;
            } else if (c != '\r' && ++length > MAX_LINE) {
                throw new AcquisitionException(AcquisitionException.Failure.INPUT_UNREADABLE,
                        "line " + (firstLine + count - 1) + " of " + origin + " (section " + section.sectionName()
                                + ") is longer than " + MAX_LINE + " characters: not the output of '"
                                + section.commandLine() + "'");
            }
        }
        long b = (long) (to - from) * unitBytes;
        lines += count;
        cost += (section == Section.TASKLIST ? TASKLIST_BYTE_COST : BYTE_COST) * b + LINE_COST * count;
    }

    /** @param inputBytes the size of the whole input, for the message */
    void check(long inputBytes) throws AcquisitionException {
        if (cost > COST_LIMIT) {
            throw new AcquisitionException(AcquisitionException.Failure.INPUT_UNREADABLE,
                    origin + " is too large for this check's heap: " + inputBytes + " bytes, " + lines
                            + " lines; a heap of " + HEAP / (1024 * 1024) + " MiB reads about "
                            + COST_LIMIT / (BYTE_COST * 80 + LINE_COST) + " netstat rows of 80 bytes");
        }
    }
}
