package dev.dynport.check.judge;

import dev.dynport.check.model.CaptureInfo;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.HostFacts;
import dev.dynport.check.model.Platform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The exact commands that fix what was found, in the order that works, and the caveats that decide whether they
 * work. netsh refuses an exclusion for a port in use ("being used by another process"), so:
 * <ul>
 * <li>owner service listening on the port: stop it, add the exclusion (each family that needs it), start it;
 * <li>foreign holder: it must release the port first (its connection closes, or it is stopped), then the
 *     exclusion, then the owner is started;
 * <li>inside a WinNAT/HNS block: net stop winnat, the exclusion, net start winnat; a single http.sys or unknown
 *     system reservation is not WinNAT's, so only a note says what to look for.
 * </ul>
 * The 2008/2012 KB notes print only for the Windows version the capture-info section shows (6.0 is 2008, 6.1
 * 2008 R2, 6.2 2012, 6.3 2012 R2), or once as a conditional note when the snapshot has no version.
 */
final class Remediation {
    private Remediation() {
    }

    /**
     * @param commands host-wide, in order; @param caveats host-wide notes; @param perPort each port's own commands
     *     and notes (the same texts)
     */
    record Advice(List<String> commands, List<String> caveats, Map<Integer, PortAdvice> perPort) {
        PortAdvice of(int port) {
            return perPort.getOrDefault(port, PortAdvice.NONE);
        }
    }

    record PortAdvice(List<String> commands, List<String> notes) {
        static final PortAdvice NONE = new PortAdvice(List.of(), List.of());
    }

    static String exclusionCommand(Family family, int port) {
        return "netsh int " + family.label() + " add excludedportrange protocol=tcp startport=" + port + " numberofports=1";
    }

    static Advice advise(List<PortReport> reports, HostFacts facts, CaptureInfo capture) {
        if (facts.platform() == Platform.LINUX) {
            // No netsh, no WinNAT, no Windows KB notes: a sysctl and its drop-in.
            return LinuxRemediation.advise(reports, facts);
        }
        List<String> winnat = new ArrayList<>();
        Set<String> commands = new LinkedHashSet<>();
        Set<String> caveats = new LinkedHashSet<>();
        Map<Integer, PortAdvice> perPort = new LinkedHashMap<>();
        for (PortReport report : reports) {
            int port = report.port().port();
            List<Family> exclude = new ArrayList<>();
            List<String> portWinnat = new ArrayList<>();
            Set<String> portCommands = new LinkedHashSet<>();
            Set<String> portNotes = new LinkedHashSet<>();
            for (Family family : Family.values()) {
                for (Finding f : report.findings(family)) {
                    switch (f.code()) {
                        case EXPOSED, RECENT_EPHEMERAL_USE -> {
                            if (!exclude.contains(family)) {
                                exclude.add(family);
                            }
                        }
                        case SYSTEM_RESERVED -> {
                            SystemReservation kind = SystemReservation.covering(port, family, facts)
                                    .orElse(SystemReservation.UNKNOWN);
                            if (kind == SystemReservation.WINNAT_BLOCK) {
                                winnat.add(exclusionCommand(family, port));
                                portWinnat.add(exclusionCommand(family, port));
                            } else {
                                portNotes.add("Port " + port + " (" + family.label() + ") is " + kind.description()
                                        + ", not WinNAT's: find what reserved it (netsh http show urlacl, netsh http"
                                        + " show servicestate) and remove that reservation, then run "
                                        + exclusionCommand(family, port) + ".");
                            }
                        }
                        case FOREIGN_HOLDER -> portNotes.add("Port " + port + " is held by another process: it must"
                                + " release the port first (wait until its connection closes, or stop that process or"
                                + " service), then add the exclusion while the port is free, then start "
                                + String.join("/", report.port().owners()) + ".");
                        default -> {
                        }
                    }
                }
            }
            if (!portWinnat.isEmpty()) {
                portCommands.add("net stop winnat");
                portCommands.addAll(portWinnat);
                portCommands.add("net start winnat");
            }
            if (!exclude.isEmpty()) {
                List<String> ownSteps = new ArrayList<>();
                String service = listeningOwnerService(report, exclude);
                if (service != null) {
                    ownSteps.add("net stop " + service);
                    portNotes.add("Port " + port + ": " + service + " listens on it and netsh refuses an exclusion for"
                            + " a port in use, so stop it, add the exclusion, start it again (net stop " + service
                            + ", then the netsh command(s) for " + port + ", then net start " + service + ").");
                }
                for (Family family : exclude) {
                    ownSteps.add(exclusionCommand(family, port));
                }
                if (service != null) {
                    ownSteps.add("net start " + service);
                }
                // The host-wide list keeps the WinNAT group first; this port's own steps follow in their order.
                portCommands.addAll(ownSteps);
                commands.addAll(ownSteps);
            }
            caveats.addAll(portNotes);
            if (!portCommands.isEmpty() || !portNotes.isEmpty()) {
                perPort.put(port, new PortAdvice(List.copyOf(portCommands), List.copyOf(portNotes)));
            }
        }
        List<String> ordered = new ArrayList<>();
        if (!winnat.isEmpty()) {
            // Stopping WinNAT releases its reservations; an administered exclusion added meanwhile keeps the port
            // out of the blocks that WinNAT/HNS reserves when it starts again.
            ordered.add("net stop winnat");
            ordered.addAll(winnat);
            ordered.add("net start winnat");
            caveats.add("WinNAT/HNS-style blocks (Hyper-V, containers, WSL) can move at reboot; the administered"
                    + " exclusion keeps the port out of them.");
        }
        ordered.addAll(commands);
        if (!ordered.isEmpty()) {
            caveats.add("Run the netsh commands from an elevated prompt while the port is free; netsh refuses an"
                    + " exclusion for a port in use (\"The process cannot access the file because it is being used"
                    + " by another process\").");
            caveats.addAll(osNotes(capture));
            caveats.add("Exclusions persist across reboots (store=persistent is the default); every Exchange CU"
                    + " re-applies the dynamic range, so re-run this check after each CU.");
        }
        return new Advice(ordered, new ArrayList<>(caveats), perPort);
    }

    static final String KB2665809 = "Windows Server 2008/2008 R2 need hotfix KB2665809 before port exclusions work";
    static final String KB3039044 = "KB3039044 fixes a second SO_REUSEADDR bind to an excluded port failing with"
            + " WSAEACCES (10013), which Exchange's listener does";

    /** KB notes for the OS version the snapshot shows; both, as a conditional, when it shows none. */
    static List<String> osNotes(CaptureInfo capture) {
        if (capture == null) {
            return List.of("Only on Windows Server 2008 R2/2012 R2 (the snapshot does not show the OS version): "
                    + KB2665809 + "; " + KB3039044 + ".");
        }
        String[] v = capture.osVersion().split("\\.");
        String majorMinor = v[0] + "." + v[1];
        List<String> notes = new ArrayList<>();
        if (majorMinor.equals("6.0") || majorMinor.equals("6.1")) {
            notes.add("Windows " + capture.osVersion() + ": " + KB2665809 + ".");
        }
        if (majorMinor.equals("6.1") || majorMinor.equals("6.2") || majorMinor.equals("6.3")) {
            notes.add("Windows " + capture.osVersion() + ": " + KB3039044 + ".");
        }
        return notes;
    }

    /**
     * The owner service listening on the port in one of the families to exclude, by service name (an image-only
     * owner such as msexchangerepl.exe gives the profile's service name); null when none listens.
     */
    private static String listeningOwnerService(PortReport report, List<Family> families) {
        for (Holder h : report.holders()) {
            if (!h.owner() || !families.contains(h.family()) || !"LISTENING".equals(h.tcpState())) {
                continue;
            }
            for (String s : h.services()) {
                for (String o : report.port().owners()) {
                    if (o.toLowerCase(Locale.ROOT).equals(s.toLowerCase(Locale.ROOT))) {
                        return s;
                    }
                }
            }
            for (String o : report.port().owners()) {
                if (!o.toLowerCase(Locale.ROOT).endsWith(".exe")) {
                    return o;
                }
            }
            return null;
        }
        return null;
    }
}
