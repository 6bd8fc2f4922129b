package dev.dynport.check.judge;

import dev.dynport.check.model.ExcludedRange;
import dev.dynport.check.model.ExcludedRanges;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.HostFacts;
import java.util.Optional;

/**
 * What an unmarked (not administered) exclusion is, named only as far as the snapshot shows it.
 *
 * <p>WinNAT/HNS (Hyper-V, containers, WSL) reserve blocks, typically of 100 ports and sometimes merged into larger
 * rows; stopping WinNAT releases them. Single unmarked ports such as 80, 5985, 5986, 47001 and 5357 appear in real
 * captures of hosts without WinNAT: reservations made through the persistent port reservation API, by http.sys
 * among others (PID 4 listens on several). {@code net stop winnat} cannot release those, so it is offered only for
 * a block.
 */
enum SystemReservation {
    /** One port, and System (PID 4, http.sys) listens on it in that family. */
    HTTP_SYS("reserved by the system (http.sys/port reservation API)", "a system (http.sys) port reservation"),
    /** A row of at least {@link #BLOCK_MIN} ports: the size WinNAT/HNS reserves. */
    WINNAT_BLOCK("a WinNAT/HNS-style block (Hyper-V, containers, WSL)", "a WinNAT/HNS port reservation block"),
    /** Anything else: a reservation whose maker the snapshot does not show. */
    UNKNOWN("an unknown system reservation (made through the port reservation API; no process shown)",
            "an unknown system port reservation");

    /** Smaller rows are not called WinNAT: its blocks are 100 ports, merged rows larger. */
    static final int BLOCK_MIN = 50;

    private final String description;
    private final String brief;

    SystemReservation(String description, String brief) {
        this.description = description;
        this.brief = brief;
    }

    String description() {
        return description;
    }

    String brief() {
        return brief;
    }

    static SystemReservation classify(ExcludedRange r, Family family, HostFacts facts) {
        if (r.end() - r.start() + 1 >= BLOCK_MIN) {
            return WINNAT_BLOCK;
        }
        if (r.start() == r.end() && facts.netstat().listenersOn(r.start(), family).stream()
                .anyMatch(e -> e.isListener() && e.pid() == PortRules.SYSTEM_PID)) {
            return HTTP_SYS;
        }
        return UNKNOWN;
    }

    /** The kind of the unmarked row covering the port in that family, if any. */
    static Optional<SystemReservation> covering(int port, Family family, HostFacts facts) {
        ExcludedRanges table = facts.exclusions().get(family);
        return table == null ? Optional.empty()
                : table.systemCovering(port).map(r -> classify(r, family, facts));
    }
}
