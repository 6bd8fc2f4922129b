package dev.dynport.check.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.model.DynamicRange;
import dev.dynport.check.model.ExcludedRange;
import dev.dynport.check.model.ExcludedRanges;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.HostFacts;
import dev.dynport.check.model.NetstatTable;
import dev.dynport.check.model.ProcessInfo;
import dev.dynport.check.model.ProcessTable;
import dev.dynport.check.model.State;
import dev.dynport.check.model.TcpEndpoint;
import dev.dynport.check.model.TcpState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rules on hand-built (constructed) facts: the edge cases that scenario snapshots do not stage. */
class PortRulesTest {
    static final WatchedPort POP3_BE = new WatchedPort(9955, "POP3 back-end", List.of("MSExchangePOP3BE"), WatchedPort.Origin.PROFILE);
    static final ProcessInfo POP3_BE_PROCESS = new ProcessInfo(5300, "Microsoft.Exchange.Pop3Service.exe", List.of("MSExchangePOP3BE"));
    static final ProcessInfo POP3_FE_PROCESS = new ProcessInfo(5400, "Microsoft.Exchange.Pop3Service.exe", List.of("MSExchangePop3"));

    static HostFacts facts(List<ExcludedRange> exclusions, List<TcpEndpoint> endpoints, List<ProcessInfo> processes) {
        return new HostFacts(Map.of(Family.IPV4, new DynamicRange(6005, 59530)),
                Map.of(Family.IPV4, new ExcludedRanges(exclusions)), new NetstatTable(endpoints), new ProcessTable(processes));
    }

    static TcpEndpoint endpoint(String foreign, int foreignPort, String word, TcpState state, int pid) {
        return new TcpEndpoint(Family.IPV4, "0.0.0.0", 9955, foreign, foreignPort, word, state, pid);
    }

    static List<Finding> evaluate(HostFacts facts, boolean expectListening) {
        List<Finding> findings = new ArrayList<>();
        PortRules.evaluate(POP3_BE, Family.IPV4, facts, new CheckOptions(Profile.NONE, List.of(), State.WARNING, expectListening),
                true, findings, new ArrayList<>());
        return findings;
    }

    @Test
    void serverSideTimeWaitWhileTheOwnerListensIsNoWarning() {
        List<Finding> findings = evaluate(facts(List.of(new ExcludedRange(9955, 9955, true)),
                List.of(endpoint("0.0.0.0", 0, "LISTENING", TcpState.LISTENING, 5300),
                        endpoint("10.1.1.1", 51000, "TIME_WAIT", TcpState.TIME_WAIT, 0)),
                List.of(POP3_BE_PROCESS)), false);
        assertEquals(List.of(FindingCode.PROTECTED), findings.stream().map(Finding::code).toList());
    }

    @Test
    void frontEndServiceWithTheSameImageIsForeign() {
        List<Finding> findings = evaluate(facts(List.of(), List.of(endpoint("0.0.0.0", 0, "LISTENING", TcpState.LISTENING, 5400)),
                List.of(POP3_BE_PROCESS, POP3_FE_PROCESS)), false);
        assertEquals(FindingCode.FOREIGN_HOLDER, findings.get(0).code());
        assertEquals(State.CRITICAL, findings.get(0).state());
        assertTrue(findings.get(0).text().contains("Microsoft.Exchange.Pop3Service.exe (PID 5400: MSExchangePop3) listening on 0.0.0.0:9955"));
    }

    @Test
    void listenerIsRecognisedByWildcardForeignAddressWhateverTheWord() {
        List<Finding> findings = evaluate(facts(List.of(new ExcludedRange(9955, 9955, true)),
                List.of(endpoint("0.0.0.0", 0, "ABH\uFFFDREN", TcpState.OTHER, 5300)), List.of(POP3_BE_PROCESS)), true);
        assertEquals(List.of(FindingCode.PROTECTED), findings.stream().map(Finding::code).toList(), "owner listens: no NOT_LISTENING");
    }

    @Test
    void connectionsAcceptedByTheOwnersListenerAreNotForeign() {
        // A worker process (no service of its own) serving a session the back-end's listener accepted
        ProcessInfo worker = new ProcessInfo(6100, "Microsoft.Exchange.Pop3.exe", List.of());
        HostFacts facts = facts(List.of(new ExcludedRange(9955, 9955, true)),
                List.of(endpoint("0.0.0.0", 0, "LISTENING", TcpState.LISTENING, 5300),
                        endpoint("10.0.0.7", 50123, "ESTABLISHED", TcpState.ESTABLISHED, 6100)),
                List.of(POP3_BE_PROCESS, worker));
        List<Holder> holders = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        PortRules.evaluate(POP3_BE, Family.IPV4, facts, new CheckOptions(Profile.NONE, List.of(), State.WARNING, true),
                true, findings, holders);
        assertEquals(List.of(FindingCode.PROTECTED), findings.stream().map(Finding::code).toList());
        assertEquals(2, holders.size(), "the worker is still shown as a holder");
        assertEquals(false, holders.get(1).owner());
    }

    @Test
    void aForeignListenerBesideTheOwnersIsStillForeign() {
        HostFacts facts = facts(List.of(new ExcludedRange(9955, 9955, true)),
                List.of(endpoint("0.0.0.0", 0, "LISTENING", TcpState.LISTENING, 5300),
                        new TcpEndpoint(Family.IPV4, "10.0.0.25", 9955, "0.0.0.0", 0, "LISTENING", TcpState.LISTENING, 5400)),
                List.of(POP3_BE_PROCESS, POP3_FE_PROCESS));
        List<Finding> findings = evaluate(facts, false);
        assertEquals(FindingCode.FOREIGN_HOLDER, findings.get(0).code());
        assertEquals(State.CRITICAL, findings.get(0).state());
    }

    @Test
    void holderMissingFromTasklistIsUnknownNotCritical() {
        List<Finding> findings = evaluate(facts(List.of(), List.of(endpoint("10.0.0.10", 389, "ESTABLISHED", TcpState.ESTABLISHED, 777)),
                List.of(POP3_BE_PROCESS)), false);
        Finding holder = findings.stream().filter(f -> f.code() == FindingCode.FOREIGN_HOLDER).findFirst().orElseThrow();
        assertEquals(State.UNKNOWN, holder.state());
        assertTrue(holder.text().contains("PID 777"), holder.text());
    }

    @Test
    void administeredExclusionInsideASystemBlockIsStillSystemReserved() {
        List<Finding> findings = evaluate(facts(List.of(new ExcludedRange(9900, 9999, false), new ExcludedRange(9955, 9955, true)),
                List.of(), List.of()), false);
        assertEquals(List.of(FindingCode.SYSTEM_RESERVED, FindingCode.PROTECTED), findings.stream().map(Finding::code).toList());
        assertEquals(State.CRITICAL, findings.stream().map(Finding::state).reduce(State.OK, State::worst));
    }

    @Test
    void socketRulesAreSkippedWhenNetstatOrTasklistWasUnreadable() {
        List<Finding> findings = new ArrayList<>();
        PortRules.evaluate(POP3_BE, Family.IPV4, facts(List.of(), List.of(), List.of()),
                new CheckOptions(Profile.NONE, List.of(), State.WARNING, true), false, findings, new ArrayList<>());
        assertEquals(List.of(FindingCode.EXPOSED), findings.stream().map(Finding::code).toList());
    }
}
