package dev.dynport.check.cli;

import dev.dynport.check.acquire.Snapshot;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * {@code --save-snapshot FILE}: what the host printed, byte for byte. Written to a temporary file in the same
 * directory, forced to disk, then renamed over FILE, so a reader sees the old snapshot or the new one, never half.
 * FILE may be absent or a regular file; a symbolic link, a device node, a FIFO or a directory at that path is
 * refused, never replaced or followed (rename would replace the link or the device node itself).
 */
final class SnapshotFile {
    private SnapshotFile() {
    }

    /** Validates the option before anything connects: a bad target is a usage error (exit 3). */
    static Path saveTarget(String value) throws UsageException {
        if (value.isEmpty()) {
            throw new UsageException("--save-snapshot [] is empty: give the path of the file to write");
        }
        Path target = Path.of(value).toAbsolutePath();
        String why = refusal(target);
        if (why != null) {
            throw new UsageException("--save-snapshot [" + value + "] " + why);
        }
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UsageException("--save-snapshot [" + value + "]: directory " + dir + " does not exist");
        }
        return target;
    }

    /** Null when the path is absent or a regular file (not a link to one), else why it must not be replaced. */
    private static String refusal(Path target) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException absent) {
            return null;
        } catch (IOException e) {
            return "cannot be inspected (" + e.getClass().getSimpleName() + ")";
        }
        if (a.isSymbolicLink()) {
            return "is a symbolic link: refusing to replace it; give the path it points to";
        }
        if (a.isDirectory()) {
            return "is a directory: give a file path";
        }
        if (!a.isRegularFile()) {
            return "exists and is not a regular file (a device, FIFO or socket): refusing to replace it";
        }
        return null;
    }

    /** @throws IOException with a message naming the path when the target became unsafe or writing failed */
    static void save(Snapshot snapshot, Path target) throws IOException {
        Path dir = target.getParent();
        Path temp = Files.createTempFile(dir, ".dynport-snapshot", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                snapshot.writeRaw(Channels.newOutputStream(channel));
                channel.force(true);
            }
            // Checked again here: the path may have changed since the arguments were read.
            String why = refusal(target);
            if (why != null) {
                throw new FileAlreadyExistsException(target.toString(), null, why);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename atomically in " + dir, e);
            }
            forceDirectory(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Makes the rename itself durable where the platform allows opening a directory (not on Windows). */
    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // The file is complete and renamed; only its directory entry may be lost on a power cut.
        }
    }
}
