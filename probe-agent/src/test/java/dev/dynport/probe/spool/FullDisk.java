package dev.dynport.probe.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A constructed full disk for unit tests: the chosen operations fail with the message Linux gives for ENOSPC until
 * {@link #heal()}. A failing write first writes half of its bytes, as a real full disk can.
 */
public final class FullDisk extends SpoolIo {
    public static final String ENOSPC = "No space left on device";

    private final Set<Op> failing = EnumSet.noneOf(Op.class);
    /** How many operations were refused: a test can see that the code under test did try. */
    public final AtomicInteger refused = new AtomicInteger();

    public synchronized FullDisk fail(Op... ops) {
        failing.addAll(Set.of(ops));
        return this;
    }

    public synchronized FullDisk failAll() {
        return fail(Op.values());
    }

    public synchronized void heal() {
        failing.clear();
    }

    private synchronized boolean fails(Op op) {
        return failing.contains(op);
    }

    @Override
    protected void before(Op op, Path file) throws IOException {
        if (fails(op)) {
            refused.incrementAndGet();
            throw new IOException(ENOSPC);
        }
    }

    @Override
    void write(Path file, FileChannel ch, ByteBuffer b, long position) throws IOException {
        if (fails(Op.WRITE) && b.remaining() > 1) {
            ByteBuffer half = b.duplicate();
            half.limit(half.position() + half.remaining() / 2);
            int from = half.position();
            while (half.hasRemaining()) {
                ch.write(half, position + half.position() - from);
            }
            refused.incrementAndGet();
            throw new IOException(ENOSPC);
        }
        super.write(file, ch, b, position);
    }
}
