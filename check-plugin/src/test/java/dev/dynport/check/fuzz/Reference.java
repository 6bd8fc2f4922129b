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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A second, minimal reading of a snapshot and of the rules of docs/situations.md ("Findings"), independent of the
 * product's code: it answers "unreadable" (with the reason) or the facts and whether the host is OK. OK means:
 * every section present exactly once and readable, and for every watched port and family no exclusion without
 * '*', no foreign endpoint, no TIME_WAIT without a listening owner or a '*' exclusion, and either a '*'
 * exclusion or a place outside the dynamic range. A profile port of a back-end seen listening on another port is
 * not judged (a back-end binds only its ProxyTargetPort).
 */
final class Reference {
    /** The watched ports of the default profile, with the service that owns each. */
    static final Map<Integer, String> PROFILE = Map.of(9933, "MSExchangeIMAP4BE", 9955, "MSExchangePOP3BE",
            1993, "MSExchangeIMAP4BE", 1995, "MSExchangePOP3BE");
    private static final String[] OWNER_ORDER = {"MSExchangeIMAP4BE", "MSExchangePOP3BE"};
    private static final Charset OEM = Charset.forName("IBM850");

    /**
     * @param ranges by family (v4, v6), exclusions likewise; null when unreadable
     * @param problem why it is not OK (or unreadable); null when OK
     */
    record Answer(boolean readable, boolean ok, String problem, Map<String, Range> ranges,
            Map<String, List<Exclusion>> exclusions, List<String> holders) {
        static Answer unreadable(String why) {
            return new Answer(false, false, why, null, null, List.of());
        }
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
            ranges.put("v4", ReferenceFormats.dynamicPort(sections.get(Seeds.SECTION_NAMES[0])));
            at = "dynamicport v6: ";
            ranges.put("v6", ReferenceFormats.dynamicPort(sections.get(Seeds.SECTION_NAMES[1])));
            at = "excludedportrange v4: ";
            exclusions.put("v4", ReferenceFormats.excludedPortRange(sections.get(Seeds.SECTION_NAMES[2])));
            at = "excludedportrange v6: ";
            exclusions.put("v6", ReferenceFormats.excludedPortRange(sections.get(Seeds.SECTION_NAMES[3])));
            at = "netstat: ";
            endpoints = ReferenceFormats.netstat(sections.get(Seeds.SECTION_NAMES[4]));
            at = "tasklist: ";
            processes = ReferenceFormats.tasklist(sections.get(Seeds.SECTION_NAMES[5]));
        } catch (Unreadable e) {
            return Answer.unreadable(at + e.getMessage());
        }
        return rules(ranges, exclusions, endpoints, processes);
    }

    private static Answer rules(Map<String, Range> ranges, Map<String, List<Exclusion>> exclusions,
            List<Endpoint> endpoints, List<Process> processes) {
        Map<Long, Process> byPid = new HashMap<>();
        processes.forEach(p -> byPid.put(p.pid(), p));
        Map<Integer, String> watched = new TreeMap<>(PROFILE);
        // A port on which an owner service listens is watched too (first owner in profile order wins).
        for (String owner : OWNER_ORDER) {
            for (Endpoint e : endpoints) {
                Process p = byPid.get(e.pid());
                if (e.listener() && p != null && hasService(p, owner)) {
                    watched.putIfAbsent(e.localPort(), owner);
                }
            }
        }
        // A back-end binds only its ProxyTargetPort: once it is seen listening, a profile port of it on which it does
        // not listen is not this host's port and is not judged.
        Map<String, List<Integer>> listensOn = new HashMap<>();
        for (Endpoint e : endpoints) {
            Process p = byPid.get(e.pid());
            for (String owner : OWNER_ORDER) {
                if (e.listener() && p != null && hasService(p, owner)) {
                    listensOn.computeIfAbsent(owner, k -> new ArrayList<>()).add(e.localPort());
                }
            }
        }
        List<String> holders = new ArrayList<>();
        String problem = null;
        for (Map.Entry<Integer, String> w : watched.entrySet()) {
            int port = w.getKey();
            List<Integer> used = listensOn.get(w.getValue());
            if (PROFILE.containsKey(port) && used != null && !used.contains(port)) {
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
        return new Answer(true, problem == null, problem, ranges, exclusions, holders);
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
     * The six sections, each present exactly once, decoded. A UTF-16 file (BOM, or NUL in every odd byte of its
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
        for (String name : Seeds.SECTION_NAMES) {
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
