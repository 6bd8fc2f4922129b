package dev.dynport.check.acquire;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;

/**
 * A snapshot captured earlier ({@code --snapshot FILE}), e.g. by templates/windows/capture-snapshot.cmd.
 * A regular byte-encoded file is scanned, not held ({@link SnapshotFileScan}), up to {@link #MAX_FILE_BYTES}; a
 * UTF-16 file larger than {@link #MAX_BYTES} is refused before it is read; anything else (a pipe,
 * {@code /dev/zero}, a device) is read up to {@link #MAX_BYTES} + 1 bytes and refused past it. A FIFO nobody
 * writes to blocks in open(): the check's {@code -t} bounds that.
 */
public final class SnapshotFileSource implements SnapshotSource {
    /** The most bytes a source holds in memory (SSH, local, a pipe, a UTF-16 file): see {@link InputBudget}. */
    public static final long MAX_BYTES = InputBudget.MAX_BYTES;
    /**
     * The largest byte-encoded regular snapshot file: its netstat section is streamed, not held
     * ({@link SnapshotFileScan}), so this bound is no longer the heap's. 256 MiB is about 3.4 million netstat rows,
     * seventeen times the busiest front-end measured; each reading of such a file takes seconds.
     */
    public static final long MAX_FILE_BYTES = 256L * 1024 * 1024;

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
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                throw unreadable("is a directory");
            }
            // Size 0 may also be a /proc-like file whose size is not known before reading it.
            boolean regular = attributes.isRegularFile() && attributes.size() > 0;
            if (regular && SnapshotFileScan.isStreamable(file)) {
                if (attributes.size() > MAX_FILE_BYTES) {
                    throw tooLarge(attributes.size() + " bytes", MAX_FILE_BYTES);
                }
                return SnapshotFileScan.read(file, oemCharset);
            }
            raw = regular ? readRegular(attributes.size()) : readStream();
        } catch (SnapshotFileScan.Changed e) {
            throw unreadable(e.reason());
        } catch (NoSuchFileException e) {
            throw unreadable("no such file");
        } catch (AccessDeniedException e) {
            throw unreadable("permission denied");
        } catch (IOException e) {
            throw unreadable(e.getClass().getSimpleName());
        }
        return SnapshotReader.read(raw, oemCharset, file.toString());
    }

    /** One array of the file's size: no growing buffer, which would briefly need twice the memory. */
    private byte[] readRegular(long size) throws IOException, AcquisitionException {
        if (size > MAX_BYTES) {
            throw tooLarge(size + " bytes", MAX_BYTES);
        }
        byte[] raw = new byte[(int) size];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(raw, 0, raw.length);
            if (n < raw.length || in.read() >= 0) {
                // Rewritten or appended to while we read it: a partial netstat could read as OK.
                throw unreadable("changed size while being read (" + size + " bytes before; still being written?)");
            }
        }
        return raw;
    }

    private byte[] readStream() throws IOException, AcquisitionException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] raw = in.readNBytes((int) MAX_BYTES + 1);
            if (raw.length > MAX_BYTES) {
                throw tooLarge("more than " + MAX_BYTES + " bytes, not a regular file", MAX_BYTES);
            }
            return raw;
        }
    }

    private AcquisitionException tooLarge(String size, long limit) {
        return unreadable("too large (" + size + "); this check reads at most " + limit + " bytes"
                + (limit == MAX_BYTES ? " with a heap of " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB"
                        : " from a snapshot file"));
    }

    private AcquisitionException unreadable(String why) {
        return new AcquisitionException(AcquisitionException.Failure.INPUT_UNREADABLE,
                "cannot read snapshot [" + file + "]: " + why);
    }
}
