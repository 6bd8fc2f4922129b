package dev.dynport.probe.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * {@code DIR/quarantine/}: corrupt files and byte spans moved aside as {@code NAME.bad}, each with a
 * {@code NAME.bad.reason} text file; every one is logged at WARNING and counted. Never throws: on a full disk the
 * copy or move fails, the bad bytes stay where they are (so they are found again at the next start), and that is
 * logged instead. Not thread-safe: the spool calls it under its own lock.
 */
final class Quarantine {
    private static final Logger LOG = Logger.getLogger(Quarantine.class.getName());

    private final Path dir;
    private final SpoolIo io;
    private long count;

    Quarantine(Path dir, SpoolIo io) {
        this.dir = dir;
        this.io = io;
    }

    long count() {
        return count;
    }

    /** Moves a whole file or directory (a segment with a bad header, a corrupt cursor file); false if it stayed. */
    boolean file(Path file, String reason) {
        try {
            io.createDirectories(dir);
            Path target = uniqueName(file.getFileName().toString());
            io.move(file, target);
            writeReason(target, reason);
            SpoolIo.forceDirectory(dir);
            count++;
            LOG.warning(() -> "spool: quarantined " + file + " to " + target + ": " + reason);
            return true;
        } catch (IOException e) {
            LOG.warning(() -> "spool: could not move " + file + " to quarantine (" + SpoolIo.describe(e)
                    + "); left in place and skipped: " + reason);
            return false;
        }
    }

    /** Copies {@code bytes[from, to)} of {@code source} (a bad record or a torn tail); false if no copy was made. */
    boolean bytes(Path source, byte[] bytes, int from, int to, String reason) {
        try {
            io.createDirectories(dir);
            Path target = uniqueName(source.getFileName() + "@" + from);
            io.writeNew(target, Arrays.copyOfRange(bytes, from, to));
            writeReason(target, reason);
            count++;
            LOG.warning(() -> String.format(Locale.ROOT, "spool: quarantined %d bytes at offset %d of %s to %s: %s",
                    to - from, from, source, target, reason));
            return true;
        } catch (IOException e) {
            LOG.warning(() -> String.format(Locale.ROOT,
                    "spool: could not copy %d bytes at offset %d of %s to quarantine (%s): %s", to - from, from,
                    source, SpoolIo.describe(e), reason));
            return false;
        }
    }

    /** Stores a record whose CRC is good but whose payload a sink cannot use. */
    void payload(long seq, String sink, byte[] payload, String reason) {
        try {
            io.createDirectories(dir);
            Path target = uniqueName(String.format(Locale.ROOT, "record-%020d-%s", seq,
                    sink.replaceAll("[^A-Za-z0-9._-]", "_")));
            io.writeNew(target, payload);
            writeReason(target, reason);
            count++;
            LOG.warning(() -> "spool: record " + seq + " for sink [" + sink + "] quarantined to " + target + ": "
                    + reason);
        } catch (IOException e) {
            LOG.warning(() -> "spool: record " + seq + " for sink [" + sink + "] skipped; no copy in quarantine ("
                    + SpoolIo.describe(e) + "): " + reason);
        }
    }

    /** The reason file is an explanation, not the evidence: its loss is logged and the quarantine still counts. */
    private void writeReason(Path target, String reason) {
        Path file = target.resolveSibling(target.getFileName() + ".reason");
        try {
            io.writeNew(file, reason + System.lineSeparator());
        } catch (IOException e) {
            LOG.warning(() -> "spool: could not write " + file + " (" + SpoolIo.describe(e) + ")");
        }
    }

    private Path uniqueName(String base) {
        Path p = dir.resolve(base + ".bad");
        for (int i = 1; Files.exists(p); i++) {
            p = dir.resolve(base + "." + i + ".bad");
        }
        return p;
    }
}
