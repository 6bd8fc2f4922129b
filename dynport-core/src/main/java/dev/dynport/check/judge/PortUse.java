package dev.dynport.check.judge;

import dev.dynport.check.model.BackendSettings;
import dev.dynport.check.model.HostFacts;
import dev.dynport.check.model.ProcessInfo;
import dev.dynport.check.model.ServiceConfig;
import dev.dynport.check.model.ServiceRunState;
import dev.dynport.check.model.ServiceStartType;
import dev.dynport.check.model.ServiceStatus;
import dev.dynport.check.model.TcpEndpoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * Which profile ports of the POP3/IMAP4 back-ends this host really uses, decided from evidence per back-end.
 *
 * <p>A back-end binds only its ProxyTargetPort (1995/1993 on settings made by 2016/2019 and later 2013 builds,
 * 9955/9933 on old 2013 ones), and POP3/IMAP4 are off by default (Manual services, stopped). Judging a port the
 * host never binds cries wolf: on a 6005-65534 range the allocator hands out 9955 routinely. So a profile port
 * is "not in use" (OK, with the reason) only on positive evidence:
 * <ul>
 * <li>the back-end is not installed (sc: error 1060, and nothing shows it running);</li>
 * <li>it is Disabled and stopped; or Manual and stopped while its front-end is seen not running (the front-end
 *     proxies POP3/IMAP4 to it, so a running front-end means the protocol is offered);</li>
 * <li>its port is known (it listens there, the settings section, or {@code --pop3-backend-port}/
 *     {@code --imap4-backend-port}): the profile's other port for it is not its port. Every known port counts
 *     (a changed setting takes effect at the next start, while the listener shows the current one).</li>
 * </ul>
 * A back-end that is Automatic but stopped is the failure this check exists for (it could not bind), so it is
 * in use. Where nothing tells (no service sections, access denied, service names hidden), every profile port
 * is judged as before, and a note says why. A port the user names with {@code --port}, and any port when
 * {@code --watch-unused} is given, is always judged.
 */
final class PortUse {
    /** Back-end service (lower case) → its front-end service, as tasklist names them. */
    static final Map<String, String> FRONT_END = Map.of(
            "msexchangepop3be", "MSExchangePOP3",
            "msexchangeimap4be", "MSExchangeIMAP4");
    private static final Map<String, String> SETTINGS_SOURCE = Map.of(
            "msexchangepop3be", "Get-PopSettings ProxyTargetPort",
            "msexchangeimap4be", "Get-ImapSettings ProxyTargetPort");
    private static final Map<String, String> OPTION = Map.of(
            "msexchangepop3be", "--pop3-backend-port",
            "msexchangeimap4be", "--imap4-backend-port");

    private PortUse() {
    }

    /**
     * @param notInUse port → why it is not this host's port
     * @param added ports the evidence names that the watch list lacked (a non-default ProxyTargetPort)
     */
    record Result(Map<Integer, String> notInUse, List<WatchedPort> added, List<String> notes) {
    }

    static Result assess(List<WatchedPort> watched, HostFacts facts, CheckOptions options, boolean socketsKnown) {
        Map<Integer, String> notInUse = new LinkedHashMap<>();
        List<WatchedPort> added = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        // Loops rather than streams and lambdas in this class: each is linked on first use, at start-up, for a
        // handful of ports (docs/startup.md).
        Set<Integer> userPorts = ports(options.extraPorts());
        Set<Integer> watchedPorts = ports(watched);
        Map<String, Evidence> evidences = new LinkedHashMap<>();
        for (String backend : List.of(BackendSettings.POP3_BACKEND, BackendSettings.IMAP4_BACKEND)) {
            evidences.put(backend, Evidence.of(backend, facts, options, socketsKnown));
        }
        // A port a served back-end names as its own (POP3's ProxyTargetPort set to 9933, say) is that back-end's
        // port whatever the profile's owner of it does: it is never "not in use".
        Map<Integer, String> claimed = new LinkedHashMap<>();
        for (Evidence e : evidences.values()) {
            if (e.notServed().isEmpty()) {
                for (int p : e.knownPorts().keySet()) {
                    claimed.putIfAbsent(p, e.backend());
                }
            }
        }
        for (String backend : evidences.keySet()) {
            String key = backend.toLowerCase(Locale.ROOT);
            List<WatchedPort> profilePorts = new ArrayList<>();
            for (WatchedPort p : watched) {
                if (p.origin() == WatchedPort.Origin.PROFILE && ownedBy(p, key)) {
                    profilePorts.add(p);
                }
            }
            if (profilePorts.isEmpty()) {
                continue;
            }
            Evidence evidence = evidences.get(backend);
            for (int port : evidence.knownPorts().keySet()) {
                if (!watchedPorts.contains(port)) {
                    WatchedPort template = profilePorts.get(0);
                    added.add(new WatchedPort(port, template.label(), template.owners(), WatchedPort.Origin.DISCOVERED));
                    notes.add("port " + port + " added: " + evidence.knownPorts().get(port));
                }
            }
            List<Integer> candidates = new ArrayList<>();
            for (WatchedPort p : profilePorts) {
                if (!userPorts.contains(p.port())) {
                    candidates.add(p.port());
                }
            }
            Optional<String> offReason = evidence.notServed();
            String known = evidence.knownPorts().isEmpty() ? null : String.join("; ", evidence.knownPorts().values());
            List<Integer> unused = new ArrayList<>();
            String why;
            if (offReason.isPresent()) {
                unused.addAll(candidates);
                why = offReason.get();
            } else if (known != null) {
                for (int p : candidates) {
                    if (!evidence.knownPorts().containsKey(p)) {
                        unused.add(p);
                    }
                }
                why = backend + " binds only its ProxyTargetPort: " + known;
            } else {
                notes.add(backend + ": " + evidence.undecidedReason() + ", so which of "
                        + joined(numbers(profilePorts))
                        + " it binds is not known: all judged (" + OPTION.get(key) + " or the capture script's"
                        + " settings section tells)");
                continue;
            }
            for (int port : List.copyOf(unused)) {
                String other = claimed.get(port);
                if (other != null && !other.equals(backend)) {
                    unused.remove(Integer.valueOf(port));
                    notes.add("port " + port + " judged although " + why + ": it is " + other + "'s port ("
                            + evidences.get(other).knownPorts().get(port) + ")");
                }
            }
            if (unused.isEmpty()) {
                continue;
            }
            if (options.watchUnused()) {
                notes.add("--watch-unused: " + joined(unused)
                        + " judged although " + why);
                continue;
            }
            for (int p : unused) {
                notInUse.put(p, why);
            }
        }
        return new Result(notInUse, added, notes);
    }

    private static Set<Integer> ports(List<WatchedPort> ports) {
        Set<Integer> numbers = new HashSet<>();
        for (WatchedPort p : ports) {
            numbers.add(p.port());
        }
        return numbers;
    }

    private static List<Integer> numbers(List<WatchedPort> ports) {
        List<Integer> numbers = new ArrayList<>();
        for (WatchedPort p : ports) {
            numbers.add(p.port());
        }
        return numbers;
    }

    private static String joined(List<Integer> ports) {
        StringJoiner text = new StringJoiner(", ");
        for (int p : ports) {
            text.add(String.valueOf(p));
        }
        return text.toString();
    }

    private static boolean ownedBy(WatchedPort port, String serviceKey) {
        return anyIs(port.owners(), serviceKey);
    }

    /** Whether one of the names is {@code key}, ignoring case. */
    private static boolean anyIs(List<String> names, String key) {
        for (String name : names) {
            if (name.toLowerCase(Locale.ROOT).equals(key)) {
                return true;
            }
        }
        return false;
    }

    /** What the snapshot says about one back-end. */
    private record Evidence(String backend, Map<Integer, String> knownPorts, Optional<ServiceConfig> config,
            Optional<ServiceStatus> status, boolean namesVisible, boolean seenRunning, boolean frontEndSeenRunning,
            List<String> unnamedProtocolProcesses) {

        static Evidence of(String backend, HostFacts facts, CheckOptions options, boolean socketsKnown) {
            String key = backend.toLowerCase(Locale.ROOT);
            boolean visible = socketsKnown && !ServiceVisibility.namesHidden(facts.processes());
            Map<Integer, String> known = new LinkedHashMap<>();
            boolean running = false;
            boolean frontEnd = false;
            List<String> unnamed = new ArrayList<>();
            if (visible) {
                Map<Integer, ProcessInfo> processes = facts.processes().indexByPid();
                TreeSet<Integer> listening = new TreeSet<>();
                for (TcpEndpoint e : facts.netstat().listeners()) {
                    ProcessInfo p = processes.get(e.pid());
                    if (e.isListener() && p != null && hosts(p, key)) {
                        listening.add(e.localPort());
                    }
                }
                for (int p : listening) {
                    known.put(p, "it listens on " + p);
                }
                String image = ServiceVisibility.IMAGE_OF_SERVICE.get(key);
                for (ProcessInfo p : facts.processes().processes()) {
                    running |= hosts(p, key);
                    frontEnd |= hosts(p, FRONT_END.get(key).toLowerCase(Locale.ROOT));
                    // Front- and back-end run this image; Windows leaves out of tasklist /svc a service the account
                    // may not query, and docs/rights.md grants read on the back-ends only: such a process may be
                    // the running front-end, so "the front-end is seen not running" does not hold.
                    if (p.services().isEmpty() && p.image().toLowerCase(Locale.ROOT).equals(image)) {
                        unnamed.add(p.image() + " (PID " + p.pid() + ")");
                    }
                }
            }
            Optional<Integer> setting = facts.settings().proxyTargetPort(backend);
            if (setting.isPresent()) {
                add(known, setting.get(), SETTINGS_SOURCE.get(key) + " is " + setting.get());
            }
            Integer given = options.backendPorts().get(backend);
            if (given != null) {
                add(known, given, OPTION.get(key) + " " + given);
            }
            return new Evidence(backend, known, facts.services().config(backend), facts.services().status(backend),
                    visible, running, frontEnd, List.copyOf(unnamed));
        }

        /** A second source for a known port adds its words to the first's. */
        private static void add(Map<Integer, String> known, int port, String source) {
            String earlier = known.get(port);
            known.put(port, earlier == null ? source : earlier + ", " + source);
        }

        private static boolean hosts(ProcessInfo p, String serviceKey) {
            return anyIs(p.services(), serviceKey);
        }

        /** Why the back-end's protocol is not served here, when the evidence says so. */
        Optional<String> notServed() {
            if (seenRunning || listensOnAKnownPort()) {
                return Optional.empty();
            }
            boolean configMissing = config.isPresent() && config.get().notInstalled();
            boolean statusMissing = status.isPresent() && status.get().notInstalled();
            boolean configFound = config.isPresent() && config.get().errorCode() == 0;
            boolean statusFound = statusFound();
            if ((configMissing || statusMissing) && !configFound && !statusFound) {
                return Optional.of(backend + " is not installed (sc: error 1060): " + protocol() + " is not served here");
            }
            if (!stopped()) {
                return Optional.empty();
            }
            ServiceStartType start = startType();
            if (start == ServiceStartType.DISABLED) {
                return Optional.of(backend + " is Disabled and stopped: " + protocol() + " is not served here");
            }
            if (start == ServiceStartType.MANUAL && namesVisible && !frontEndSeenRunning
                    && unnamedProtocolProcesses.isEmpty()) {
                return Optional.of(backend + " is Manual and stopped and " + FRONT_END.get(backend.toLowerCase(Locale.ROOT))
                        + " is not running: " + protocol() + " is off (Exchange's default); set both to Automatic"
                        + " when you offer " + protocol());
            }
            return Optional.empty();
        }

        private boolean listensOnAKnownPort() {
            for (String source : knownPorts.values()) {
                if (source.startsWith("it listens")) {
                    return true;
                }
            }
            return false;
        }

        private boolean statusFound() {
            return status.isPresent() && status.get().errorCode() == 0;
        }

        private ServiceStartType startType() {
            return config.isPresent() ? config.get().startType() : null;
        }

        /** sc says STOPPED, or (no usable sc status) tasklist shows every service and not this one. */
        private boolean stopped() {
            if (status.isPresent() && status.get().errorCode() == 0) {
                return status.get().state() == ServiceRunState.STOPPED;
            }
            return namesVisible && !seenRunning;
        }

        String undecidedReason() {
            ServiceStartType start = startType();
            if (start == ServiceStartType.MANUAL && stopped() && !frontEndSeenRunning
                    && !unnamedProtocolProcesses.isEmpty()) {
                String frontEndName = FRONT_END.get(backend.toLowerCase(Locale.ROOT));
                return "it is Manual and stopped, and " + String.join(", ", unnamedProtocolProcesses)
                        + " runs without a service name: it may be " + frontEndName + ", which tasklist leaves out"
                        + " when the account may not query it (grant read on " + frontEndName
                        + " as on the back-ends, docs/rights.md)";
            }
            if (start == ServiceStartType.AUTOMATIC && stopped()) {
                return "it is Automatic but stopped (did it fail to bind its port?) and no ProxyTargetPort is known";
            }
            if (start != null || statusFound()) {
                return "it is " + (start == null ? "" : startText(start) + ", ")
                        + (seenRunning || status.isPresent() && status.get().state() == ServiceRunState.RUNNING
                                ? "running" : "not listening") + " and no ProxyTargetPort is known";
            }
            int code = config.isPresent() && config.get().errorCode() != 0 ? config.get().errorCode()
                    : status.isPresent() && status.get().errorCode() != 0 ? status.get().errorCode() : 0;
            if (code != 0) {
                return "sc failed with error " + code + (code == ServiceConfig.ERROR_ACCESS_DENIED
                        ? " (access denied: the account may not query this service)" : "");
            }
            if (!namesVisible) {
                return "no sc sections and tasklist shows no service names";
            }
            return "the snapshot has no sc sections (older capture) and it is not seen listening";
        }

        private static String startText(ServiceStartType start) {
            return switch (start) {
                case AUTOMATIC -> "Automatic";
                case MANUAL -> "Manual";
                case DISABLED -> "Disabled";
                case BOOT, SYSTEM -> start.name();
            };
        }

        private String protocol() {
            return backend.toLowerCase(Locale.ROOT).contains("pop3") ? "POP3" : "IMAP4";
        }
    }
}
