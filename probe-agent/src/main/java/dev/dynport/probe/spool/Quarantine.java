package dev.dynport.probe.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * {@code DIR/quarantine/}: corrupt files and byte spans moved aside as {@code NAME.bad}, each with a
 * {@code NAME.bad.reason} text file; every one is logged at WARNING and counted. Not thread-safe: the spool calls
 * it under its own lock.
 */
final class Quarantine {
    private static final Logger LOG = Logger.getLogger(Quarantine.class.getName());

    private final Path dir;
    private long count;

    Quarantine(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    long count() {
        return count;
    }

    /** Moves a whole file (a segment with a bad header, a corrupt cursor file). */
    void file(Path file, String reason) throws IOException {
        Path target = uniqueName(file.getFileName().toString());
        Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
        writeReason(target, reason);
        SpoolIo.forceDirectory(dir);
        count++;
        LOG.warning(() -> "spool: quarantined " + file + " to " + target + ": " + reason);
    }

    /** Copies {@code bytes[from, to)} of {@code source} (a bad record or a torn tail). */
    void bytes(Path source, byte[] bytes, int from, int to, String reason) throws IOException {
        Path target = uniqueName(source.getFileName() + "@" + from);
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            SpoolIo.writeFully(ch, ByteBuffer.wrap(bytes, from, to - from));
            ch.force(true);
        }
        writeReason(target, reason);
        count++;
        LOG.warning(() -> String.format(Locale.ROOT, "spool: quarantined %d bytes at offset %d of %s to %s: %s",
                to - from, from, source, target, reason));
    }

    /** Stores a record whose CRC is good but whose payload a sink cannot use. */
    Path payload(long seq, String sink, byte[] payload, String reason) throws IOException {
        Path target = uniqueName(String.format(Locale.ROOT, "record-%020d-%s", seq,
                sink.replaceAll("[^A-Za-z0-9._-]", "_")));
        Files.write(target, payload);
        writeReason(target, reason);
        count++;
        LOG.warning(() -> "spool: record " + seq + " for sink [" + sink + "] quarantined to " + target + ": "
                + reason);
        return target;
    }

    private void writeReason(Path target, String reason) throws IOException {
        Files.writeString(target.resolveSibling(target.getFileName() + ".reason"), reason + System.lineSeparator());
    }

    private Path uniqueName(String base) {
        Path p = dir.resolve(base + ".bad");
        for (int i = 1; Files.exists(p); i++) {
            p = dir.resolve(base + "." + i + ".bad");
        }
        return p;
    }
}
