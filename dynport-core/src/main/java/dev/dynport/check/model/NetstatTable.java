package dev.dynport.check.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The TCP rows of {@code netstat -ano} that the rules read; UDP rows are not kept.
 *
 * <p>Invariant (what keeps a busy server's table small without a wrong OK): the table knows how many TCP rows
 * the output held, holds every listener, and holds every row, whatever its state, whose local port it
 * {@linkplain #covers covers}. A row on a port it does not cover is counted and dropped. Listeners are all a
 * port's discovery needs (back-end ports, unnamed back-end images, http.sys reservations); the foreign holders,
 * connections and TIME_WAIT rows on a port are read only through {@link #onLocalPort}, which refuses a port the
 * table does not cover instead of answering "no rows" (which would read as "nobody holds it"). The judge makes
 * the table cover every watched port before the port rules run.
 *
 * <p>Port usage does not need the dropped rows either: the {@link #tally()} holds every TCP row's local port and
 * PID, as a set per family and per PID.
 */
public final class NetstatTable {
    private final List<TcpEndpoint> kept;
    private final List<TcpEndpoint> listeners;
    private final int tcpRows;
    private final IntPredicate covered;
    private final PortTally tally;

    /** A table that holds every row it is given (tests, and small outputs read whole). */
    public NetstatTable(List<TcpEndpoint> endpoints) {
        this(endpoints, endpoints.size(), KeptPorts.EVERY, PortTally.of(endpoints));
    }

    /**
     * @param kept every listener and every row on a covered port, in output order
     * @param tcpRows how many TCP rows the output held, kept or not
     * @param covered the ports all of whose rows are in {@code kept}
     * @param tally the local ports of every TCP row, kept or not (the table does not copy it; nobody may add to
     *     it afterwards). A reader that drops rows must tally them as it reads: a tally of the kept rows alone
     *     would count a busy host's usage low, so there is no constructor that makes one.
     */
    public NetstatTable(List<TcpEndpoint> kept, int tcpRows, IntPredicate covered, PortTally tally) {
        this.tally = tally;
        this.kept = List.copyOf(kept);
        this.tcpRows = tcpRows;
        this.covered = covered;
        List<TcpEndpoint> l = new ArrayList<>();
        for (TcpEndpoint e : this.kept) {
            if (e.isListener()) {
                l.add(e);
            } else if (!covered.test(e.localPort())) {
                throw new IllegalArgumentException("row on a port the table does not cover [" + e.localPort() + "]");
            }
        }
        this.listeners = List.copyOf(l);
        if (tcpRows < this.kept.size()) {
            throw new IllegalArgumentException("fewer TCP rows than kept [" + tcpRows + " < " + this.kept.size() + "]");
        }
    }

    /** The rows kept: all of them for a table built from a list; listeners and rows on covered ports otherwise. */
    public List<TcpEndpoint> endpoints() {
        return kept;
    }

    public List<TcpEndpoint> listeners() {
        return listeners;
    }

    /** How many TCP rows netstat printed, including those not kept. */
    public int tcpRows() {
        return tcpRows;
    }

    /** The local ports of every TCP row netstat printed, kept or not, per family and PID. */
    public PortTally tally() {
        return tally;
    }

    /** Whether {@link #onLocalPort} can answer for this port. */
    public boolean covers(int port) {
        return covered.test(port);
    }

    /**
     * Every row on the port in that family.
     *
     * @throws IllegalStateException for a port the table does not cover: its rows were dropped, and an empty list
     *     would say that nothing holds the port
     */
    public List<TcpEndpoint> onLocalPort(int port, Family family) {
        if (!covered.test(port)) {
            throw new IllegalStateException("netstat rows on port " + port + " were not kept");
        }
        return on(kept, port, family);
    }

    /** The listeners on the port in that family; any port. */
    public List<TcpEndpoint> listenersOn(int port, Family family) {
        return on(listeners, port, family);
    }

    private static List<TcpEndpoint> on(List<TcpEndpoint> rows, int port, Family family) {
        List<TcpEndpoint> found = new ArrayList<>();
        for (TcpEndpoint e : rows) {
            if (e.localPort() == port && e.family() == family) {
                found.add(e);
            }
        }
        return Collections.unmodifiableList(found);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetstatTable t && t.kept.equals(kept) && t.tcpRows == tcpRows;
    }

    @Override
    public int hashCode() {
        return kept.hashCode() * 31 + tcpRows;
    }

    @Override
    public String toString() {
        return "NetstatTable[tcpRows=" + tcpRows + ", kept=" + kept.size() + ", listeners=" + listeners.size() + "]";
    }
}
