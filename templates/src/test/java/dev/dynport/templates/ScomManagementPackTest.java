package dev.dynport.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
                    "Microsoft.Windows.Computer"),
            "System.Health.Library", Set.of(
                    "System.Health.GenerateAlert",
                    "System.Health.AvailabilityState"),
            "Microsoft.SystemCenter.Library", Set.of(
                    "Microsoft.SystemCenter.CollectEvent"),
            "System.Library", Set.of());

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
        Set<String> used = ManagementPackXml.comparedValues(mp.getDocumentElement(), "EventDisplayNumber");
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
    void pairsEachUnitMonitorWithTheAgentsUnhealthyAndHealthyEvents() {
        assertMonitor("Dynport.Monitor.PortCritical", Set.of("PORT_CRITICAL"), "Error", Set.of("PORT_HEALTHY"));
        assertMonitor("Dynport.Monitor.PortWarning", Set.of("PORT_WARNING", "PORT_UNKNOWN"), "Warning", Set.of("PORT_HEALTHY"));
        assertMonitor("Dynport.Monitor.ProbeFailure", Set.of("PROBE_FAILED"), "Warning", Set.of("PROBE_RECOVERED"));
        assertMonitor("Dynport.Monitor.AgentStopped", Set.of("AGENT_STOPPING"), "Warning", Set.of("AGENT_STARTED"));
        Element dropped = workflow("Rule", "Dynport.Rule.EventsDropped");
        assertEquals(idsOf(Set.of("EVENTS_DROPPED")), ManagementPackXml.comparedValues(dropped, "EventDisplayNumber"));
        assertEquals("Health!System.Health.GenerateAlert",
                ManagementPackXml.elements(dropped, "WriteAction").get(0).getAttribute("TypeID"));
    }

    @Test
    void everyEventFilterMatchesTheAgentsSourceAndTypedEventNumbers() {
        List<Element> filters = new java.util.ArrayList<>();
        filters.addAll(ManagementPackXml.elements(mp, "Expression").stream()
                .filter(e -> e.getParentNode() instanceof Element p && p.getTagName().equals("DataSource")).toList());
        for (String tag : List.of("FirstExpression", "SecondExpression")) {
            filters.addAll(ManagementPackXml.elements(mp, tag));
        }
        assertEquals(ManagementPackXml.elements(mp, "Rule").size() + 2 * ManagementPackXml.elements(mp, "UnitMonitor").size(),
                filters.size(), "one event filter per rule and two per monitor");
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
        java.nio.file.Path sink = RepoFiles.root().resolve(
                "probe-agent/src/main/java/dev/dynport/probe/sink/WindowsEventLogSink.java");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isRegularFile(sink),
                "this tree has no windows-eventlog sink yet");
        Matcher m = Pattern.compile("\\.string\\([^;]*?\"source\"\\s*,\\s*\"([^\"]+)\"\\s*\\)").matcher(
                java.nio.file.Files.readString(sink, java.nio.charset.StandardCharsets.UTF_8));
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
        for (String attribute : List.of("TypeID", "Target", "ParentMonitorID")) {
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
        for (String ref : referenced) {
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
        for (Element r : ManagementPackXml.elements(mp, "Rule")) {
            assertTrue(displayed.contains(r.getAttribute("ID")), "no display string for " + r.getAttribute("ID"));
        }
        Matcher element = Pattern.compile("\\$MPElement\\[Name=\"([^\"]+)\"]\\$").matcher(textOf(mp.getDocumentElement()));
        int count = 0;
        while (element.find()) {
            count++;
            assertTrue(resources.contains(element.group(1)) && displayed.contains(element.group(1)),
                    "alert message of a rule [" + element.group(1) + "]");
        }
        assertTrue(count > 0, "no rule raises an alert");
    }

    private void assertMonitor(String id, Set<String> unhealthy, String health, Set<String> healthy) {
        Element m = workflow("UnitMonitor", id);
        assertEquals("Windows!Microsoft.Windows.2SingleEventLog2StateMonitorType", m.getAttribute("TypeID"));
        Element config = ManagementPackXml.child(m, "Configuration");
        assertEquals(idsOf(unhealthy),
                ManagementPackXml.comparedValues(ManagementPackXml.child(config, "FirstExpression"), "EventDisplayNumber"),
                id + " unhealthy events");
        assertEquals(idsOf(healthy),
                ManagementPackXml.comparedValues(ManagementPackXml.child(config, "SecondExpression"), "EventDisplayNumber"),
                id + " healthy events");
        Map<String, String> states = new HashMap<>();
        for (Element s : ManagementPackXml.elements(m, "OperationalState")) {
            states.put(s.getAttribute("MonitorTypeStateID"), s.getAttribute("HealthState"));
        }
        assertEquals(Map.of("FirstEventRaised", health, "SecondEventRaised", "Success"), states, id + " health states");
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
