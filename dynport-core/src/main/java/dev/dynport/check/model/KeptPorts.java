package dev.dynport.check.model;

import java.util.Set;
import java.util.function.IntPredicate;

/**
 * The port filters a netstat reader keeps rows by ({@link NetstatTable}). Named classes, not lambdas: they sit on
 * a check's start-up path, where each lambda call site costs a link on first use (docs/startup.md).
 */
public final class KeptPorts {
    private KeptPorts() {
    }

    /** Every port: a table that keeps every row. */
    public static final IntPredicate EVERY = new Every();

    /** The ports in {@code ports} (copied). */
    public static IntPredicate of(Set<Integer> ports) {
        return new In(Set.copyOf(ports));
    }

    /** The ports {@code table} covers and those in {@code more} (copied). */
    public static IntPredicate widen(NetstatTable table, Set<Integer> more) {
        return new Either(table, Set.copyOf(more));
    }

    private static final class Every implements IntPredicate {
        @Override
        public boolean test(int port) {
            return true;
        }
    }

    private static final class In implements IntPredicate {
        private final Set<Integer> ports;

        In(Set<Integer> ports) {
            this.ports = ports;
        }

        @Override
        public boolean test(int port) {
            return ports.contains(port);
        }
    }

    private static final class Either implements IntPredicate {
        private final NetstatTable covered;
        private final Set<Integer> more;

        Either(NetstatTable covered, Set<Integer> more) {
            this.covered = covered;
            this.more = more;
        }

        @Override
        public boolean test(int port) {
            return covered.covers(port) || more.contains(port);
        }
    }
}
