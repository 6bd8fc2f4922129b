package dev.dynport.check.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.model.BackendSettings;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.HostFacts;
import dev.dynport.check.model.NetstatTable;
import dev.dynport.check.model.ProcessInfo;
import dev.dynport.check.model.ProcessTable;
import dev.dynport.check.model.ServiceConfig;
import dev.dynport.check.model.ServiceFacts;
import dev.dynport.check.model.ServiceRunState;
import dev.dynport.check.model.ServiceStartType;
import dev.dynport.check.model.ServiceStatus;
import dev.dynport.check.model.State;
import dev.dynport.check.model.TcpEndpoint;
import dev.dynport.check.model.TcpState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every path that turns a profile port into "not in use" (OK), each beside its counter-case: the evidence that
 * keeps the port judged. Constructed facts, one back-end (POP3) varied at a time.
 */
class PortUseTest {
    private static final ProcessInfo SVCHOST = new ProcessInfo(1240, "svchost.exe", List.of("Dnscache"));
    private static final ProcessInfo POP3_BE = new ProcessInfo(5300, "Microsoft.Exchange.Pop3Service.exe",
            List.of("MSExchangePOP3BE"));
    private static final ProcessInfo POP3_FE = new ProcessInfo(5400, "Microsoft.Exchange.Pop3Service.exe",
            List.of("MSExchangePOP3"));
    private static final ServiceConfig POP3_MANUAL = ServiceConfig.found("MSExchangePOP3BE", ServiceStartType.MANUAL);
    private static final ServiceStatus POP3_STOPPED = ServiceStatus.found("MSExchangePOP3BE", ServiceRunState.STOPPED, 0);

    private static TcpEndpoint listener(int port, int pid) {
        return new TcpEndpoint(Family.IPV4, "0.0.0.0", port, "0.0.0.0", 0, "LISTENING", TcpState.LISTENING, pid);
    }

    private static HostFacts facts(List<ProcessInfo> processes, List<TcpEndpoint> endpoints, ServiceFacts services,
            BackendSettings settings) {
        return new HostFacts(Map.of(), Map.of(), new NetstatTable(endpoints), new ProcessTable(processes), services,
                settings);
    }

    private static ServiceFacts sc(ServiceConfig config, ServiceStatus status) {
        return new ServiceFacts(config == null ? Map.of() : Map.of("a", config), status == null ? Map.of() : Map.of("b", status));
    }

    private static PortUse.Result assess(HostFacts facts) {
        return assess(facts, CheckOptions.defaults());
    }

    private static PortUse.Result assess(HostFacts facts, CheckOptions options) {
        return PortUse.assess(Profile.EXCHANGE_POPIMAP.ports(), facts, options, true);
    }

    @Test
    void aBackEndListeningOnlyOn1995DoesNotUse9955() {
        PortUse.Result r = assess(facts(List.of(SVCHOST, POP3_BE), List.of(listener(1995, 5300)), ServiceFacts.NONE,
                BackendSettings.NONE));
        assertEquals(Set.of(9955), r.notInUse().keySet());
        assertTrue(r.notInUse().get(9955).contains("it listens on 1995"), r.notInUse().toString());
    }

    @Test
    void aBackEndNotRunningWithoutFurtherEvidenceKeepsBothPortsJudgedAndSaysWhy() {
        PortUse.Result r = assess(facts(List.of(SVCHOST), List.of(), ServiceFacts.NONE, BackendSettings.NONE));
        assertTrue(r.notInUse().isEmpty(), r.notInUse().toString());
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("MSExchangePOP3BE:") && n.contains("all judged")),
                r.notes().toString());
    }

    @Test
    void theSettingsPortMakesTheOtherProfilePortUnused() {
        PortUse.Result r = assess(facts(List.of(SVCHOST), List.of(), ServiceFacts.NONE,
                new BackendSettings(Map.of("MSExchangePOP3BE", 1995))));
        assertEquals(Set.of(9955), r.notInUse().keySet());
        assertTrue(r.notInUse().get(9955).contains("Get-PopSettings ProxyTargetPort is 1995"));
    }

    @Test
    void aListenerOnTheOtherPortThanTheSettingsKeepsBothInUse() {
        // Settings changed to 1995 but the service, not restarted yet, still holds 9955: both matter.
        PortUse.Result r = assess(facts(List.of(SVCHOST, POP3_BE), List.of(listener(9955, 5300)), ServiceFacts.NONE,
                new BackendSettings(Map.of("MSExchangePOP3BE", 1995))));
        assertTrue(r.notInUse().isEmpty(), r.notInUse().toString());
    }

    @Test
    void theUsersBackendPortActsLikeTheSettingsButAnExplicitPortIsAlwaysJudged() {
        CheckOptions options = new CheckOptions(Profile.EXCHANGE_POPIMAP, List.of(), State.WARNING, false,
                Map.of("MSExchangePOP3BE", 1995), false);
        HostFacts facts = facts(List.of(SVCHOST), List.of(), ServiceFacts.NONE, BackendSettings.NONE);
        assertEquals(Set.of(9955), assess(facts, options).notInUse().keySet());
        CheckOptions explicit = new CheckOptions(Profile.EXCHANGE_POPIMAP,
                List.of(new WatchedPort(9955, "port 9955", List.of(), WatchedPort.Origin.USER)), State.WARNING, false,
                Map.of("MSExchangePOP3BE", 1995), false);
        assertTrue(assess(facts, explicit).notInUse().isEmpty());
    }

    @Test
    void aNonDefaultSettingsPortIsAddedToTheWatchList() {
        PortUse.Result r = assess(facts(List.of(SVCHOST), List.of(), ServiceFacts.NONE,
                new BackendSettings(Map.of("MSExchangePOP3BE", 12995))));
        assertEquals(List.of(12995), r.added().stream().map(WatchedPort::port).toList());
        assertEquals(Set.of(9955, 1995), r.notInUse().keySet());
    }

    @Test
    void aBackEndThatIsNotInstalledUsesNoPort() {
        PortUse.Result r = assess(facts(List.of(SVCHOST), List.of(),
                sc(ServiceConfig.failed("MSExchangePOP3BE", 1060), ServiceStatus.failed("MSExchangePOP3BE", 1060)),
                BackendSettings.NONE));
        assertEquals(Set.of(9955, 1995), r.notInUse().keySet());
        assertTrue(r.notInUse().get(9955).contains("not installed"));
    }

    @Test
    void notInstalledIsOverruledByTheServiceSeenRunning() {
        PortUse.Result r = assess(facts(List.of(SVCHOST, POP3_BE), List.of(),
                sc(ServiceConfig.failed("MSExchangePOP3BE", 1060), null), BackendSettings.NONE));
        assertTrue(r.notInUse().isEmpty(), r.notInUse().toString());
    }

    @Test
    void disabledAndStoppedUsesNoPortButDisabledAndRunningDoes() {
        ServiceConfig disabled = ServiceConfig.found("MSExchangePOP3BE", ServiceStartType.DISABLED);
        assertEquals(Set.of(9955, 1995), assess(facts(List.of(SVCHOST), List.of(), sc(disabled, POP3_STOPPED),
                BackendSettings.NONE)).notInUse().keySet());
        ServiceStatus running = ServiceStatus.found("MSExchangePOP3BE", ServiceRunState.RUNNING, 5300);
        assertTrue(assess(facts(List.of(SVCHOST), List.of(), sc(disabled, running), BackendSettings.NONE))
                .notInUse().isEmpty());
    }

    @Test
    void manualAndStoppedWithTheFrontEndStoppedIsPopOff() {
        PortUse.Result r = assess(facts(List.of(SVCHOST), List.of(), sc(POP3_MANUAL, POP3_STOPPED), BackendSettings.NONE));
        assertEquals(Set.of(9955, 1995), r.notInUse().keySet());
        assertTrue(r.notInUse().get(9955).contains("Manual and stopped"), r.notInUse().toString());
    }

    @Test
    void manualAndStoppedIsStillInUseWhenTheFrontEndRuns() {
        assertTrue(assess(facts(List.of(SVCHOST, POP3_FE), List.of(), sc(POP3_MANUAL, POP3_STOPPED),
                BackendSettings.NONE)).notInUse().isEmpty());
    }

    @Test
    void manualAndStoppedIsUndecidedWhenTasklistHidesServiceNames() {
        List<ProcessInfo> blind = List.of(new ProcessInfo(1240, "svchost.exe", List.of()),
                new ProcessInfo(5400, "Microsoft.Exchange.Pop3Service.exe", List.of()));
        assertTrue(assess(facts(blind, List.of(), sc(POP3_MANUAL, POP3_STOPPED), BackendSettings.NONE))
                .notInUse().isEmpty());
    }

    @Test
    void manualAndStoppedIsUndecidedWhileThePop3ImageRunsWithoutAServiceNameOnANamedTable() {
        // the account may read the back-ends (docs/rights.md) but not MSExchangePOP3: tasklist leaves its name out
        ProcessInfo unnamed = new ProcessInfo(5400, "Microsoft.Exchange.Pop3Service.exe", List.of());
        PortUse.Result r = assess(facts(List.of(SVCHOST, unnamed), List.of(), sc(POP3_MANUAL, POP3_STOPPED),
                BackendSettings.NONE));
        assertTrue(r.notInUse().isEmpty(), r.notInUse().toString());
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("MSExchangePOP3BE: it is Manual and stopped, and"
                + " Microsoft.Exchange.Pop3Service.exe (PID 5400) runs without a service name: it may be MSExchangePOP3")),
                r.notes().toString());
    }

    @Test
    void aPortTheOtherBackEndBindsIsJudgedEvenWhenItsProfileOwnerIsOff() {
        // POP3's ProxyTargetPort is 9933 (an IMAP4 profile port); IMAP4 is Disabled and stopped
        ServiceFacts services = new ServiceFacts(
                Map.of("a", ServiceConfig.found("MSExchangePOP3BE", ServiceStartType.AUTOMATIC),
                        "b", ServiceConfig.found("MSExchangeIMAP4BE", ServiceStartType.DISABLED)),
                Map.of("c", POP3_STOPPED, "d", ServiceStatus.found("MSExchangeIMAP4BE", ServiceRunState.STOPPED, 0)));
        PortUse.Result r = assess(facts(List.of(SVCHOST), List.of(), services,
                new BackendSettings(Map.of("MSExchangePOP3BE", 9933, "MSExchangeIMAP4BE", 1993))));
        assertEquals(Set.of(9955, 1995, 1993), r.notInUse().keySet());
        assertTrue(r.notes().contains("port 9933 judged although MSExchangeIMAP4BE is Disabled and stopped: IMAP4 is not"
                + " served here: it is MSExchangePOP3BE's port (Get-PopSettings ProxyTargetPort is 9933)"), r.notes().toString());
    }

    @Test
    void automaticButStoppedIsTheFailureThisCheckIsForAndStaysJudged() {
        ServiceConfig automatic = ServiceConfig.found("MSExchangePOP3BE", ServiceStartType.AUTOMATIC);
        PortUse.Result r = assess(facts(List.of(SVCHOST), List.of(), sc(automatic, POP3_STOPPED), BackendSettings.NONE));
        assertTrue(r.notInUse().isEmpty());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("Automatic but stopped")), r.notes().toString());
    }

    @Test
    void accessDeniedIsUndecidedAndSaysSo() {
        PortUse.Result r = assess(facts(List.of(SVCHOST), List.of(),
                sc(ServiceConfig.failed("MSExchangePOP3BE", 5), ServiceStatus.failed("MSExchangePOP3BE", 5)),
                BackendSettings.NONE));
        assertTrue(r.notInUse().isEmpty());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("access denied")), r.notes().toString());
    }

    @Test
    void watchUnusedJudgesEverythingAndSaysWhatItOverrode() {
        CheckOptions options = new CheckOptions(Profile.EXCHANGE_POPIMAP, List.of(), State.WARNING, false, Map.of(), true);
        PortUse.Result r = assess(facts(List.of(SVCHOST), List.of(), sc(POP3_MANUAL, POP3_STOPPED), BackendSettings.NONE),
                options);
        assertTrue(r.notInUse().isEmpty());
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("--watch-unused: 9955, 1995 judged")), r.notes().toString());
    }

    @Test
    void anOwnerImageWithoutServiceNameOnANamedTableIsUndecidedNotForeign() {
        // svchost's services are visible (the SCM may be enumerated) but the account may not query
        // MSExchangePOP3BE: Windows leaves it out, and its own listener shows N/A.
        ProcessInfo hiddenBackEnd = new ProcessInfo(5300, "Microsoft.Exchange.Pop3Service.exe", List.of());
        HostFacts facts = facts(List.of(SVCHOST, hiddenBackEnd), List.of(listener(9955, 5300)), ServiceFacts.NONE,
                BackendSettings.NONE);
        List<Finding> findings = new ArrayList<>();
        PortRules.evaluate(Profile.EXCHANGE_POPIMAP.ports().get(1), Family.IPV4, facts, CheckOptions.defaults(), true,
                findings, new ArrayList<>());
        assertTrue(findings.stream().noneMatch(f -> f.code() == FindingCode.FOREIGN_HOLDER), findings.toString());
        assertTrue(findings.stream().anyMatch(f -> f.code() == FindingCode.OWNER_UNKNOWN
                && f.text().contains("may not query that service")), findings.toString());
    }

    @Test
    void aProcessWithoutServicesThatCannotBeTheOwnerStaysForeign() {
        ProcessInfo java = new ProcessInfo(7000, "java.exe", List.of());
        HostFacts facts = facts(List.of(SVCHOST, java), List.of(listener(9955, 7000)), ServiceFacts.NONE,
                BackendSettings.NONE);
        List<Finding> findings = new ArrayList<>();
        PortRules.evaluate(Profile.EXCHANGE_POPIMAP.ports().get(1), Family.IPV4, facts, CheckOptions.defaults(), true,
                findings, new ArrayList<>());
        assertTrue(findings.stream().anyMatch(f -> f.code() == FindingCode.FOREIGN_HOLDER && f.state() == State.CRITICAL),
                findings.toString());
    }

    @Test
    void anUnusedPortIsOkWithItsHoldersNamedInsteadOfForeignHolderCritical() {
        HostFacts facts = facts(List.of(SVCHOST, POP3_BE), List.of(listener(1995, 5300),
                new TcpEndpoint(Family.IPV4, "10.0.0.25", 9955, "10.0.0.10", 389, "ESTABLISHED", TcpState.ESTABLISHED, 1240)),
                ServiceFacts.NONE, BackendSettings.NONE);
        List<Finding> findings = new ArrayList<>();
        List<Holder> holders = new ArrayList<>();
        WatchedPort pop3 = Profile.EXCHANGE_POPIMAP.ports().get(1);
        PortRules.evaluate(pop3, Family.IPV4, facts, CheckOptions.defaults(), true, findings, holders);
        assertTrue(findings.stream().anyMatch(f -> f.code() == FindingCode.FOREIGN_HOLDER), "counter-case: judged, it is foreign");
        Finding unused = PortRules.notInUse(pop3, Family.IPV4, "why", holders);
        assertEquals(State.OK, unused.state());
        assertTrue(unused.text().contains("held by svchost.exe (PID 1240: Dnscache) ESTABLISHED"), unused.text());
    }
}
