package dev.dynport.check.judge;

import dev.dynport.check.model.Family;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The exact commands that fix what was found, in the order an operator runs them, and the caveats that
 * decide whether they work.
 */
final class Remediation {
    private Remediation() {
    }

    record Advice(List<String> commands, List<String> caveats) {
    }

    static String exclusionCommand(Family family, int port) {
        return "netsh int " + family.label() + " add excludedportrange protocol=tcp startport=" + port + " numberofports=1";
    }

    static Advice advise(List<PortReport> reports) {
        Set<String> commands = new LinkedHashSet<>();
        Set<String> caveats = new LinkedHashSet<>();
        boolean systemReserved = false;
        for (PortReport report : reports) {
            for (Finding f : report.findings()) {
                if (f.code() == FindingCode.SYSTEM_RESERVED) {
                    systemReserved = true;
                }
            }
        }
        if (systemReserved) {
            // Stopping WinNAT releases its reservations; an administered exclusion added meanwhile keeps the port
            // out of the ranges that WinNAT/HNS reserves when it starts again.
            commands.add("net stop winnat");
        }
        for (PortReport report : reports) {
            for (Finding f : report.findings()) {
                int port = report.port().port();
                switch (f.code()) {
                    case EXPOSED, RECENT_EPHEMERAL_USE, SYSTEM_RESERVED -> commands.add(exclusionCommand(f.family(), port));
                    case FOREIGN_HOLDER -> {
                        caveats.add("Port " + port + " is held by another process: stop it or wait until its connection"
                                + " closes, add the exclusion while the port is free, then start "
                                + String.join("/", report.port().owners()) + ".");
                    }
                    default -> {
                    }
                }
            }
        }
        if (systemReserved) {
            commands.add("net start winnat");
            caveats.add("Unmarked exclusions are reserved by Hyper-V/WinNAT and can move at reboot; the administered"
                    + " exclusion keeps the port out of them.");
        }
        if (!commands.isEmpty()) {
            caveats.add("Run the netsh commands from an elevated prompt while the port is free; netsh refuses an"
                    + " exclusion for a port in use (\"The process cannot access the file because it is being used"
                    + " by another process\").");
            caveats.add("Windows Server 2008/2008 R2 needs hotfix KB2665809 before port exclusions work.");
            caveats.add("KB3039044: on 2008 R2/2012/2012 R2 a second SO_REUSEADDR bind to an excluded port can fail"
                    + " with WSAEACCES (10013); Exchange sets SO_REUSEADDR, so install it before relying on the"
                    + " exclusion across service restarts.");
            caveats.add("Exclusions persist across reboots (store=persistent is the default); every Exchange CU"
                    + " re-applies the dynamic range, so re-run this check after each CU.");
        }
        return new Advice(new ArrayList<>(commands), new ArrayList<>(caveats));
    }
}
