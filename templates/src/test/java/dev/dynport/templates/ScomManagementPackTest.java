package dev.dynport.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * templates/scom/Dynport.Monitoring.xml against the agent's event IDs (read from EventIds.java) and against the
 * module types of Microsoft's library management packs.
 */
class ScomManagementPackTest {
    static final String MP = "templates/scom/Dynport.Monitoring.xml";
    /** The event source the agent's windows-eventlog sink writes with (eventcreate /SO). */
    static final String EVENT_SOURCE = "dynport";
    static final String MICROSOFT_KEY_TOKEN = "31bf3856ad364e35";

    /**
     * Elements of Microsoft's sealed library MPs this MP may use, by library. Each is documented in the
     * Operations Manager module reference (see docs/templates.md for the pages).
     */
    static final Map<String, Set<String>> LIBRARY_ELEMENTS = Map.of(
            "Microsoft.Windows.Library", Set.of(
                    "Microsoft.Windows.2SingleEventLog2StateMonitorType",
                    "Microsoft.Windows.EventProvider",
                    "Microsoft.Windows.Server.Computer",
                    "Microsoft.Windows.Computer",
                    "Microsoft.Windows.LocalApplication",
                    "Microsoft.Windows.FilteredRegistryDiscoveryProvider"),
            "System.Health.Library", Set.of(
                    "System.Health.GenerateAlert",
                    "System.Health.AvailabilityState"),
            "Microsoft.SystemCenter.Library", Set.of(
                    "Microsoft.SystemCenter.CollectEvent"),
            "System.Library", Set.of(
                    "System.Scheduler",
                    "System.CorrelatorAutoMissingCondition",
                    "System.Entity"));
    /** Exchange's own back-end failure events (docs: ../shared/domain.md §5) and the sources that write them. */
    static final Set<String> EXCHANGE_EVENT_IDS = Set.of("1018", "1032", "1036");
    static final Set<String> EXCHANGE_SOURCES = Set.of("MSExchange POP3 backend service", "MSExchange IMAP4 backend service");
    static final String TARGET = "Dynport.ExchangeServer";

    static Document mp;
    static Map<String, Integer> ids;

    @BeforeAll
    static void read() throws Exception {
        mp = ManagementPackXml.parse(RepoFiles.file(MP));
        ids = EventIdsSource.read();
    }

    @Test
    void readsEveryAgentEventIdConstant() {
        // Guards the text parser: if EventIds.java changes shape and nothing is read, every other test here
        // would compare against nothing.
        assertTrue(ids.keySet().containsAll(List.of("PORT_HEALTHY", "PORT_WARNING", "PORT_CRITICAL", "PORT_UNKNOWN",
                "PROBE_FAILED", "PROBE_RECOVERED", "HEARTBEAT", "AGENT_STARTED", "AGENT_STOPPING", "EVENTS_DROPPED")),
                "constants read from " + EventIdsSource.path() + ": " + ids);
        ids.forEach((name, id) -> assertTrue(id >= 1 && id <= 1000, name + " outside eventcreate's 1-1000 [" + id + "]"));
        assertEquals(ids.size(), new TreeSet<>(ids.values()).size(), "event IDs must be distinct: " + ids);
    }

    @Test
    void namesOnlyEventIdsTheAgentWrites() {
        Set<String> known = ids.values().stream().map(String::valueOf).collect(Collectors.toSet());
        Set<String> used = new TreeSet<>();
        for (String tag : List.of("Rule", "UnitMonitor", "UnitMonitorType")) {
            for (Element e : ManagementPackXml.elements(mp, tag)) {
                if (!e.getAttribute("ID").startsWith("Dynport.Rule.Exchange")) {
                    used.addAll(ManagementPackXml.comparedValues(e, "EventDisplayNumber"));
                }
            }
        }
        assertFalse(used.isEmpty(), "the MP compares no EventDisplayNumber");
        Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(known);
        assertTrue(unknown.isEmpty(), "event IDs in " + MP + " that EventIds.java does not define: " + unknown);
    }

    @Test
    void collectsEveryEventIdTheAgentWrites() {
        Element collect = workflow("Rule", "Dynport.Rule.CollectEvents");
        Set<String> collected = ManagementPackXml.comparedValues(collect, "EventDisplayNumber");
        Set<String> missing = new TreeSet<>();
        ids.forEach((name, id) -> {
            if (!collected.contains(String.valueOf(id))) {
                missing.add(name + "=" + id);
            }
        });
        assertTrue(missing.isEmpty(), "agent events the MP does not collect: " + missing);
    }

    @Test
    void hasACriticalAndAWarningMonitorPerPortAndFamilyOfTheExchangeProfile() throws Exception {
        List<Integer> ports = exchangeProfilePorts();
        Set<String> perPort = new TreeSet<>();
        for (int port : ports) {
            for (String family : List.of("ipv4", "ipv6")) {
                String base = "Dynport.Monitor.Port" + port + "." + (family.equals("ipv4") ? "IPv4" : "IPv6");
                String prefix = descriptionPrefix(port, family);
                assertMonitor(base + ".Critical", Set.of("PORT_CRITICAL"), "Error",
                        Set.of("PORT_HEALTHY", "PORT_WARNING", "PORT_UNKNOWN"), prefix, "Dynport.Monitor.PortsRollup");
                assertMonitor(base + ".Warning", Set.of("PORT_WARNING", "PORT_UNKNOWN"), "Warning",
                        Set.of("PORT_HEALTHY", "PORT_CRITICAL"), prefix, "Dynport.Monitor.PortsRollup");
                perPort.add(base + ".Critical");
                perPort.add(base + ".Warning");
            }
        }
        assertEquals(4 * ports.size(), perPort.size());
        Set<String> all = ManagementPackXml.elements(mp, "UnitMonitor").stream().map(e -> e.getAttribute("ID"))
                .collect(Collectors.toCollection(TreeSet::new));
        all.removeAll(perPort);
        all.removeAll(usageMonitors());
        assertEquals(Set.of("Dynport.Monitor.ProbeFailure", "Dynport.Monitor.AgentStopped", "Dynport.Monitor.HeartbeatMissing"),
                all, "unexpected unit monitors");
        Element rollup = workflow("AggregateMonitor", "Dynport.Monitor.PortsRollup");
        assertEquals("WorstOf", ManagementPackXml.child(rollup, "Algorithm").getTextContent().trim());
    }

    private static Set<String> usageMonitors() {
        Set<String> out = new TreeSet<>();
        for (String family : List.of("IPv4", "IPv6")) {
            out.add("Dynport.Monitor.Usage." + family + ".Critical");
            out.add("Dynport.Monitor.Usage." + family + ".Warning");
        }
        return out;
    }

    @Test
    void hasACriticalAndAWarningMonitorPerFamilyForTheDynamicPortUsage() {
        for (String family : List.of("ipv4", "ipv6")) {
            String base = "Dynport.Monitor.Usage." + (family.equals("ipv4") ? "IPv4" : "IPv6");
            // the windows-eventlog sink writes "dynport HOST usage/ipv4 STATE: ..." for usage events
            String prefix = "^dynport [^ ]+ usage/" + family + "[ ]";
            assertMonitor(base + ".Critical", Set.of("USAGE_CRITICAL"), "Error",
                    Set.of("USAGE_HEALTHY", "USAGE_WARNING", "USAGE_UNKNOWN"), prefix, "Dynport.Monitor.UsageRollup");
            assertMonitor(base + ".Warning", Set.of("USAGE_WARNING", "USAGE_UNKNOWN"), "Warning",
                    Set.of("USAGE_HEALTHY", "USAGE_CRITICAL"), prefix, "Dynport.Monitor.UsageRollup");
        }
        Element rollup = workflow("AggregateMonitor", "Dynport.Monitor.UsageRollup");
        assertEquals("WorstOf", ManagementPackXml.child(rollup, "Algorithm").getTextContent().trim());
        assertEquals("Health!System.Health.AvailabilityState", rollup.getAttribute("ParentMonitorID"));
    }

    @Test
    void pairsTheHostLevelMonitorsAndRulesWithTheAgentsEvents() {
        assertMonitor("Dynport.Monitor.ProbeFailure", Set.of("PROBE_FAILED"), "Warning", Set.of("PROBE_RECOVERED"), null,
                "Health!System.Health.AvailabilityState");
        assertMonitor("Dynport.Monitor.AgentStopped", Set.of("AGENT_STOPPING"), "Warning", Set.of("AGENT_STARTED"), null,
                "Health!System.Health.AvailabilityState");
        Element dropped = workflow("Rule", "Dynport.Rule.EventsDropped");
        assertEquals(idsOf(Set.of("EVENTS_DROPPED")), ManagementPackXml.comparedValues(dropped, "EventDisplayNumber"));
        assertEquals("Health!System.Health.GenerateAlert",
                ManagementPackXml.elements(dropped, "WriteAction").get(0).getAttribute("TypeID"));
    }

    @Test
    void alertsOnPortsWithoutAMonitorOfTheirOwn() throws Exception {
        Set<String> monitored = new TreeSet<>();
        for (int port : exchangeProfilePorts()) {
            monitored.add(descriptionPrefix(port, "ipv4"));
            monitored.add(descriptionPrefix(port, "ipv6"));
        }
        Element critical = workflow("Rule", "Dynport.Rule.OtherPortCritical");
        Element warning = workflow("Rule", "Dynport.Rule.OtherPortWarning");
        assertEquals(idsOf(Set.of("PORT_CRITICAL")), ManagementPackXml.comparedValues(critical, "EventDisplayNumber"));
        assertEquals(idsOf(Set.of("PORT_WARNING", "PORT_UNKNOWN")), ManagementPackXml.comparedValues(warning, "EventDisplayNumber"));
        for (Element rule : List.of(critical, warning)) {
            assertEquals(monitored, new TreeSet<>(ManagementPackXml.regexPatterns(rule, "EventDescription",
                    "DoesNotMatchRegularExpression")), rule.getAttribute("ID") + " must leave out exactly the monitored ports");
        }
    }

    @Test
    void selectsPortsByTheTextPrefixTheEventLogSinkWrites() throws Exception {
        // The per-port filters expect the event text to start "dynport HOST PORT/FAMILY " (WindowsEventLogSink.text).
        Path sink = RepoFiles.root().resolve("probe-agent/src/main/java/dev/dynport/probe/sink/WindowsEventLogSink.java");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(sink), "this tree has no windows-eventlog sink yet");
        String java = Files.readString(sink, StandardCharsets.UTF_8);
        assertTrue(java.contains("new StringBuilder(\"dynport \").append(e.host())")
                && java.contains(".append(' ').append(e.port()).append('/').append(e.family())"),
                "WindowsEventLogSink no longer writes \"dynport HOST PORT/FAMILY ...\": update the MP's description patterns");
        assertTrue(java.contains(".append(\" usage/\").append(e.family())"),
                "WindowsEventLogSink no longer writes \"dynport HOST usage/FAMILY ...\" for usage events: update the MP");
        // The prefix pattern must not confuse ports that end alike (19955 vs 9955).
        Pattern p = Pattern.compile(descriptionPrefix(9955, "ipv4"));
        assertTrue(p.matcher("dynport exch01 9955/ipv4 CRITICAL: 9955/tcp ...").find());
        assertFalse(p.matcher("dynport exch01 19955/ipv4 CRITICAL: ...").find());
        assertFalse(p.matcher("dynport exch01 9955/ipv6 WARNING: ...").find());
    }

    @Test
    void everyEventFilterMatchesTheAgentsSourceAndTypedEventNumbers() {
        List<Element> filters = new java.util.ArrayList<>();
        filters.addAll(ManagementPackXml.elements(mp, "Expression").stream()
                .filter(e -> e.getParentNode() instanceof Element p && p.getTagName().equals("DataSource")
                        && p.getAttribute("TypeID").equals("Windows!Microsoft.Windows.EventProvider")
                        && !(p.getParentNode().getParentNode() instanceof Element r
                                && r.getAttribute("ID").startsWith("Dynport.Rule.Exchange"))).toList());
        for (String tag : List.of("FirstExpression", "SecondExpression")) {
            filters.addAll(ManagementPackXml.elements(mp, tag));
        }
        long eventLogMonitors = ManagementPackXml.elements(mp, "UnitMonitor").stream().filter(m -> m.getAttribute("TypeID")
                .equals("Windows!Microsoft.Windows.2SingleEventLog2StateMonitorType")).count();
        assertEquals(ManagementPackXml.elements(mp, "Rule").size() - EXCHANGE_EVENT_IDS.size() + 2 * eventLogMonitors + 1,
                filters.size(), "one event filter per dynport rule, two per event log monitor, one in the heartbeat monitor type");
        for (Element f : filters) {
            assertEquals(Set.of(EVENT_SOURCE), ManagementPackXml.comparedValues(f, "PublisherName"),
                    "a filter does not pin the event source");
            assertFalse(ManagementPackXml.comparedValues(f, "EventDisplayNumber").isEmpty(), "a filter without an event ID");
        }
        // SCOM compares as strings unless told otherwise: 100 would then also match "1000"-style text compares.
        for (Element q : ManagementPackXml.elements(mp, "XPathQuery")) {
            if (q.getTextContent().trim().equals("EventDisplayNumber")) {
                assertEquals("UnsignedInteger", q.getAttribute("Type"));
            }
        }
        for (Element log : ManagementPackXml.elements(mp, "LogName")) {
            assertEquals("Application", log.getTextContent().trim(), "eventcreate writes to the Application log");
        }
    }

    @Test
    void filtersOnTheSourceTheAgentsEventLogSinkWritesByDefault() throws Exception {
        // The sink reads its "source" with a default: r.string(n, path, "source", "<default>").
        Path sink = RepoFiles.root().resolve("probe-agent/src/main/java/dev/dynport/probe/sink/WindowsEventLogSink.java");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(sink), "this tree has no windows-eventlog sink yet");
        Matcher m = Pattern.compile("\\.string\\([^;]*?\"source\"\\s*,\\s*\"([^\"]+)\"\\s*\\)").matcher(
                Files.readString(sink, StandardCharsets.UTF_8));
        assertTrue(m.find(), "no default event source found in " + sink);
        assertEquals(EVENT_SOURCE, m.group(1), "the MP filters on source [" + EVENT_SOURCE
                + "] but the windows-eventlog sink writes [" + m.group(1) + "] by default");
    }

    @Test
    void usesOnlyModuleTypesAndClassesOfMicrosoftLibraryPacks() {
        Map<String, String> aliasToLibrary = new HashMap<>();
        for (Element ref : ManagementPackXml.elements(mp, "Reference")) {
            String library = ManagementPackXml.child(ref, "ID").getTextContent().trim();
            assertTrue(LIBRARY_ELEMENTS.containsKey(library), "unexpected referenced MP [" + library + "]");
            assertEquals(MICROSOFT_KEY_TOKEN, ManagementPackXml.child(ref, "PublicKeyToken").getTextContent().trim(),
                    library + " must be Microsoft's sealed MP");
            aliasToLibrary.put(ref.getAttribute("Alias"), library);
        }
        Set<String> referenced = new LinkedHashSet<>();
        for (String attribute : List.of("TypeID", "Target", "ParentMonitorID", "Base")) {
            for (Element e : ManagementPackXml.elements(mp, "*")) {
                if (e.hasAttribute(attribute)) {
                    referenced.add(e.getAttribute(attribute));
                }
            }
        }
        Matcher inline = Pattern.compile("Type=\"([^\"]+)\"").matcher(textOf(mp.getDocumentElement()));
        while (inline.find()) {
            if (inline.group(1).contains("!")) {
                referenced.add(inline.group(1));
            }
        }
        assertFalse(referenced.isEmpty());
        Set<String> local = new java.util.HashSet<>();
        for (String tag : List.of("UnitMonitor", "AggregateMonitor", "Rule", "ClassType", "UnitMonitorType", "Discovery")) {
            ManagementPackXml.elements(mp, tag).forEach(e -> local.add(e.getAttribute("ID")));
        }
        for (String ref : referenced) {
            if (local.contains(ref)) {
                continue;
            }
            String[] parts = ref.split("!", 2);
            assertEquals(2, parts.length, "a module type or class outside any library MP [" + ref + "]");
            String library = aliasToLibrary.get(parts[0]);
            assertTrue(library != null, "undeclared reference alias in [" + ref + "]");
            assertTrue(LIBRARY_ELEMENTS.get(library).contains(parts[1]), "[" + parts[1] + "] is not a known element of " + library);
        }
    }

    @Test
    void everyWorkflowHasDisplayStringsAndResolvableAlertMessages() {
        Set<String> resources = ManagementPackXml.elements(mp, "StringResource").stream()
                .map(e -> e.getAttribute("ID")).collect(Collectors.toSet());
        Set<String> displayed = new java.util.HashSet<>();
        for (Element d : ManagementPackXml.elements(mp, "DisplayString")) {
            String sub = d.getAttribute("SubElementID");
            displayed.add(sub.isEmpty() ? d.getAttribute("ElementID") : d.getAttribute("ElementID") + "/" + sub);
            assertFalse(ManagementPackXml.child(d, "Name").getTextContent().isBlank(), "empty display name");
        }
        assertTrue(displayed.contains(mp.getElementsByTagName("ID").item(0).getTextContent().trim()), "no display string for the MP");
        for (Element m : ManagementPackXml.elements(mp, "UnitMonitor")) {
            String id = m.getAttribute("ID");
            assertTrue(displayed.contains(id), "no display string for " + id);
            String message = ManagementPackXml.child(m, "AlertSettings").getAttribute("AlertMessage");
            assertTrue(resources.contains(message) && displayed.contains(message), id + ": alert message [" + message + "]");
            if (!m.getAttribute("TypeID").equals("Windows!Microsoft.Windows.2SingleEventLog2StateMonitorType")) {
                continue; // the heartbeat monitor: its own test
            }
            for (Element s : ManagementPackXml.elements(m, "OperationalState")) {
                assertTrue(Set.of("FirstEventRaised", "SecondEventRaised").contains(s.getAttribute("MonitorTypeStateID")),
                        id + ": not a state of the 2-state event log monitor type [" + s.getAttribute("MonitorTypeStateID") + "]");
                assertTrue(displayed.contains(id + "/" + s.getAttribute("ID")), id + ": no display string for state " + s.getAttribute("ID"));
            }
            assertEquals(List.of("FirstComputerName", "FirstLogName", "FirstExpression",
                    "SecondComputerName", "SecondLogName", "SecondExpression"),
                    ManagementPackXml.childTags(ManagementPackXml.child(m, "Configuration")),
                    id + ": configuration of Microsoft.Windows.2SingleEventLog2StateMonitorType");
        }
        for (String tag : List.of("Rule", "AggregateMonitor", "ClassType", "Discovery", "UnitMonitorType")) {
            for (Element r : ManagementPackXml.elements(mp, tag)) {
                assertTrue(displayed.contains(r.getAttribute("ID")), "no display string for " + r.getAttribute("ID"));
            }
        }
        StringBuilder alertIds = new StringBuilder();
        ManagementPackXml.elements(mp, "AlertMessageId").forEach(e -> alertIds.append(e.getTextContent()).append('\n'));
        Matcher element = Pattern.compile("\\$MPElement\\[Name=\"([^\"]+)\"]\\$").matcher(alertIds);
        int count = 0;
        while (element.find()) {
            count++;
            assertTrue(resources.contains(element.group(1)) && displayed.contains(element.group(1)),
                    "alert message of a rule [" + element.group(1) + "]");
        }
        assertTrue(count > 0, "no rule raises an alert");
    }

    @Test
    void targetsExchangeServersFoundByTheirSetupRegistryValueNotEveryWindowsServer() {
        for (String tag : List.of("Rule", "UnitMonitor", "AggregateMonitor")) {
            for (Element e : ManagementPackXml.elements(mp, tag)) {
                assertEquals(TARGET, e.getAttribute("Target"), e.getAttribute("ID") + " must target Exchange servers only");
            }
        }
        Element cls = workflow("ClassType", TARGET);
        assertEquals("Windows!Microsoft.Windows.LocalApplication", cls.getAttribute("Base"));
        assertEquals("true", cls.getAttribute("Hosted"), "hosted by the Windows computer, so $Target/Host/... resolves");
        Element discovery = workflow("Discovery", "Dynport.Discovery.ExchangeServer");
        assertEquals("Windows!Microsoft.Windows.Server.Computer", discovery.getAttribute("Target"));
        assertEquals(TARGET, ManagementPackXml.elements(discovery, "DiscoveryClass").get(0).getAttribute("TypeID"));
        Element ds = ManagementPackXml.child(discovery, "DataSource");
        assertEquals("Windows!Microsoft.Windows.FilteredRegistryDiscoveryProvider", ds.getAttribute("TypeID"));
        Element attr = ManagementPackXml.elements(ds, "RegistryAttributeDefinition").get(0);
        assertEquals("SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup\\MsiInstallPath",
                ManagementPackXml.child(attr, "Path").getTextContent().trim());
        assertEquals("1", ManagementPackXml.child(attr, "PathType").getTextContent().trim(), "a value, not a key");
        assertEquals("0", ManagementPackXml.child(attr, "AttributeType").getTextContent().trim(), "0 = exists (boolean)");
        String name = ManagementPackXml.child(attr, "AttributeName").getTextContent().trim();
        assertEquals(Set.of("true"), ManagementPackXml.comparedValues(ds, "Values/" + name),
                "instances only where the value exists");
        assertEquals("$MPElement[Name=\"" + TARGET + "\"]$", ManagementPackXml.child(ds, "ClassId").getTextContent().trim());
        for (Element c : ManagementPackXml.elements(mp, "ComputerName")) {
            if (!isInside(c, discovery) && !c.getTextContent().contains("$Config/")) {
                assertEquals("$Target/Host/Property[Type=\"Windows!Microsoft.Windows.Computer\"]/NetworkName$",
                        c.getTextContent().trim(), "workflows on the hosted class read the host computer's name");
            }
        }
    }

    @Test
    void aMonitorTurnsUnhealthyWhenTheAgentsHeartbeatStops() {
        Element m = workflow("UnitMonitor", "Dynport.Monitor.HeartbeatMissing");
        assertEquals("Health!System.Health.AvailabilityState", m.getAttribute("ParentMonitorID"));
        Element type = workflow("UnitMonitorType", m.getAttribute("TypeID"));
        Map<String, String> modules = new HashMap<>();
        for (String tag : List.of("DataSource", "ConditionDetection")) {
            ManagementPackXml.elements(type, tag).forEach(e -> modules.put(e.getAttribute("ID"), e.getAttribute("TypeID")));
        }
        assertEquals(Map.of("Tick", "System!System.Scheduler", "Heartbeat", "Windows!Microsoft.Windows.EventProvider",
                "NoHeartbeatAfterTick", "System!System.CorrelatorAutoMissingCondition"), modules);
        Element heartbeat = ManagementPackXml.elements(type, "DataSource").stream()
                .filter(e -> e.getAttribute("ID").equals("Heartbeat")).findFirst().orElseThrow();
        assertEquals(idsOf(Set.of("HEARTBEAT")), ManagementPackXml.comparedValues(heartbeat, "EventDisplayNumber"));
        assertEquals(Set.of(EVENT_SOURCE), ManagementPackXml.comparedValues(heartbeat, "PublisherName"));
        Map<String, String> detections = new HashMap<>();
        for (Element d : ManagementPackXml.elements(type, "RegularDetection")) {
            Element root = ManagementPackXml.child(d, "Node");
            StringBuilder tree = new StringBuilder(root.getAttribute("ID"));
            for (Element n : ManagementPackXml.elements(root, "Node")) {
                tree.append(' ').append(n.getAttribute("ID"));
            }
            detections.put(d.getAttribute("MonitorTypeStateID"), tree.toString());
        }
        assertEquals(Map.of("HeartbeatMissing", "NoHeartbeatAfterTick Tick Heartbeat", "HeartbeatSeen", "Heartbeat"),
                detections, "unhealthy: a tick not followed by a heartbeat; healthy: any heartbeat");
        Map<String, String> states = new HashMap<>();
        for (Element s : ManagementPackXml.elements(m, "OperationalState")) {
            states.put(s.getAttribute("MonitorTypeStateID"), s.getAttribute("HealthState"));
        }
        assertEquals(Map.of("HeartbeatMissing", "Warning", "HeartbeatSeen", "Success"), states);
        int interval = Integer.parseInt(ManagementPackXml.child(ManagementPackXml.child(m, "Configuration"),
                "IntervalSeconds").getTextContent().trim());
        assertTrue(interval >= 3 * 300, "the window must span several of the agent's default 5-minute heartbeats ["
                + interval + " s]");
        assertEquals("true", ManagementPackXml.child(ManagementPackXml.child(m, "AlertSettings"), "AutoResolve").getTextContent().trim());
    }

    @Test
    void alertsOnExchangesOwnBackendFailureEvents() {
        Set<String> seen = new TreeSet<>();
        for (String id : EXCHANGE_EVENT_IDS) {
            Element rule = workflow("Rule", "Dynport.Rule.Exchange" + id);
            assertEquals(Set.of(id), ManagementPackXml.comparedValues(rule, "EventDisplayNumber"));
            assertEquals(EXCHANGE_SOURCES, ManagementPackXml.comparedValues(rule, "PublisherName"));
            assertEquals(1, ManagementPackXml.elements(rule, "Or").size(), "either source, not both at once");
            assertEquals("Health!System.Health.GenerateAlert",
                    ManagementPackXml.elements(rule, "WriteAction").get(0).getAttribute("TypeID"));
            assertEquals("Application", ManagementPackXml.elements(rule, "LogName").get(0).getTextContent().trim());
            seen.add(id);
        }
        assertEquals(EXCHANGE_EVENT_IDS, seen);
    }

    private static boolean isInside(Element e, Element ancestor) {
        for (org.w3c.dom.Node n = e; n != null; n = n.getParentNode()) {
            if (n == ancestor) {
                return true;
            }
        }
        return false;
    }

    private void assertMonitor(String id, Set<String> unhealthy, String health, Set<String> healthy, String prefix,
            String parent) {
        Element m = workflow("UnitMonitor", id);
        assertEquals("Windows!Microsoft.Windows.2SingleEventLog2StateMonitorType", m.getAttribute("TypeID"));
        assertEquals(parent, m.getAttribute("ParentMonitorID"), id);
        Element config = ManagementPackXml.child(m, "Configuration");
        Element first = ManagementPackXml.child(config, "FirstExpression");
        Element second = ManagementPackXml.child(config, "SecondExpression");
        assertEquals(idsOf(unhealthy), ManagementPackXml.comparedValues(first, "EventDisplayNumber"), id + " unhealthy events");
        assertEquals(idsOf(healthy), ManagementPackXml.comparedValues(second, "EventDisplayNumber"), id + " healthy events");
        List<String> expected = prefix == null ? List.of() : List.of(prefix);
        assertEquals(expected, ManagementPackXml.regexPatterns(first, "EventDescription", "MatchesRegularExpression"), id);
        assertEquals(expected, ManagementPackXml.regexPatterns(second, "EventDescription", "MatchesRegularExpression"), id);
        Map<String, String> states = new HashMap<>();
        for (Element s : ManagementPackXml.elements(m, "OperationalState")) {
            states.put(s.getAttribute("MonitorTypeStateID"), s.getAttribute("HealthState"));
        }
        assertEquals(Map.of("FirstEventRaised", health, "SecondEventRaised", "Success"), states, id + " health states");
    }

    static String descriptionPrefix(int port, String family) {
        return "^dynport [^ ]+ " + port + "/" + family + "[ ]";
    }

    /** The ports of the check's "exchange" profile, read from Profile.java: {@code EXCHANGE("exchange", List.of(port(9933, ...}. */
    static List<Integer> exchangeProfilePorts() throws Exception {
        String java = Files.readString(RepoFiles.file("dynport-core/src/main/java/dev/dynport/check/judge/Profile.java"),
                StandardCharsets.UTF_8);
        int start = java.indexOf("EXCHANGE(\"exchange\"");
        assertTrue(start >= 0, "no EXCHANGE profile in Profile.java");
        int end = java.indexOf("NONE(", start);
        Matcher m = Pattern.compile("port\\((\\d+),").matcher(java.substring(start, end < 0 ? java.length() : end));
        List<Integer> ports = new java.util.ArrayList<>();
        while (m.find()) {
            ports.add(Integer.parseInt(m.group(1)));
        }
        assertTrue(ports.containsAll(List.of(9933, 9955, 1993, 1995, 9710, 64327, 64337)), "exchange profile ports " + ports);
        return ports;
    }

    private static Set<String> idsOf(Set<String> names) {
        Set<String> out = new TreeSet<>();
        for (String n : names) {
            Integer v = ids.get(n);
            assertTrue(v != null, "EventIds.java has no constant " + n);
            out.add(String.valueOf(v));
        }
        return out;
    }

    private static Element workflow(String tag, String id) {
        return ManagementPackXml.elements(mp, tag).stream().filter(e -> e.getAttribute("ID").equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(MP + " has no <" + tag + " ID=\"" + id + "\">"));
    }

    private static String textOf(Element root) {
        StringBuilder b = new StringBuilder();
        for (Element e : ManagementPackXml.elements(root, "*")) {
            for (org.w3c.dom.Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n.getNodeType() == org.w3c.dom.Node.TEXT_NODE) {
                    b.append(n.getNodeValue()).append('\n');
                }
            }
        }
        return b.toString();
    }
}
