package dev.dynport.check.acquire;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

/**
 * Collects what JSch's session thread writes for one channel stream, up to {@code limit} bytes; the rest is
 * counted and dropped. Thread-safe: written by JSch, read by the transport and the timeout message.
 */
final class BoundedSink extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final long limit;
    private long dropped;
    private final Runnable onClose;
    private boolean closed;

    /** {@code onClose} runs after every close, outside this sink's lock, so a waiter can wake without polling. */
    BoundedSink(long limit, Runnable onClose) {
        this.limit = limit;
        this.onClose = onClose;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        long room = Math.max(0, limit - bytes.size());
        int keep = (int) Math.min(room, len);
        bytes.write(b, off, keep);
        dropped += len - keep;
    }

    /**
     * JSch closes stdout on the channel's EOF, and both streams again when the channel closes (after
     * {@code isClosed()} turned true, and after the exit status arrived).
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        onClose.run();
    }

    synchronized byte[] toByteArray() {
        return bytes.toByteArray();
    }

    synchronized int size() {
        return bytes.size();
    }

    synchronized boolean overflowed() {
        return dropped > 0;
    }

    synchronized boolean closed() {
        return closed;
    }
}
