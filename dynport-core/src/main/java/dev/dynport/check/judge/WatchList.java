package dev.dynport.check.judge;

import dev.dynport.check.model.BackendSettings;
import dev.dynport.check.model.HostFacts;
import dev.dynport.check.model.ProcessInfo;
import dev.dynport.check.model.TcpEndpoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ports to judge: the profile's, the user's ({@code --port}), and the ports on which a POP3/IMAP4 back-end
 * service is seen listening. The last covers servers whose ProxyTargetPort is not a default one: the port the
 * back-end service actually binds is the one that must stay free.
 *
 * <p>A {@code --port} on a port that is already watched adds to it: the profile's label and owners stay, the
 * user's extra owners are merged. Replacing them would turn the profile owner's own listener into a foreign
 * holder (a false CRITICAL). A user's port that is not a profile port keeps exactly the user's owners (none:
 * every holder is foreign), as the README documents.
 */
final class WatchList {
    /**
     * Only these services discover ports. Discovery exists to find a non-default ProxyTargetPort; the other owners
     * (MSExchangeRepl, MSExchangeServiceHost) also listen on RPC dynamic endpoints, which are not theirs to keep.
     */
    static final Set<String> DISCOVERING_SERVICES = Set.of(BackendSettings.POP3_BACKEND.toLowerCase(Locale.ROOT),
            BackendSettings.IMAP4_BACKEND.toLowerCase(Locale.ROOT));

    private WatchList() {
    }

    record Result(List<WatchedPort> ports, List<String> notes) {
    }

    static Result build(CheckOptions options, HostFacts facts) {
        Map<Integer, WatchedPort> byPort = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (WatchedPort p : options.profile().ports()) {
            byPort.putIfAbsent(p.port(), p);
        }
        for (WatchedPort p : options.extraPorts()) {
            WatchedPort known = byPort.get(p.port());
            if (known == null) {
                byPort.put(p.port(), p);
            } else {
                byPort.put(p.port(), merged(known, p.owners()));
                notes.add("--port " + p.port() + ": already watched as " + known.label() + "; owners "
                        + String.join("/", byPort.get(p.port()).owners()));
            }
        }
        Map<Integer, ProcessInfo> processes = facts.processes().indexByPid();
        for (WatchedPort template : options.profile().ports()) {
            if (!discovers(template)) {
                continue;
            }
            TreeSet<Integer> found = new TreeSet<>();
            for (TcpEndpoint e : facts.netstat().listeners()) {
                if (!e.isListener()) {
                    continue;
                }
                ProcessInfo process = processes.get(e.pid());
                if (process == null || !ownsByService(template, process)) {
                    continue;
                }
                if (!byPort.containsKey(e.localPort())) {
                    found.add(e.localPort());
                }
            }
            for (int port : found) {
                byPort.put(port, new WatchedPort(port, template.label(), template.owners(), WatchedPort.Origin.DISCOVERED));
                notes.add("port " + port + " added: " + serviceOwners(template) + " listens on it");
            }
        }
        List<WatchedPort> ports = new ArrayList<>(byPort.values());
        ports.sort(BY_PORT);
        return new Result(ports, notes);
    }

    /** A named class, not a lambda: every check sorts here on its start-up path (docs/startup.md). */
    private static final Comparator<WatchedPort> BY_PORT = new ByPort();

    private static final class ByPort implements Comparator<WatchedPort> {
        @Override
        public int compare(WatchedPort a, WatchedPort b) {
            return Integer.compare(a.port(), b.port());
        }
    }

    private static WatchedPort merged(WatchedPort port, List<String> extraOwners) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> owners = new ArrayList<>();
        for (String o : port.owners()) {
            if (seen.add(o.toLowerCase(Locale.ROOT))) {
                owners.add(o);
            }
        }
        for (String o : extraOwners) {
            if (seen.add(o.toLowerCase(Locale.ROOT))) {
                owners.add(o);
            }
        }
        return new WatchedPort(port.port(), port.label(), owners, port.origin());
    }

    // Loops, not streams, in this class: each lambda is linked on first use, at start-up (docs/startup.md).
    private static boolean discovers(WatchedPort template) {
        for (String o : template.owners()) {
            if (DISCOVERING_SERVICES.contains(o.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** Only service names discover ports: an image name may be shared by front- and back-end services. */
    private static boolean ownsByService(WatchedPort template, ProcessInfo process) {
        return template.isOwnedBy(null, process.services());
    }

    private static String serviceOwners(WatchedPort template) {
        for (String o : template.owners()) {
            if (!o.contains(".")) {
                return o;
            }
        }
        return template.owners().get(0);
    }
}
