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
    private boolean closed;

    BoundedSink(long limit) {
        this.limit = limit;
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

    /** JSch closes the stream on the channel's EOF. */
    @Override
    public synchronized void close() {
        closed = true;
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
