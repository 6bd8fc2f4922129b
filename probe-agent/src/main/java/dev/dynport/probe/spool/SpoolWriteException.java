package dev.dynport.probe.spool;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@link Spool#append} could not write (disk full, I/O error): the event is not in the spool and nothing changed,
 * so the caller may hold it and try again. The message is the OS's, without a stack trace's worth of detail.
 */
public final class SpoolWriteException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    SpoolWriteException(Path dir, IOException cause) {
        super("spool cannot write [" + dir + "]: " + SpoolIo.describe(cause), cause);
        this.reason = SpoolIo.describe(cause);
    }

    /** The OS's words, e.g. {@code No space left on device}. */
    public String reason() {
        return reason;
    }
}
