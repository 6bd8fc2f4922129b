package dev.dynport.probe.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.CopyOption;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32;

/**
 * Every operation of the spool that needs free space (or a writable disk) goes through one instance of this class,
 * so that tests can make exactly those fail, as a full disk does, without mounting anything: a subclass overrides
 * {@link #before} and throws. Reads and deletes do not go through it: they work on a full disk.
 */
public class SpoolIo {
    private static final Logger LOG = Logger.getLogger(SpoolIo.class.getName());

    /** What a full disk can refuse. */
    public enum Op {
        /** creating a file or directory (not opening an existing one) */
        CREATE,
        /** writing bytes to a file */
        WRITE,
        /** {@code fsync}: with delayed allocation a full disk shows here even after the write succeeded */
        FORCE,
        /** an atomic rename (cursor files, quarantine) */
        RENAME
    }

    public static final SpoolIo REAL = new SpoolIo();

    protected SpoolIo() {
    }

    /** Called before each operation; the real one does nothing. */
    protected void before(Op op, Path file) throws IOException {
    }

    static int crc(byte[] b, int off, int len) {
        CRC32 c = new CRC32();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    /**
     * Takes the exclusive OS lock on {@code DIR/lock}, creating the directory and file if needed. The one write
     * opening cannot do without: without the lock two agents could share the spool.
     */
    FileLock lock(Path dir) throws IOException {
        Path file = dir.resolve("lock");
        FileChannel ch;
        try {
            createDirectories(dir);
            ch = open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new IOException("cannot create the spool lock file [" + file + "]: " + describe(e), e);
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            ch.close(); // e.g. ENOLCK on a network file system: the channel is not handed to anyone
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new IOException("spool directory is in use by another agent [" + dir + "]");
        }
        return lock;
    }

    /** Opens a file; {@link Op#CREATE} is only checked when the open can create it and it does not exist yet. */
    FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException {
        if (options.contains(StandardOpenOption.CREATE_NEW)
                || options.contains(StandardOpenOption.CREATE) && !Files.exists(file)) {
            before(Op.CREATE, file);
        }
        return FileChannel.open(file, options);
    }

    void createDirectories(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            before(Op.CREATE, dir);
            Files.createDirectories(dir);
        }
    }

    /** Writes all of {@code b} at {@code position}. */
    void write(Path file, FileChannel ch, ByteBuffer b, long position) throws IOException {
        before(Op.WRITE, file);
        int from = b.position();
        while (b.hasRemaining()) {
            ch.write(b, position + b.position() - from);
        }
    }

    void force(Path file, FileChannel ch, boolean metaData) throws IOException {
        before(Op.FORCE, file);
        ch.force(metaData);
    }

    void move(Path from, Path to, CopyOption... options) throws IOException {
        before(Op.RENAME, to);
        Files.move(from, to, options);
    }

    /** Creates {@code file} (which must not exist) with {@code bytes}, forced; removes it again on failure. */
    void writeNew(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
            write(file, ch, ByteBuffer.wrap(bytes), 0);
            force(file, ch, true);
        } catch (IOException e) {
            deleteQuietly(file, e);
            throw e;
        }
    }

    void writeNew(Path file, String text) throws IOException {
        writeNew(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code parts} to {@code file}.tmp, forces it, renames it over {@code file} atomically, forces the dir.
     * On failure the temp file is removed (it would only take space) and {@code file} is as before.
     */
    void replace(Path file, ByteBuffer... parts) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel out = open(tmp, Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE))) {
                long pos = 0;
                for (ByteBuffer p : parts) {
                    int n = p.remaining();
                    write(tmp, out, p, pos);
                    pos += n;
                }
                force(tmp, out, true);
            }
            move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(tmp, e);
            throw e;
        }
        forceDirectory(file.getParent());
    }

    private static void deleteQuietly(Path file, IOException cause) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }

    /** Makes a rename or delete durable. Windows cannot open a directory; NTFS journals the metadata itself. */
    static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.log(Level.FINEST, "directory fsync not supported here", e);
        }
    }

    /** The text of a failed write for logs and health: the OS message, never a stack trace. */
    static String describe(IOException e) {
        if (e instanceof FileSystemException f) {
            String why = f.getReason() != null ? f.getReason() : e.getClass().getSimpleName();
            return why + " [" + f.getFile() + "]";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
