package dev.dynport.check.judge;

import dev.dynport.check.model.HostFacts;
import dev.dynport.check.model.ProcessInfo;
import dev.dynport.check.model.TcpEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The ports to judge: the profile's, the user's ({@code --port}), and the ports on which a profile owner
 * service is seen listening. The last covers servers whose ProxyTargetPort is not a default one: the port the
 * back-end service actually binds is the one that must stay free.
 */
final class WatchList {
    private WatchList() {
    }

    record Result(List<WatchedPort> ports, List<String> notes) {
    }

    static Result build(CheckOptions options, HostFacts facts) {
        Map<Integer, WatchedPort> byPort = new LinkedHashMap<>();
        for (WatchedPort p : options.profile().ports()) {
            byPort.putIfAbsent(p.port(), p);
        }
        for (WatchedPort p : options.extraPorts()) {
            byPort.put(p.port(), p);
        }
        List<String> notes = new ArrayList<>();
        Map<Integer, ProcessInfo> processes = facts.processes().indexByPid();
        for (WatchedPort template : options.profile().ports()) {
            TreeSet<Integer> found = new TreeSet<>();
            for (TcpEndpoint e : facts.netstat().endpoints()) {
                if (!e.isListener() || byPort.containsKey(e.localPort())) {
                    continue;
                }
                ProcessInfo process = processes.get(e.pid());
                if (process != null && ownsByService(template, process)) {
                    found.add(e.localPort());
                }
            }
            for (int port : found) {
                byPort.put(port, new WatchedPort(port, template.label(), template.owners(), WatchedPort.Origin.DISCOVERED));
                notes.add("port " + port + " added: " + serviceOwners(template) + " listens on it");
            }
        }
        List<WatchedPort> ports = new ArrayList<>(byPort.values());
        ports.sort((a, b) -> Integer.compare(a.port(), b.port()));
        return new Result(ports, notes);
    }

    /** Only service names discover ports: an image name may be shared by front- and back-end services. */
    private static boolean ownsByService(WatchedPort template, ProcessInfo process) {
        return template.isOwnedBy(null, process.services());
    }

    private static String serviceOwners(WatchedPort template) {
        return template.owners().stream().filter(o -> !o.contains(".")).findFirst().orElse(template.owners().get(0));
    }
}
