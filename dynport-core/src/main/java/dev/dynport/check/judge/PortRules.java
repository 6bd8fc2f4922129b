package dev.dynport.check.judge;

import dev.dynport.check.model.DynamicRange;
import dev.dynport.check.model.ExcludedRange;
import dev.dynport.check.model.ExcludedRanges;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.HostFacts;
import dev.dynport.check.model.Platform;
import dev.dynport.check.model.ProcessInfo;
import dev.dynport.check.model.State;
import dev.dynport.check.model.TcpEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules for one watched port in one family. Each rule is a small function of the facts; the finding texts
 * are what the status line, long output, JSON and the agent's events all show.
 */
final class PortRules {
    static final int SYSTEM_PID = 4;

    private PortRules() {
    }

    /**
     * @param socketsKnown false when netstat or tasklist could not be read: holder rules are skipped (the result
     *     is UNKNOWN through the section problem) rather than reporting "nobody holds it"
     */
    static void evaluate(WatchedPort port, Family family, HostFacts facts, CheckOptions options, boolean socketsKnown,
            List<Finding> findings, List<Holder> holders) {
        String name = port.port() + "/tcp " + port.label() + " (" + family.label() + ")";
        DynamicRange range = facts.dynamicRanges().get(family);
        ExcludedRanges exclusions = facts.exclusions().get(family);

        Optional<ExcludedRange> system = exclusions == null ? Optional.empty() : exclusions.systemCovering(port.port());
        Optional<ExcludedRange> administered = exclusions == null ? Optional.empty() : exclusions.administeredCovering(port.port());
        if (system.isPresent()) {
            ExcludedRange r = system.get();
            findings.add(new Finding(FindingCode.SYSTEM_RESERVED, family, State.CRITICAL,
                    name + " is inside the system-reserved exclusion " + span(r) + ", "
                            + SystemReservation.classify(r, family, facts).description()
                            + ": no process, Exchange included, can bind it"));
        }

        if (socketsKnown) {
            judgeSockets(port, family, name, facts, options, administered.isPresent(), findings, holders);
        }

        if (range == null || exclusions == null) {
            return;
        }
        boolean linux = facts.platform() == Platform.LINUX;
        if (administered.isPresent()) {
            findings.add(new Finding(FindingCode.PROTECTED, family, State.OK, name + (linux
                    ? " is reserved in net.ipv4.ip_local_reserved_ports (" + span(administered.get()) + ")"
                    : " is protected by the administered exclusion " + span(administered.get()))));
        } else if (range.contains(port.port())) {
            if (system.isEmpty()) {
                findings.add(new Finding(FindingCode.EXPOSED, family, options.exposedState(), name + (linux
                        ? " is inside net.ipv4.ip_local_port_range " + range.start() + "-" + range.end()
                                + " and not in net.ipv4.ip_local_reserved_ports"
                        : " is inside the dynamic port range " + range.start() + "-" + range.end()
                                + " without an exclusion")));
            }
        } else {
            findings.add(new Finding(FindingCode.OUTSIDE_RANGE, family, State.OK, name + " is outside the "
                    + (linux ? "net.ipv4.ip_local_port_range " : "dynamic port range ") + range.start() + "-"
                    + range.end()));
        }
    }

    /**
     * Holders of the port in one family. While an owner listens on the port, its other endpoints there are
     * connections that listener accepted (the allocator never hands out a port a listener holds), whichever
     * process serves them, e.g. a worker process of the service: they are recorded, not reported.
     *
     * <p>When tasklist shows no service names ({@link ServiceVisibility}), a process whose image does not rule
     * out the owner service is undecided: one OWNER_UNKNOWN finding names it and the missing right, and the rules
     * that depend on whether an owner listens (foreign connections, TIME_WAIT, NOT_LISTENING) wait for a
     * readable tasklist instead of guessing either way.
     */
    private static void judgeSockets(WatchedPort port, Family family, String name, HostFacts facts, CheckOptions options,
            boolean administered, List<Finding> findings, List<Holder> holders) {
        Map<Integer, ProcessInfo> processes = facts.processes().indexByPid();
        boolean blind = ServiceVisibility.namesHidden(facts.processes());
        List<TcpEndpoint> endpoints = facts.netstat().onLocalPort(port.port(), family);
        boolean ownerListening = false;
        for (TcpEndpoint e : endpoints) {
            if (e.isListener() && isOwner(port, e.pid(), processes.get(e.pid()))) {
                ownerListening = true;
                break;
            }
        }
        List<String> undecided = new ArrayList<>();
        boolean undecidedListener = false;
        for (TcpEndpoint e : endpoints) {
            ProcessInfo process = processes.get(e.pid());
            if (!e.isOwnerless() && !isOwner(port, e.pid(), process)
                    && ServiceVisibility.undecided(port, e.pid(), process, blind)) {
                undecided.add(process.image() + " (PID " + e.pid() + ") " + connection(e));
                undecidedListener |= e.isListener();
            }
        }
        // A listener whose process the capture does not name may be the owner: what depends on whether an owner
        // listens (TIME_WAIT, NOT_LISTENING) waits, as for an undecided one; its own UNKNOWN finding says why.
        boolean listenerKnown = ownerListening || !undecidedListener
                && !anyListenerOwnerUnknown(endpoints);
        boolean ownerless = false;
        List<Finding> unsure = new ArrayList<>();
        for (TcpEndpoint e : endpoints) {
            if (e.isOwnerless()) {
                ownerless = true;
                continue;
            }
            ProcessInfo process = processes.get(e.pid());
            String image = imageOf(e.pid(), process);
            List<String> services = process == null ? List.of() : process.services();
            boolean owner = isOwner(port, e.pid(), process);
            holders.add(new Holder(e.pid(), image, services, family, address(e.localAddress(), family) + ":" + e.localPort(),
                    tcpStateText(e), owner));
            if (owner || (ownerListening && !e.isListener())
                    || ServiceVisibility.undecided(port, e.pid(), process, blind)) {
                continue;
            }
            if (e.ownerUnknown()) {
                findings.add(new Finding(FindingCode.FOREIGN_HOLDER, family, State.UNKNOWN,
                        name + " held by a process the capture does not name " + connection(e) + " (" + UNNAMED
                                + ")"));
            } else if (process == null && e.pid() != SYSTEM_PID) {
                findings.add(new Finding(FindingCode.FOREIGN_HOLDER, family, State.UNKNOWN,
                        name + " held by PID " + e.pid() + " " + connection(e)
                                + ", which tasklist did not list (process ended or started between the commands?)"));
            } else if (!listenerKnown && !e.isListener()) {
                // Foreign only if no owner listens, and that is what the hidden service names leave open.
                unsure.add(new Finding(FindingCode.FOREIGN_HOLDER, family, State.UNKNOWN, name + " held by "
                        + describeProcess(e.pid(), image, services) + " " + connection(e)
                        + ": foreign unless an undecided listener is the owner"));
            } else {
                findings.add(new Finding(FindingCode.FOREIGN_HOLDER, family, State.CRITICAL,
                        name + " held by " + describeProcess(e.pid(), image, services) + " " + connection(e)
                                + (blind ? " (decided by image name: it cannot be " + String.join("/", port.owners())
                                        + ")" : "")));
            }
        }
        if (!undecided.isEmpty()) {
            findings.add(new Finding(FindingCode.OWNER_UNKNOWN, family, State.UNKNOWN, name + ": cannot tell whether "
                    + String.join(", ", undecided) + " is " + String.join("/", port.owners())
                    + " (front-end and back-end POP3/IMAP4 run the same image): "
                    + (blind ? ServiceVisibility.HIDDEN : ServiceVisibility.ONE_HIDDEN)));
        }
        findings.addAll(unsure);
        if (!listenerKnown) {
            return;
        }
        // A TIME_WAIT socket on the port while an owner listens is most likely the server side of a closed
        // client session; without a listener it means the allocator handed the port out.
        if (ownerless && !ownerListening && !administered) {
            findings.add(new Finding(FindingCode.RECENT_EPHEMERAL_USE, family, State.WARNING,
                    name + " was recently used as a local port (TIME_WAIT, PID 0) while no owner listens on it:"
                            + " the dynamic port allocator is handing it out"));
        }
        if (options.expectListening() && !ownerListening) {
            findings.add(new Finding(FindingCode.NOT_LISTENING, family, State.CRITICAL,
                    name + " has no listener owned by " + String.join("/", port.owners())));
        }
    }

    /** The one finding for a port the host does not use in one family, naming what holds it there. */
    static Finding notInUse(WatchedPort port, Family family, String why, List<Holder> holders) {
        Set<String> held = new LinkedHashSet<>();
        for (Holder h : holders) {
            if (h.family() == family && !h.owner()) {
                held.add(("?".equals(h.image()) ? "PID " + h.pid() : describeProcess(h.pid(), h.image(), h.services()))
                        + " " + h.tcpState());
            }
        }
        return new Finding(FindingCode.NOT_IN_USE, family, State.OK, port.port() + "/tcp " + port.label() + " ("
                + family.label() + ") is not in use: " + why
                + (held.isEmpty() ? "" : "; held by " + String.join(", ", held) + ", which harms nothing here"));
    }

    /** "?" when tasklist does not list the PID: it cannot be an owner, nor be called foreign for sure. */
    private static String imageOf(int pid, ProcessInfo process) {
        return process == null ? (pid == SYSTEM_PID ? "System" : "?") : process.image();
    }

    private static boolean isOwner(WatchedPort port, int pid, ProcessInfo process) {
        String image = imageOf(pid, process);
        return !"?".equals(image) && port.isOwnedBy(image, process == null ? List.of() : process.services());
    }

    static String span(ExcludedRange r) {
        return r.start() == r.end() ? String.valueOf(r.start()) : r.start() + "-" + r.end();
    }

    static String tcpStateText(TcpEndpoint e) {
        return e.state() == dev.dynport.check.model.TcpState.OTHER ? e.stateWord() : e.state().name();
    }

    static String connection(TcpEndpoint e) {
        if (e.isListener()) {
            return "listening on " + address(e.localAddress(), e.family()) + ":" + e.localPort();
        }
        return "as local end of " + address(e.localAddress(), e.family()) + ":" + e.localPort() + " -> "
                + address(e.foreignAddress(), e.family()) + ":" + e.foreignPort() + " " + tcpStateText(e);
    }

    static String address(String address, Family family) {
        return family == Family.IPV6 ? "[" + address + "]" : address;
    }

    /** Why a Linux holder has no name: ss -p names other users' processes only for root; /proc/net/tcp names none. */
    static final String UNNAMED = "ss -p names only the caller's own processes unless run as root, and none in"
            + " another PID namespace; /proc/net/tcp names none";

    private static boolean anyListenerOwnerUnknown(List<TcpEndpoint> endpoints) {
        for (TcpEndpoint e : endpoints) {
            if (e.isListener() && e.ownerUnknown()) {
                return true;
            }
        }
        return false;
    }

    static String describeProcess(int pid, String image, List<String> services) {
        if (pid == TcpEndpoint.UNKNOWN_PID) {
            return "a process the capture does not name";
        }
        // PID 4 is Windows' System process; on Linux it is an ordinary PID (a container's fourth process).
        if (pid == SYSTEM_PID && ("System".equals(image) || "?".equals(image))) {
            return "System (PID 4: kernel, http.sys)";
        }
        return image + " (PID " + pid + (services.isEmpty() ? "" : ": " + String.join(", ", services)) + ")";
    }
}
