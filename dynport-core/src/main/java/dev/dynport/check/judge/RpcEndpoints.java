package dev.dynport.check.judge;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which listeners inside the dynamic range are RPC endpoints that the endpoint mapper assigned: "dynamic by design",
 * expected to move at the next start, so the allocator taking their port harms nothing.
 *
 * <p>The rule and its evidence (docs/audit.md#the-rpc-rule). An RPC server that registers a dynamic TCP endpoint gets
 * "a particular random port in the range configured for TCP" (Microsoft, "How to configure RPC dynamic port
 * allocation to work with firewalls", KB154596), and Exchange services by default let "the RPC endpoint mapper
 * dynamically assign a TCP port from the pool of ephemeral ports during service initialization. The result is that
 * the port assigned to a service can be different every time the service starts" (KB180795). Such a server binds
 * port 0 and takes whatever is free: no port is its own, so none can be stolen from it. A snapshot does not show
 * the endpoint map, so the rule names the processes that host such endpoints on every Windows server (wininit,
 * services, lsass, spoolsv, svchost: Event Log, Task Scheduler, ...) and the two Exchange services this project
 * has seen listen on RPC endpoints besides their fixed ports (MSExchangeRepl, MSExchangeServiceHost).
 *
 * <p>What the rule cannot see: many RPC servers can be given a static port (KB154596; AD replication and Netlogon,
 * KB224196; Exchange's RPC Client Access and Address Book). A static port looks like a dynamic one in netstat, so
 * the listed processes' ports that are known to be fixed never count as dynamic: Exchange's fixed back-end ports,
 * the profile's and the user's {@code --port}s, and the Windows services' fixed ports that a low dynamic range (the
 * real 1024-start captures) can contain. Everything else the rule calls dynamic is shown, in its own group, never
 * hidden.
 */
final class RpcEndpoints {
    /** Images that host RPC servers with endpoint-mapper-assigned TCP endpoints (lower case). */
    static final Set<String> HOSTS = Set.of("wininit.exe", "services.exe", "lsass.exe", "spoolsv.exe", "svchost.exe",
            "msexchangerepl.exe", "microsoft.exchange.servicehost.exe");

    /**
     * Fixed ports of services hosted by those images ("Service overview and network port requirements for Windows"):
     * Remote Desktop (svchost TermService) and the Global Catalog (lsass on a domain controller). Below 1024 nothing
     * is listed: no dynamic range starts there.
     */
    static final Map<Integer, String> WINDOWS_FIXED = Map.of(
            3389, "Remote Desktop (TermService)",
            3268, "Global Catalog (LDAP)",
            3269, "Global Catalog (LDAP over SSL)");

    private RpcEndpoints() {
    }

    /** The ports never called dynamic: Exchange's fixed ports, the Windows ones above, and the watched ones. */
    static Set<Integer> fixedPorts(CheckOptions options) {
        Set<Integer> fixed = new HashSet<>(WINDOWS_FIXED.keySet());
        Profile.EXCHANGE.ports().forEach(p -> fixed.add(p.port()));
        options.profile().ports().forEach(p -> fixed.add(p.port()));
        options.extraPorts().forEach(p -> fixed.add(p.port()));
        return fixed;
    }

    /** Whether a listener of this image on this port is an RPC endpoint the mapper assigned. */
    static boolean dynamicByDesign(String image, int port, Set<Integer> fixedPorts) {
        return image != null && HOSTS.contains(image.toLowerCase(Locale.ROOT)) && !fixedPorts.contains(port);
    }

    /** What a fixed port is, for labels: the watched port's label, a Windows service, or null. */
    static String label(int port, CheckOptions options) {
        for (List<WatchedPort> ports : List.of(options.extraPorts(), options.profile().ports(), Profile.EXCHANGE.ports())) {
            for (WatchedPort p : ports) {
                if (p.port() == port) {
                    return p.label();
                }
            }
        }
        return WINDOWS_FIXED.get(port);
    }
}
