package dev.dynport.check.model;

import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which local TCP ports are in use, per family, and by which PID: every TCP row counts, whatever its state
 * (listeners, connections, TIME_WAIT under PID 0). Filled while netstat is read, row by row, so its size is
 * bounded by the port space (a 64 Kibit set per family, one per PID that holds ports), never by the rows; the
 * table it belongs to keeps only the rows the rules read.
 *
 * <p>A port counts once however many local addresses or connections use it: Windows hands out an ephemeral port
 * for an outbound connection from one host-wide pool, not one per local address (see docs/usage.md), so a port
 * in use on any address is gone for every implicit bind. Any backend that yields rows with a local port and a
 * PID (the Windows netstat parser, a Linux {@code ss} or {@code /proc/net/tcp} reader) can fill one.
 *
 * <p>Mutable while the parser fills it, then handed to a {@link NetstatTable} and only read.
 */
public final class PortTally {
    private final Map<Family, BitSet> ports = new EnumMap<>(Family.class);
    private final Map<Family, Map<Integer, BitSet>> byPid = new EnumMap<>(Family.class);

    public PortTally() {
        for (Family f : Family.values()) {
            ports.put(f, new BitSet(65536));
            byPid.put(f, new HashMap<>());
        }
    }

    /** The tally of the given rows (a table built from a list). */
    public static PortTally of(List<TcpEndpoint> rows) {
        PortTally tally = new PortTally();
        for (TcpEndpoint row : rows) {
            tally.add(row);
        }
        return tally;
    }

    /** The ports of both tallies (e.g. /proc/net/tcp's and /proc/net/tcp6's); neither is changed. */
    public static PortTally union(PortTally a, PortTally b) {
        PortTally u = new PortTally();
        for (PortTally t : List.of(a, b)) {
            for (Family f : Family.values()) {
                u.ports.get(f).or(t.ports.get(f));
                for (Map.Entry<Integer, BitSet> e : t.byPid.get(f).entrySet()) {
                    u.ofPid(f, e.getKey()).or(e.getValue());
                }
            }
        }
        return u;
    }

    public void add(TcpEndpoint row) {
        add(row.family(), row.localPort(), row.pid());
    }

    public void add(Family family, int localPort, int pid) {
        ports.get(family).set(localPort);
        ofPid(family, pid).set(localPort);
    }

    // Loops and get/put rather than forEach and computeIfAbsent with lambdas: the tally is filled on a check's
    // start-up path, where each lambda call site costs a link on first use (docs/startup.md).
    private BitSet ofPid(Family family, int pid) {
        Map<Integer, BitSet> sets = byPid.get(family);
        BitSet set = sets.get(pid);
        if (set == null) {
            set = new BitSet();
            sets.put(pid, set);
        }
        return set;
    }

    /** How many distinct local ports of the family are in use among {@code candidates} (not changed). */
    public int used(Family family, BitSet candidates) {
        BitSet b = (BitSet) ports.get(family).clone();
        b.and(candidates);
        return b.cardinality();
    }

    /** Per PID, how many distinct local ports of the family it uses among {@code candidates}; PIDs with none left out. */
    public Map<Integer, Integer> usedByPid(Family family, BitSet candidates) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (Map.Entry<Integer, BitSet> e : byPid.get(family).entrySet()) {
            BitSet b = (BitSet) e.getValue().clone();
            b.and(candidates);
            if (!b.isEmpty()) {
                counts.put(e.getKey(), b.cardinality());
            }
        }
        return counts;
    }

    @Override
    public String toString() {
        return "PortTally[ipv4=" + ports.get(Family.IPV4).cardinality() + ", ipv6="
                + ports.get(Family.IPV6).cardinality() + "]";
    }
}
