package dev.dynport.check.judge;

import dev.dynport.check.model.HostFacts;
import dev.dynport.check.model.ProcessInfo;
import dev.dynport.check.model.ProcessTable;
import dev.dynport.check.model.TcpEndpoint;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Whether {@code tasklist /svc} could see service names, and what an image name alone can still decide.
 *
 * <p>tasklist finds a process's services by enumerating the service control manager, which needs
 * SC_MANAGER_ENUMERATE_SERVICE. Microsoft documents the SCM's default grants as: remote authenticated users
 * SC_MANAGER_CONNECT only; local authenticated users (and LocalService/NetworkService) CONNECT,
 * ENUMERATE_SERVICE, QUERY_LOCK_STATUS and READ_CONTROL ("Service Security and Access Rights",
 * learn.microsoft.com/windows/win32/services/service-security-and-access-rights). An account whose logon counts
 * as remote (a Win32-OpenSSH key logon) therefore sees {@code N/A} for every process. Windows always runs
 * services in svchost.exe, so a table in which no svchost.exe hosts a service was taken without that right.
 *
 * <p>On such a table a holder is known to be foreign only where the image settles it: every owner of the port is
 * either an image name, or a service whose image is known here and differs from the holder's. Front-end and
 * back-end POP3/IMAP4 run the same images (domain.md section 2), so a POP/IMAP image can never be settled.
 */
final class ServiceVisibility {
    /** The image each owner service of the profiles runs; lower case. */
    static final Map<String, String> IMAGE_OF_SERVICE = Map.of(
            "msexchangepop3be", "microsoft.exchange.pop3service.exe",
            "msexchangeimap4be", "microsoft.exchange.imap4service.exe",
            "msexchangeservicehost", "microsoft.exchange.servicehost.exe",
            "msexchangerepl", "msexchangerepl.exe");

    /** Short form for findings and the status line; {@link #MISSING_RIGHT} is the note with the fix. */
    static final String HIDDEN = "tasklist shows no service names (the account may not enumerate services, see Note)";

    static final String MISSING_RIGHT = "tasklist /svc shows no service names (every svchost.exe has N/A): the"
            + " account lacks SC_MANAGER_ENUMERATE_SERVICE on the service control manager, which Windows grants"
            + " to local logons but not to remote ones such as an SSH key logon; capture as a local scheduled task"
            + " (capture-snapshot.cmd) or with an administrator account, or grant the account that right"
            + " (sc sdshow scmanager / sc sdset scmanager)";

    private ServiceVisibility() {
    }

    /** True when svchost.exe is listed and none of its rows names a service. */
    static boolean namesHidden(ProcessTable table) {
        boolean svchost = false;
        for (ProcessInfo p : table.processes()) {
            if (p.image().equalsIgnoreCase("svchost.exe")) {
                svchost = true;
                if (!p.services().isEmpty()) {
                    return false;
                }
            }
        }
        return svchost;
    }

    /**
     * On a table without service names: whether the process may still be an owner of the port, i.e. its image
     * does not rule out every owner service. PID 4 (System) never hosts a user-mode service.
     */
    static boolean couldBeOwner(WatchedPort port, int pid, ProcessInfo process) {
        if (process == null || pid == PortRules.SYSTEM_PID) {
            return false;
        }
        String image = process.image().toLowerCase(Locale.ROOT);
        for (String owner : port.owners()) {
            String o = owner.toLowerCase(Locale.ROOT);
            if (o.endsWith(".exe")) {
                continue;
            }
            String known = IMAGE_OF_SERVICE.get(o);
            if (known == null || known.equals(image)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a holder may be an owner that tasklist could not name. On a blind table: {@link #couldBeOwner}. On
     * a table that names services: a process without services that runs an owner service's image (those images
     * only run as services), which is what a service the account may not query looks like: Windows leaves a
     * service out of the enumeration when the caller lacks SERVICE_QUERY_STATUS on it, while svchost's services
     * stay visible.
     */
    static boolean undecided(WatchedPort port, int pid, ProcessInfo process, boolean blind) {
        if (blind) {
            return couldBeOwner(port, pid, process);
        }
        if (process == null || pid == PortRules.SYSTEM_PID || !process.services().isEmpty()) {
            return false;
        }
        String image = process.image().toLowerCase(Locale.ROOT);
        return port.owners().stream()
                .anyMatch(o -> image.equals(IMAGE_OF_SERVICE.get(o.toLowerCase(Locale.ROOT))));
    }

    /** Short form for one process without a service name on a table that names services elsewhere. */
    static final String ONE_HIDDEN = "tasklist names no service for this process although it runs an owner"
            + " service's image (the account may not query that service: grant it read access on the service, see"
            + " docs/rights.md)";

    /**
     * On a table without service names, discovery (which goes by service name) sees nothing: a POP3/IMAP4 image
     * listening on a port that is not watched may be a back-end on a non-default ProxyTargetPort. Judging only
     * the watched ports would then be a possible wrong OK, so this names them as a problem (UNKNOWN).
     */
    static Optional<String> unseenBackendListeners(HostFacts facts, Set<Integer> watched) {
        if (!namesHidden(facts.processes())) {
            return Optional.empty();
        }
        Map<Integer, ProcessInfo> processes = facts.processes().indexByPid();
        Map<String, TreeSet<Integer>> portsByImage = new TreeMap<>();
        for (TcpEndpoint e : facts.netstat().listeners()) {
            ProcessInfo p = processes.get(e.pid());
            if (e.isListener() && p != null && !watched.contains(e.localPort()) && BACKEND_IMAGES.contains(
                    p.image().toLowerCase(Locale.ROOT))) {
                portsByImage.computeIfAbsent(p.image(), k -> new TreeSet<>()).add(e.localPort());
            }
        }
        if (portsByImage.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder();
        portsByImage.forEach((image, ports) -> sb.append(sb.length() == 0 ? "" : "; ").append(image)
                .append(" listens on ").append(ports.stream().map(String::valueOf).collect(Collectors.joining(", "))));
        return Optional.of(HIDDEN + ": " + sb + "; whether one of them is a back-end's ProxyTargetPort cannot be told"
                + " (front-end and back-end run the same image)");
    }

    private static final Set<String> BACKEND_IMAGES = Set.of(IMAGE_OF_SERVICE.get("msexchangepop3be"),
            IMAGE_OF_SERVICE.get("msexchangeimap4be"));
}
