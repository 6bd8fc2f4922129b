package dev.dynport.probe.ops;

import dev.dynport.check.util.NamedThreads;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The operations endpoint ({@code /healthz}, {@code /metrics}: see {@link OpsHandler}), bound to 127.0.0.1 by
 * default. Not the JDK's {@code HttpServer} (nor the Prometheus client's server, which wraps it): that server
 * reads each request head on a pool thread with no deadline of its own, so as many slow clients as it has threads
 * hold every thread, and its only timeouts and connection cap are JVM-wide system properties read once.
 *
 * <p>Here one thread ({@code dynport-ops-io}) does all network I/O without blocking: it accepts, reads request
 * heads and writes responses. Only a complete head goes to a worker ({@code dynport-ops-worker-N}, {@link
 * Limits#workers()} of them), which builds the response in memory and never touches the socket. So:
 * <ul>
 * <li>a client that sends half a request line holds a few KiB, never a thread;</li>
 * <li>each connection has {@link Limits#requestTimeout()} from accept to the last byte of its response: one past
 * it gets {@code 408} if it has not sent a whole head (best effort) and is closed;</li>
 * <li>at most {@link Limits#maxConnections()} connections are open: a new one past the cap evicts the oldest
 * connection still sending its head (closed without a response), so idle or slow connections can delay a
 * health check by at most one request timeout and never lock it out;</li>
 * <li>a head over {@link Limits#maxHeadBytes()} gets {@code 431}; one request per connection
 * ({@code Connection: close}).</li>
 * </ul>
 * Refusals are counted in {@code dynport_ops_refused_total{reason}}.
 */
public final class OpsServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OpsServer.class.getName());
    private static final long ACCEPT_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * @param maxConnections open connections at most, all states together
     * @param requestTimeout from accept to the end of the response
     * @param maxHeadBytes the request line and headers together
     * @param workers threads that build responses (health check, metric collection)
     */
    public record Limits(int maxConnections, Duration requestTimeout, int maxHeadBytes, int workers) {
        public static final Limits DEFAULT = new Limits(32, Duration.ofSeconds(5), 8192, 2);
    }

    private enum Phase { READING, WORKING, WRITING, CLOSED }

    private static final class Conn {
        final SocketChannel channel;
        final long deadline;
        final ByteBuffer in;
        SelectionKey key;
        ByteBuffer out;
        Phase phase = Phase.READING;
        int scanned;

        Conn(SocketChannel channel, long deadline, int maxHead) {
            this.channel = channel;
            this.deadline = deadline;
            this.in = ByteBuffer.allocate(maxHead);
        }
    }

    private final ServerSocketChannel server;
    private final Selector selector;
    private final OpsHandler handler;
    private final Limits limits;
    private final ThreadPoolExecutor workers;
    private final Thread io;
    /** In accept order, so the first is the oldest and has the earliest deadline. Touched by the I/O thread only. */
    private final Set<Conn> conns = new LinkedHashSet<>();
    private final Queue<Conn> answered = new ConcurrentLinkedQueue<>();
    private volatile boolean closing;
    private final SelectionKey acceptKey;
    /** While not 0, accepting is paused until this {@link System#nanoTime()}. */
    private long acceptPausedUntil;

    private OpsServer(ServerSocketChannel server, Selector selector, SelectionKey acceptKey, OpsHandler handler,
            Limits limits) {
        this.server = server;
        this.acceptKey = acceptKey;
        this.selector = selector;
        this.handler = handler;
        this.limits = limits;
        // The queue never fills in practice: each entry is an open connection, and they are capped.
        this.workers = new ThreadPoolExecutor(limits.workers(), limits.workers(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(limits.maxConnections()), NamedThreads.numbered("dynport-ops-worker"));
        this.io = NamedThreads.daemon("dynport-ops-io", this::loop);
    }

    /** Binds and starts serving; {@code port} 0 picks a free port (see {@link #port()}). */
    public static OpsServer start(String address, int port, BooleanSupplier running) throws IOException {
        return start(address, port, HealthCheck.of(running, "stopped"), null, Limits.DEFAULT);
    }

    /**
     * @param bearerToken when not null, every request must carry {@code Authorization: Bearer <token>}; the array
     *        is copied, the caller may clear its own
     */
    public static OpsServer start(String address, int port, HealthCheck health, char[] bearerToken, Limits limits)
            throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        Selector selector = null;
        SelectionKey acceptKey;
        try {
            server.bind(new InetSocketAddress(InetAddress.getByName(address), port), limits.maxConnections());
            server.configureBlocking(false);
            selector = Selector.open();
            acceptKey = server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            server.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
        OpsServer ops = new OpsServer(server, selector, acceptKey, new OpsHandler(health, bearerToken), limits);
        ops.io.start();
        return ops;
    }

    public void register(MetricSource source) {
        handler.register(source);
    }

    public int port() {
        return server.socket().getLocalPort();
    }

    private void loop() {
        try {
            while (!closing) {
                selector.select(waitMillis());
                if (acceptPausedUntil != 0 && System.nanoTime() - acceptPausedUntil >= 0) {
                    acceptPausedUntil = 0;
                    acceptKey.interestOps(SelectionKey.OP_ACCEPT);
                }
                for (Conn c; (c = answered.poll()) != null; ) {
                    if (c.phase == Phase.WORKING) {
                        c.phase = Phase.WRITING;
                        c.key.interestOps(SelectionKey.OP_WRITE);
                    }
                }
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (!k.isValid()) {
                        continue;
                    }
                    if (k.isAcceptable()) {
                        accept();
                    } else if (k.isReadable()) {
                        read((Conn) k.attachment());
                    } else if (k.isWritable()) {
                        write((Conn) k.attachment());
                    }
                }
                expire();
            }
        } catch (ClosedSelectorException e) {
            // closed under us by close(): nothing left to serve
        } catch (IOException | RuntimeException e) {
            // A bug or the selector failing: the endpoint is gone, say so once, loudly.
            LOG.log(Level.SEVERE, "ops endpoint stopped: " + e, e);
        }
    }

    /** Until the oldest connection's deadline or the end of an accept pause; 0 (no limit) when neither. */
    private long waitMillis() {
        long next = Long.MAX_VALUE;
        if (!conns.isEmpty()) {
            next = conns.iterator().next().deadline - System.nanoTime();
        }
        if (acceptPausedUntil != 0) {
            next = Math.min(next, acceptPausedUntil - System.nanoTime());
        }
        return next == Long.MAX_VALUE ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(next) + 1);
    }

    private void accept() {
        while (true) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                // Typically out of file descriptors. The pending connection keeps the key ready, so stop accepting
                // for a moment rather than spin; connections already open are still served.
                LOG.warning("ops endpoint cannot accept a connection, pausing 1 s: " + e);
                acceptKey.interestOps(0);
                acceptPausedUntil = System.nanoTime() + ACCEPT_PAUSE_NANOS;
                return;
            }
            if (ch == null) {
                return;
            }
            while (conns.size() >= limits.maxConnections()) {
                Conn oldest = conns.stream().filter(c -> c.phase == Phase.READING).findFirst().orElse(null);
                if (oldest == null) {
                    break;
                }
                handler.refused("evicted");
                close(oldest);
            }
            Conn c = new Conn(ch, System.nanoTime() + limits.requestTimeout().toNanos(), limits.maxHeadBytes());
            if (conns.size() >= limits.maxConnections()) {
                handler.refused("over_capacity");
                closeChannel(c);
                continue;
            }
            try {
                ch.configureBlocking(false);
                c.key = ch.register(selector, SelectionKey.OP_READ, c);
                conns.add(c);
            } catch (IOException e) {
                closeChannel(c);
            }
        }
    }

    private void read(Conn c) {
        int n;
        try {
            n = c.channel.read(c.in);
        } catch (IOException e) {
            close(c);
            return;
        }
        if (n < 0) {
            close(c);
            return;
        }
        int end = headEnd(c);
        if (end >= 0) {
            c.phase = Phase.WORKING;
            c.key.interestOps(0);
            byte[] head = new byte[end];
            c.in.get(0, head);
            try {
                workers.execute(() -> {
                    c.out = ByteBuffer.wrap(handler.respond(head));
                    answered.add(c);
                    selector.wakeup();
                });
            } catch (RejectedExecutionException e) {
                respondNow(c, OpsHandler.busy(), "busy");
            }
        } else if (!c.in.hasRemaining()) {
            respondNow(c, OpsHandler.headTooLarge(), "head_too_large");
        }
    }

    /** The length of the head up to its blank line ({@code CRLF CRLF} or bare {@code LF LF}), or -1; linear. */
    private static int headEnd(Conn c) {
        int limit = c.in.position();
        for (int i = Math.max(c.scanned, 1); i < limit; i++) {
            if (c.in.get(i) == '\n' && (c.in.get(i - 1) == '\n'
                    || i >= 2 && c.in.get(i - 1) == '\r' && c.in.get(i - 2) == '\n')) {
                return i + 1;
            }
        }
        c.scanned = limit;
        return -1;
    }

    private void respondNow(Conn c, byte[] response, String reason) {
        handler.refused(reason);
        c.out = ByteBuffer.wrap(response);
        c.phase = Phase.WRITING;
        c.key.interestOps(SelectionKey.OP_WRITE);
    }

    private void write(Conn c) {
        try {
            c.channel.write(c.out);
        } catch (IOException e) {
            close(c);
            return;
        }
        if (!c.out.hasRemaining()) {
            try {
                c.channel.shutdownOutput();
            } catch (IOException e) {
                // the client left already; closing is all that is left to do
            }
            close(c);
        }
    }

    private void expire() {
        long now = System.nanoTime();
        for (Iterator<Conn> it = conns.iterator(); it.hasNext(); ) {
            Conn c = it.next();
            if (now - c.deadline < 0) {
                break; // accept order is deadline order
            }
            it.remove();
            handler.refused("timeout");
            if (c.phase == Phase.READING) {
                try {
                    c.channel.write(ByteBuffer.wrap(OpsHandler.timeout())); // best effort, never waits
                } catch (IOException e) {
                    // the client is gone or stuck; it is closed below either way
                }
            }
            closeChannel(c);
        }
    }

    private void close(Conn c) {
        conns.remove(c);
        closeChannel(c);
    }

    private static void closeChannel(Conn c) {
        c.phase = Phase.CLOSED;
        try {
            c.channel.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }

    /** Stops at once: open connections are closed, a response being built is dropped. */
    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        try {
            io.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
        for (Conn c : List.copyOf(conns)) {
            closeChannel(c);
        }
        try {
            server.close();
            selector.close();
        } catch (IOException e) {
            LOG.fine("ops endpoint close: " + e);
        }
    }
}
