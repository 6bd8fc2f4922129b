package dev.dynport.check.fuzz;

import dev.dynport.check.fuzz.ReferenceFormats.Endpoint;
import dev.dynport.check.fuzz.ReferenceFormats.Exclusion;
import dev.dynport.check.fuzz.ReferenceFormats.Process;
import dev.dynport.check.fuzz.ReferenceFormats.Range;
import dev.dynport.check.fuzz.ReferenceFormats.Unreadable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A second, minimal reading of a snapshot and of the rules of docs/situations.md ("Findings"), independent of the
 * product's code: it answers "unreadable" (with the reason) or the facts and whether the host is OK. OK means:
 * every required section present exactly once and readable, and for every judged port and family no exclusion
 * without '*', no foreign endpoint, no TIME_WAIT without a listening owner or a '*' exclusion, and either a '*'
 * exclusion or a place outside the dynamic range.
 *
 * <p>Which ports are judged (the "ports in use" rules of judge/PortUse's javadoc, read independently): every port
 * a back-end is seen listening on or the settings section names is watched. A back-end is "off" when nothing shows
 * it running (no process names it, it listens nowhere) and sc says it is not installed (1060, no successful
 * answer), or sc queryex says STOPPED (or, without a readable queryex, tasklist names services and not this one)
 * and sc qc says Disabled, or Manual while tasklist names services and shows no sign of its front-end: neither a
 * process naming the front-end service nor a process of the protocol's image whose service tasklist does not name
 * (an account granted read on the back-ends only, as docs/rights.md grants, sees the front-end that way). A profile
 * port is judged when some back-end that is not off either names it as its port (listener, settings) or owns it
 * in the profile and names no port at all. An optional section the reference cannot read counts as absent.
 */
final class Reference {
    /** The watched ports of the default profile, with the service that owns each. */
    static final Map<Integer, String> PROFILE = Map.of(9933, "MSExchangeIMAP4BE", 9955, "MSExchangePOP3BE",
            1993, "MSExchangeIMAP4BE", 1995, "MSExchangePOP3BE");
    private static final String[] OWNER_ORDER = {"MSExchangeIMAP4BE", "MSExchangePOP3BE"};
    private static final List<String> OWNER_ORDER_LIST = List.of(OWNER_ORDER);
    private static final Map<String, String> FRONT_END = Map.of("MSExchangeIMAP4BE", "MSExchangeIMAP4",
            "MSExchangePOP3BE", "MSExchangePOP3");
    /** Front- and back-end of a protocol run the same image (domain.md section 2). */
    private static final Map<String, String> IMAGE = Map.of("MSExchangeIMAP4BE", "Microsoft.Exchange.Imap4Service.exe",
            "MSExchangePOP3BE", "Microsoft.Exchange.Pop3Service.exe");
    private static final Charset OEM = Charset.forName("IBM850");

    /**
     * @param ranges by family (v4, v6), exclusions likewise; null when unreadable
     * @param problem why it is not OK (or unreadable); null when OK
     */
    record Answer(boolean readable, boolean ok, String problem, Map<String, Range> ranges,
            Map<String, List<Exclusion>> exclusions, List<String> holders, List<Integer> notInUse) {
        static Answer unreadable(String why) {
            return new Answer(false, false, why, null, null, List.of(), List.of());
        }
    }

    /** The optional sections as read: an unreadable or absent one is missing from its map. */
    record Services(Map<String, ReferenceServices.Sc> qc, Map<String, ReferenceServices.Sc> queryex,
            Map<String, Integer> proxyTargetPort) {
    }

    private Reference() {
    }

    static Answer judge(byte[] raw) {
        Map<String, String> sections;
        try {
            sections = sections(raw);
        } catch (Unreadable e) {
            return Answer.unreadable(e.getMessage());
        }
        Map<String, Range> ranges = new LinkedHashMap<>();
        Map<String, List<Exclusion>> exclusions = new LinkedHashMap<>();
        List<Endpoint> endpoints;
        List<Process> processes;
        String at = "";
        try {
            at = "dynamicport v4: ";
            ranges.put("v4", ReferenceNetsh.dynamicPort(sections.get(Seeds.SECTION_NAMES[0])));
            at = "dynamicport v6: ";
            ranges.put("v6", ReferenceNetsh.dynamicPort(sections.get(Seeds.SECTION_NAMES[1])));
            at = "excludedportrange v4: ";
            exclusions.put("v4", ReferenceNetsh.excludedPortRange(sections.get(Seeds.SECTION_NAMES[2])));
            at = "excludedportrange v6: ";
            exclusions.put("v6", ReferenceNetsh.excludedPortRange(sections.get(Seeds.SECTION_NAMES[3])));
            at = "netstat: ";
            endpoints = ReferenceNetstat.netstat(sections.get(Seeds.SECTION_NAMES[4]));
            at = "tasklist: ";
            processes = ReferenceTasklist.tasklist(sections.get(Seeds.SECTION_NAMES[5]));
        } catch (Unreadable e) {
            return Answer.unreadable(at + e.getMessage());
        }
        return rules(ranges, exclusions, endpoints, processes, services(sections));
    }

    /** Reads each optional section present; one the reference cannot read is left out, as if absent. */
    static Services services(Map<String, String> sections) {
        Map<String, ReferenceServices.Sc> qc = new HashMap<>();
        Map<String, ReferenceServices.Sc> queryex = new HashMap<>();
        Map<String, Integer> ports = new HashMap<>();
        for (String service : OWNER_ORDER) {
            String text = sections.get(ReferenceServices.qcSection(service));
            try {
                if (text != null) {
                    qc.put(service, ReferenceServices.qc(text, service));
                }
            } catch (Unreadable absent) {
                // judged as if the section were absent
            }
            text = sections.get(ReferenceServices.queryexSection(service));
            try {
                if (text != null) {
                    queryex.put(service, ReferenceServices.queryex(text, service));
                }
            } catch (Unreadable absent) {
                // judged as if the section were absent
            }
        }
        String text = sections.get(ReferenceServices.SETTINGS);
        try {
            if (text != null) {
                ports.putAll(ReferenceServices.settings(text));
            }
        } catch (Unreadable absent) {
            // judged as if the section were absent
        }
        return new Services(qc, queryex, ports);
    }

    private static Answer rules(Map<String, Range> ranges, Map<String, List<Exclusion>> exclusions,
            List<Endpoint> endpoints, List<Process> processes, Services services) {
        Map<Long, Process> byPid = new HashMap<>();
        processes.forEach(p -> byPid.put(p.pid(), p));
        Map<Integer, String> watched = new TreeMap<>(PROFILE);
        // The ports each back-end names as its own: where it listens, and its ProxyTargetPort setting.
        Map<String, Set<Integer>> known = new HashMap<>();
        Map<String, Boolean> running = new HashMap<>();
        for (String owner : OWNER_ORDER) {
            known.put(owner, new TreeSet<>());
            running.put(owner, processes.stream().anyMatch(p -> hasService(p, owner)));
            for (Endpoint e : endpoints) {
                Process p = byPid.get(e.pid());
                if (e.listener() && p != null && hasService(p, owner)) {
                    known.get(owner).add(e.localPort());
                    watched.putIfAbsent(e.localPort(), owner);
                }
            }
        }
        Map<String, Boolean> listens = new HashMap<>();
        known.forEach((owner, ports) -> listens.put(owner, !ports.isEmpty()));
        for (String owner : List.of(ReferenceServices.POP3, ReferenceServices.IMAP4)) {
            Integer port = services.proxyTargetPort().get(owner);
            if (port != null) {
                known.get(owner).add(port);
                watched.putIfAbsent(port, owner);
            }
        }
        boolean namesVisible = processes.stream().noneMatch(p -> p.image().equalsIgnoreCase("svchost.exe"))
                || processes.stream().anyMatch(p -> p.image().equalsIgnoreCase("svchost.exe") && !p.services().isEmpty());
        Set<String> off = new HashSet<>();
        for (String owner : OWNER_ORDER) {
            if (isOff(owner, running.get(owner) || listens.get(owner), namesVisible, processes, services)) {
                off.add(owner);
            }
        }
        List<Integer> notInUse = new ArrayList<>();
        List<String> holders = new ArrayList<>();
        String problem = null;
        for (Map.Entry<Integer, String> w : watched.entrySet()) {
            int port = w.getKey();
            if (PROFILE.containsKey(port) && OWNER_ORDER_LIST.stream().noneMatch(o -> !off.contains(o)
                    && (known.get(o).contains(port) || (PROFILE.get(port).equals(o) && known.get(o).isEmpty())))) {
                notInUse.add(port);
                continue;
            }
            for (String family : List.of("v4", "v6")) {
                String why = judgePort(port, w.getValue(), family, ranges.get(family), exclusions.get(family),
                        endpoints, byPid, holders);
                if (why != null && problem == null) {
                    problem = port + " " + family + ": " + why;
                }
            }
        }
        return new Answer(true, problem == null, problem, ranges, exclusions, holders, notInUse);
    }

    /** Whether the evidence shows this back-end's protocol is not served here (see the class comment). */
    private static boolean isOff(String owner, boolean seenRunning, boolean namesVisible, List<Process> processes,
            Services services) {
        if (seenRunning) {
            return false;
        }
        ReferenceServices.Sc qc = services.qc().get(owner);
        ReferenceServices.Sc queryex = services.queryex().get(owner);
        boolean qcOk = qc != null && qc.error() == 0;
        boolean queryexOk = queryex != null && queryex.error() == 0;
        boolean notInstalled = (qc != null && qc.error() == 1060) || (queryex != null && queryex.error() == 1060);
        if (notInstalled && !qcOk && !queryexOk) {
            return true;
        }
        boolean stopped = queryexOk ? queryex.constant().equals("STOPPED") : namesVisible;
        if (!stopped || !qcOk) {
            return false;
        }
        if (qc.constant().equals("DISABLED")) {
            return true;
        }
        String frontEnd = FRONT_END.get(owner);
        String image = IMAGE.get(owner);
        boolean frontEndSigns = processes.stream().anyMatch(p -> hasService(p, frontEnd)
                || (p.image().equalsIgnoreCase(image) && p.services().isEmpty()));
        return qc.constant().equals("DEMAND_START") && namesVisible && !frontEndSigns;
    }

    private static String judgePort(int port, String owner, String family, Range range, List<Exclusion> exclusions,
            List<Endpoint> endpoints, Map<Long, Process> byPid, List<String> holders) {
        boolean administered = false;
        for (Exclusion x : exclusions) {
            if (x.start() <= port && port <= x.end()) {
                if (!x.administered()) {
                    return "inside the exclusion without '*' " + x.start() + "-" + x.end();
                }
                administered = true;
            }
        }
        List<Endpoint> here = endpoints.stream()
                .filter(e -> e.localPort() == port && e.ipv6() == family.equals("v6")).toList();
        boolean ownerListens = here.stream().anyMatch(e -> e.listener() && isOwner(byPid.get(e.pid()), owner));
        boolean timeWait = false;
        for (Endpoint e : here) {
            holders.add(family + ":" + port + " pid " + e.pid() + (e.listener() ? " listening" : ""));
            if (e.pid() == 0) {
                timeWait = true;
            } else if (!isOwner(byPid.get(e.pid()), owner) && !(ownerListens && !e.listener())) {
                return "held by PID " + e.pid();
            }
        }
        if (timeWait && !ownerListens && !administered) {
            return "TIME_WAIT with no owner listening";
        }
        if (!administered && range.start() <= port && port <= range.end()) {
            return "inside the dynamic range " + range.start() + "-" + range.end();
        }
        return null;
    }

    private static boolean isOwner(Process p, String owner) {
        return p != null && (p.image().equalsIgnoreCase(owner) || hasService(p, owner));
    }

    private static boolean hasService(Process p, String owner) {
        return p.services().stream().anyMatch(s -> s.toLowerCase(Locale.ROOT).equals(owner.toLowerCase(Locale.ROOT)));
    }

    /**
     * The sections of {@link Seeds#SECTION_NAMES}, each at most once, the first {@link Seeds#REQUIRED_SECTIONS}
     * present, decoded. A UTF-16 file (BOM, or NUL in every odd byte of its
     * start) is decoded whole; otherwise each section on its own: UTF-8 when valid, else the OEM code page.
     * A marker is a line {@code #@section NAME} (indentation allowed, a space or tab before NAME); unknown names
     * are skipped.
     */
    static Map<String, String> sections(byte[] raw) throws Unreadable {
        String text;
        boolean bytewise = false;
        int n = raw.length;
        if (n >= 2 && (raw[0] & 0xFF) == 0xFF && (raw[1] & 0xFF) == 0xFE) {
            text = new String(raw, 2, n - 2, StandardCharsets.UTF_16LE);
        } else if (n >= 2 && (raw[0] & 0xFF) == 0xFE && (raw[1] & 0xFF) == 0xFF) {
            text = new String(raw, 2, n - 2, StandardCharsets.UTF_16BE);
        } else if (n >= 4 && raw[0] != 0 && raw[1] == 0 && raw[2] != 0 && raw[3] == 0) {
            text = new String(raw, StandardCharsets.UTF_16LE);
        } else {
            int bom = n >= 3 && (raw[0] & 0xFF) == 0xEF && (raw[1] & 0xFF) == 0xBB && (raw[2] & 0xFF) == 0xBF ? 3 : 0;
            text = new String(raw, bom, n - bom, StandardCharsets.ISO_8859_1);
            bytewise = true;
        }
        Map<String, String> out = new HashMap<>();
        String current = null;
        StringBuilder body = new StringBuilder();
        List<String> lines = Mutator.splitKeepingEnds(text);
        for (int i = 0; i <= lines.size(); i++) {
            String line = i < lines.size() ? lines.get(i) : null;
            String marker = line == null ? "" : markerName(line);
            if (marker == null) {
                body.append(line);
                continue;
            }
            if (current != null && out.put(current, bytewise ? decode(body.toString()) : body.toString()) != null) {
                throw new Unreadable("section " + current + " appears twice");
            }
            current = List.of(Seeds.SECTION_NAMES).contains(marker) ? marker : null;
            body.setLength(0);
        }
        for (String name : List.of(Seeds.SECTION_NAMES).subList(0, Seeds.REQUIRED_SECTIONS)) {
            if (!out.containsKey(name)) {
                throw new Unreadable("section " + name + " missing");
            }
        }
        return out;
    }

    private static String markerName(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        // "#@section" then a blank (space or tab), as the snapshot format is documented; the 1,000,000-input
        // campaign's one "wrong OK" was this reference refusing a tab there that the product rightly read.
        int after = i + "#@section".length();
        return line.startsWith("#@section", i) && after < line.length()
                && (line.charAt(after) == ' ' || line.charAt(after) == '\t')
                ? line.substring(after).strip() : null;
    }

    private static String decode(String latin1) {
        byte[] bytes = latin1.getBytes(StandardCharsets.ISO_8859_1);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, OEM);
        }
    }
}
