package dev.dynport.check.acquire;

import java.io.IOException;

/**
 * What input the check can read without exhausting its heap, measured, not guessed.
 *
 * <p>Applies to what is held: SSH and {@code --local} output, a pipe, a UTF-16 file, and every section but
 * netstat of a snapshot file. A snapshot file's netstat section is streamed ({@link SnapshotFileScan}) and costs
 * no heap per byte; its line lengths are still checked here.
 *
 * <p>Since the netstat parser streams (it keeps listeners and rows on watched ports, and counts the rest), a
 * netstat line costs no row object; the section costs its bytes: raw bytes and decoded text live together in
 * the serial collector's old generation (two thirds of the heap). Text that decodes to characters beyond U+00FF
 * (one box-drawing character in the OEM code page makes the whole String two bytes per character) costs more:
 * a decoder other than UTF-8 fills a char[], tries a Latin-1 copy, then makes a two-byte one, about six bytes
 * per input byte at the peak. Measured with the launcher ({@code -Xmx64m}) after the change:
 * <pre>
 * input                                              completed                    OutOfMemoryError
 * netstat rows of 74 bytes, ASCII                    260,000 (19 MB), 114 MB RSS  -
 * the same with one character beyond U+00FF          80,000 (6 MB)                120,000 (9 MB)
 * </pre>
 * Hence {@link #NETSTAT_BYTE_COST} 3 and {@link #NETSTAT_WIDE_BYTE_COST} 9. The table below is from before the
 * change and still gives the weights of the other sections.
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
 * <p>Trade-off: at {@code -Xmx64m} this reads about 230,000 netstat rows of 80 bytes (18 MB), 80,000 when the
 * section decodes to characters beyond Latin-1. Larger input is refused with a message naming its size, not
 * judged; a larger heap reads more ({@code java -Xmx256m -jar check_dynport.jar}). UTF-16 input counts two bytes
 * per character, so it reads half as many rows.
 */
public final class InputBudget {
    static final long HEAP = Runtime.getRuntime().maxMemory();
    static final long BYTE_COST = 3;
    static final long TASKLIST_BYTE_COST = 27;
    static final long LINE_COST = 300;
    /** A netstat byte whose text decodes within Latin-1: raw byte, one byte of text, and room for the parse. */
    static final long NETSTAT_BYTE_COST = 3;
    /** A netstat byte whose text decodes to two-byte characters: raw byte, a decoder char[], a failed Latin-1 copy and the String at the peak. */
    static final long NETSTAT_WIDE_BYTE_COST = 9;
    static final long COST_LIMIT = HEAP / 100 * 85;
    /** The most bytes any source reads: what the budget allows for input with hardly any line breaks. */
    public static final long MAX_BYTES = Math.min(64L * 1024 * 1024, COST_LIMIT / BYTE_COST);
    /** Command output lines are at most a few hundred characters (a tasklist row of a shared svchost). */
    static final int MAX_LINE = 64 * 1024;

    /** The code units of an input read in order (bytes, or UTF-16 chars), -1 past the end. */
    @FunctionalInterface
    interface Units {
        int next() throws IOException;
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
     * @param units positioned at {@code from}; {@code to - from} of them are read
     * @param unitBytes 1 for a byte encoding, 2 for UTF-16
     * @param firstLine the 1-based line number of the body's first line in the file, for the message
     * @param wide the section's text will hold characters beyond U+00FF (two bytes each in a String)
     * @param held the section's text is held in memory; a netstat section of a snapshot file is streamed instead
     *     (read as a line stream from the file each time it is parsed) and costs no heap in proportion to its size
     */
    void add(Section section, Units units, long from, long to, int unitBytes, int firstLine, boolean wide,
            boolean held) throws AcquisitionException, IOException {
        long count = from < to ? 1 : 0;
        int length = 0;
        boolean afterCr = false;
        for (long i = from; i < to; i++) {
            int c = units.next();
            if (afterCr && c != '\n') {
                count++; // the lone CR before this unit ended a line
                length = 0;
            }
            afterCr = c == '\r';
            if (c == '\n') {
                count++;
                length = 0;
            } else if (c != '\r' && ++length > MAX_LINE) {
                throw new AcquisitionException(AcquisitionException.Failure.INPUT_UNREADABLE,
                        "line " + (firstLine + count - 1) + " of " + origin + " (section " + section.sectionName()
                                + ") is longer than " + MAX_LINE + " characters: not the output of '"
                                + section.commandLine() + "'");
            }
        }
        if (afterCr) {
            count++;
        }
        long b = (to - from) * unitBytes;
        lines += count;
        if (!held) {
            return;
        }
        if (section == Section.NETSTAT) {
            // Lines cost nothing: the parser keeps no object per line (NetstatParser, NetstatTable).
            cost += (wide ? NETSTAT_WIDE_BYTE_COST : NETSTAT_BYTE_COST) * b;
        } else {
            cost += (section == Section.TASKLIST ? TASKLIST_BYTE_COST : BYTE_COST) * b + LINE_COST * count;
        }
    }

    /** @param inputBytes the size of the whole input, for the message */
    void check(long inputBytes) throws AcquisitionException {
        if (cost > COST_LIMIT) {
            throw new AcquisitionException(AcquisitionException.Failure.INPUT_UNREADABLE,
                    origin + " is too large for this check's heap: " + inputBytes + " bytes, " + lines
                            + " lines; a heap of " + HEAP / (1024 * 1024) + " MiB reads about "
                            + COST_LIMIT / (NETSTAT_BYTE_COST * 80) + " netstat rows of 80 bytes");
        }
    }
}
