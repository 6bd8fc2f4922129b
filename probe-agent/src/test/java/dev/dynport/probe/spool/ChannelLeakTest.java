package dev.dynport.probe.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every file channel the spool opens is closed again when opening or appending fails half-way. */
class ChannelLeakTest {
    @TempDir
    Path dir;

    /** Hands out channels that fail the chosen call; remembers every real channel to check it was closed. */
    private static final class Io extends SpoolIo {
        final List<FileChannel> opened = new ArrayList<>();
        boolean failSize;
        boolean failLock;
        boolean failWrite;

        @Override
        FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException {
            FileChannel real = super.open(file, options);
            opened.add(real);
            return new Failing(real, this);
        }

        @Override
        void write(Path file, FileChannel ch, ByteBuffer b, long position) throws IOException {
            if (failWrite) {
                throw new IllegalStateException("constructed failure in write");
            }
            super.write(file, ch, b, position);
        }

        long stillOpen() {
            return opened.stream().filter(FileChannel::isOpen).count();
        }
    }

    private Spool.Options options() {
        return new Spool.Options(dir, 1 << 20, 10_000, 4096);
    }

    @Test
    void aSegmentWhoseSizeCannotBeReadIsClosedWhenOpeningFails() throws IOException {
        try (Spool s = Spool.open(options(), List.of("a"))) {
            s.append("one".getBytes(StandardCharsets.UTF_8));
        }
        Io io = new Io();
        io.failSize = true;
        IOException e = assertThrows(IOException.class, () -> Spool.open(options(), List.of("a"), io,
                Clock.systemUTC()));
        assertEquals("constructed failure in size", e.getMessage());
        assertEquals(0, io.stillOpen(), "channels left open");
    }

    @Test
    void aLockFileThatCannotBeLockedIsClosed() {
        Io io = new Io();
        io.failLock = true;
        IOException e = assertThrows(IOException.class, () -> Spool.open(options(), List.of("a"), io,
                Clock.systemUTC()));
        assertEquals("constructed failure in tryLock", e.getMessage());
        assertEquals(0, io.stillOpen(), "channels left open");
    }

    @Test
    void aNewSegmentWhoseHeaderWriteFailsIsClosed() throws IOException {
        Io io = new Io();
        try (Spool s = Spool.open(options(), List.of("a"), io, Clock.systemUTC())) {
            long before = io.stillOpen(); // the lock file
            io.failWrite = true;
            assertThrows(RuntimeException.class, () -> s.append("one".getBytes(StandardCharsets.UTF_8)));
            assertEquals(before, io.stillOpen(), "channels left open");
        }
    }

    /** Delegates everything to the real channel except the calls an {@link Io} is told to fail. */
    private static final class Failing extends FileChannel {
        private final FileChannel real;
        private final Io io;

        Failing(FileChannel real, Io io) {
            this.real = real;
            this.io = io;
        }

        @Override
        public long size() throws IOException {
            if (io.failSize) {
                throw new IOException("constructed failure in size");
            }
            return real.size();
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            if (io.failLock) {
                throw new IOException("constructed failure in tryLock");
            }
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return real.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return real.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            real.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return real.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return real.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return real.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }
    }
}
