package dev.dynport.check.acquire;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/** A snapshot captured earlier ({@code --snapshot FILE}), e.g. by templates/windows/capture-snapshot.cmd. */
public final class SnapshotFileSource implements SnapshotSource {
    /** Real snapshots are tens of KiB; anything this large is not one, and reading it would only cost memory. */
    static final long MAX_BYTES = 64L * 1024 * 1024;

    private final Path file;
    private final Charset oemCharset;

    public SnapshotFileSource(Path file, Charset oemCharset) {
        this.file = file;
        this.oemCharset = oemCharset;
    }

    @Override
    public Snapshot acquire(Duration timeout) throws AcquisitionException {
        byte[] raw;
        try {
            if (Files.isDirectory(file)) {
                throw unreadable("is a directory");
            }
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw unreadable("too large (" + size + " bytes, at most " + MAX_BYTES + ")");
            }
            try (InputStream in = Files.newInputStream(file)) {
                raw = in.readNBytes((int) MAX_BYTES + 1);
            }
        } catch (NoSuchFileException e) {
            throw unreadable("no such file");
        } catch (AccessDeniedException e) {
            throw unreadable("permission denied");
        } catch (IOException e) {
            throw unreadable(e.getClass().getSimpleName());
        }
        return SnapshotReader.read(raw, oemCharset, file.toString());
    }

    private AcquisitionException unreadable(String why) {
        return new AcquisitionException(AcquisitionException.Failure.INPUT_UNREADABLE,
                "cannot read snapshot [" + file + "]: " + why);
    }
}
