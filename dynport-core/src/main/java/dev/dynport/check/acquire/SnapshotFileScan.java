package dev.dynport.check.acquire;

import dev.dynport.check.util.TextSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * {@link SnapshotReader} for a regular file, without holding it: one pass finds the sections (the same marker
 * rules and refusals), a second one counts each body's lines for {@link InputBudget}, and only the small sections
 * are then read and decoded. The netstat section stays in the file: each parse reads it again as a line stream
 * from its byte region (UTF-8 when the whole region is valid UTF-8, else the OEM code page: the same choice and
 * text as {@link SnapshotReader#decode}), so the check's memory does not grow with its row count.
 *
 * <p>The file is read several times (scan, count, one or two parses, {@code --save-snapshot}); each reading
 * first checks that it is still the file the scan saw ({@link Backing}) and refuses a file that changed, because
 * a netstat read half from one capture and half from another could read as OK.
 *
 * <p>Not streamed: UTF-16 files (PowerShell 5.1's {@code >}): they are read whole as before, within
 * {@link InputBudget#MAX_BYTES}; {@link #isStreamable} tells them apart by their first bytes.
 */
final class SnapshotFileScan {
    private static final int BUFFER = 64 * 1024;

    private SnapshotFileScan() {
    }

    /** Whether the file starts like a byte-encoded snapshot (not UTF-16): those are streamed. */
    static boolean isStreamable(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        }
        return SnapshotReader.wholeFileCharset(head) == null;
    }

    static Snapshot read(Path file, Charset oemFallback) throws IOException, AcquisitionException {
        String origin = file.toString();
        Backing backing = Backing.of(file);
        byte[] head;
        try (InputStream in = backing.open(0, Math.min(4, backing.size))) {
            head = in.readNBytes(4);
        }
        int bom = SnapshotReader.bomLength(head);
        SnapshotReader.Splitter splitter = new SnapshotReader.Splitter(origin);
        List<SnapshotReader.Body> bodies;
        CRC32 crc = new CRC32();
        crc.update(head, 0, bom);
        try (InputStream in = backing.open(bom, backing.size)) {
            bodies = SnapshotReader.split(units(in, null, crc), bom, backing.size, splitter);
        }
        backing.crc = crc.getValue();
        InputBudget budget = new InputBudget(origin);
        Map<Section, Charset> streamed = new EnumMap<>(Section.class);
        for (SnapshotReader.Body b : bodies) {
            boolean stream = b.section() == Section.NETSTAT;
            Utf8.Validator utf8 = new Utf8.Validator();
            try (InputStream in = backing.open(b.from(), b.to())) {
                budget.add(b.section(), units(in, utf8, null), b.from(), b.to(), 1, b.firstLine(), false, !stream);
            }
            if (stream) {
                streamed.put(b.section(), utf8.valid() ? StandardCharsets.UTF_8 : oemFallback);
            }
        }
        budget.check(backing.size);
        if (splitter.markers == 0) {
            throw new AcquisitionException(AcquisitionException.Failure.INPUT_UNREADABLE,
                    "not a dynport snapshot: no '" + Section.MARKER_PREFIX.strip() + " NAME' marker line in "
                            + origin + " (" + backing.size + " bytes)");
        }
        Map<Section, TextSource> texts = new EnumMap<>(Section.class);
        for (SnapshotReader.Body b : bodies) {
            Charset charset = streamed.get(b.section());
            if (charset != null) {
                texts.put(b.section(), new Streamed(backing, b.from(), b.to(), charset));
            } else {
                byte[] body;
                try (InputStream in = backing.open(b.from(), b.to())) {
                    body = in.readAllBytes();
                }
                splitter.sections.put(b.section(), SnapshotReader.decode(body, 0, body.length, oemFallback));
            }
        }
        return Snapshot.backedBy(backing, splitter.sections, texts, origin);
    }

    /** Reads in chunks: a call per byte through a synchronized stream would cost more than the scan itself. */
    private static InputBudget.Units units(InputStream in, Utf8.Validator utf8, CRC32 crc) {
        return new Chunks(in, utf8, crc);
    }

    // Named classes, not lambdas: every snapshot check reads through them on its start-up path, where each lambda
    // call site costs a link on first use (docs/startup.md).

    private static final class Chunks implements InputBudget.Units {
        private final InputStream in;
        private final Utf8.Validator utf8;
        private final CRC32 crc;
        private final byte[] buffer = new byte[BUFFER];
        private int at;
        private int end;

        Chunks(InputStream in, Utf8.Validator utf8, CRC32 crc) {
            this.in = in;
            this.utf8 = utf8;
            this.crc = crc;
        }

        @Override
        public int next() throws IOException {
            if (at == end) {
                int n = in.read(buffer, 0, buffer.length);
                if (n < 0) {
                    return -1;
                }
                if (crc != null) {
                    crc.update(buffer, 0, n);
                }
                at = 0;
                end = n;
            }
            int b = buffer[at++] & 0xFF;
            if (utf8 != null) {
                utf8.feed(b);
            }
            return b;
        }
    }

    /** A streamed section: its byte region of the file, decoded afresh at each reading. */
    private static final class Streamed implements TextSource {
        private final Backing backing;
        private final long from;
        private final long to;
        private final Charset charset;

        Streamed(Backing backing, long from, long to, Charset charset) {
            this.backing = backing;
            this.from = from;
            this.to = to;
            this.charset = charset;
        }

        @Override
        public java.io.Reader open() throws IOException {
            return new InputStreamReader(backing.open(from, to), charset);
        }
    }

    /**
     * The snapshot file as the scan saw it: every reading checks it is still that file. Same size, modification
     * time and file key: the same file. Same size but another time or key (the file was replaced, e.g. by
     * {@code --save-snapshot} onto the path it was read from): the same file only if its bytes have the CRC-32 the
     * scan computed, checked once and then remembered. Anything else is refused.
     */
    static final class Backing {
        final Path file;
        final long size;
        private FileTime modified;
        private Object key;
        /** Of the whole file, set by the scan; -1 before. */
        long crc = -1;

        private Backing(Path file, long size, FileTime modified, Object key) {
            this.file = file;
            this.size = size;
            this.modified = modified;
            this.key = key;
        }

        static Backing of(Path file) throws IOException {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Backing(file, a.size(), a.lastModifiedTime(), a.fileKey());
        }

        /** The bytes {@code from..to}, unbuffered (callers read in chunks); refuses a file that is no longer the one scanned. */
        InputStream open(long from, long to) throws IOException {
            SeekableByteChannel channel = Files.newByteChannel(file);
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                if (channel.size() != size) {
                    throw changed(channel.size());
                }
                if (!a.lastModifiedTime().equals(modified) || key != null && !key.equals(a.fileKey())) {
                    if (crc < 0 || crc(channel) != crc) {
                        throw changed(channel.size());
                    }
                    modified = a.lastModifiedTime();
                    key = a.fileKey();
                }
                channel.position(from);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            return new Region(Channels.newInputStream(channel), to - from);
        }

        private Changed changed(long now) {
            return new Changed(file, "changed while being read (" + size + " bytes before, " + now
                    + " now; still being written?)");
        }

        private long crc(SeekableByteChannel channel) throws IOException {
            CRC32 c = new CRC32();
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(BUFFER);
            channel.position(0);
            while (channel.read(buffer) > 0) {
                buffer.flip();
                c.update(buffer);
                buffer.clear();
            }
            return c.getValue();
        }

        /** The whole file as scanned, for {@code --save-snapshot}. */
        void copyTo(OutputStream out) throws IOException {
            try (InputStream in = open(0, size)) {
                in.transferTo(out);
            }
        }
    }

    /** The file is no longer the one scanned: refused, never read as a mix of two captures. */
    static final class Changed extends IOException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        Changed(Path file, String reason) {
            super("snapshot " + (file == null ? "file" : "[" + file + "]") + " " + reason);
            this.reason = reason;
        }

        /** Without the file name, for messages that name it already. */
        String reason() {
            return reason;
        }
    }

    /** At most {@code left} bytes; fewer means the file was cut while being read. */
    private static final class Region extends InputStream {
        private final InputStream in;
        private long left;

        Region(InputStream in, long left) {
            this.in = in;
            this.left = left;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new Changed(null, "ended " + left + " bytes early (cut while being read?)");
            }
            left -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
