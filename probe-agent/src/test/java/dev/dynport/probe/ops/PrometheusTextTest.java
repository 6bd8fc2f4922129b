package dev.dynport.probe.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    @Test
    void groupsSamplesOfEverySourceUnderOneHelpAndTypeWithSortedLabels() {
        String text = PrometheusText.render(List.of(
                new Metric("dynport_probes_total", "Probes run.", "counter", Map.of("target", "exch01"), 3),
                new Metric("dynport_scheduler_running", "1 while running.", "gauge", Map.of(), 1),
                new Metric("dynport_probes_total", "Probes run.", "counter", Map.of("target", "exch02"), 0)));
        assertEquals("""
                # HELP dynport_probes_total Probes run.
                # TYPE dynport_probes_total counter
                dynport_probes_total{target="exch01"} 3
                dynport_probes_total{target="exch02"} 0
                # HELP dynport_scheduler_running 1 while running.
                # TYPE dynport_scheduler_running gauge
                dynport_scheduler_running 1
                """, text);
    }

    @Test
    void escapesBackslashQuoteAndNewlineInLabelValuesAndHelp() {
        String text = PrometheusText.render(List.of(new Metric("dynport_port_state", "a\\b\nc", "gauge",
                Map.of("label", "POP3 \"back-end\" C:\\x\nnext", "port", "9955", "host", "exch01 ü|="), 2)));
        assertEquals("""
                # HELP dynport_port_state a\\\\b\\nc
                # TYPE dynport_port_state gauge
                dynport_port_state{host="exch01 ü|=",label="POP3 \\"back-end\\" C:\\\\x\\nnext",port="9955"} 2
                """, text);
    }

    @Test
    void valuesAndBadNamesStayInTheGrammar() {
        String text = PrometheusText.render(List.of(
                new Metric("g", "h", "gauge", Map.of("v", "nan"), Double.NaN),
                new Metric("g", "h", "gauge", Map.of("v", "inf"), Double.POSITIVE_INFINITY),
                new Metric("g", "h", "gauge", Map.of("v", "neg"), -3),
                new Metric("g", "h", "gauge", Map.of("v", "frac"), 0.25),
                new Metric("g", "h", "gauge", Map.of("v", "big"), 123456789),
                new Metric("g", "h", "gauge", Map.of("v", "huge"), 1e20),
                new Metric("9bad-name", "h", "weird", Map.of("bad-label", "v"), 1)));
        assertEquals("""
                # HELP _9bad_name h
                # TYPE _9bad_name untyped
                _9bad_name{bad_label="v"} 1
                # HELP g h
                # TYPE g gauge
                g{v="big"} 123456789
                g{v="frac"} 0.25
                g{v="huge"} 1.0E20
                g{v="inf"} +Inf
                g{v="nan"} NaN
                g{v="neg"} -3
                """, text);
    }

    /** The Prometheus client would serve a counter {@code x} as {@code x_total}: names must not change. */
    @Test
    void aCounterWithoutTheTotalSuffixKeepsItsNameAsUntyped() {
        assertEquals("""
                # HELP dynport_spool_segments h
                # TYPE dynport_spool_segments untyped
                dynport_spool_segments 4
                """, PrometheusText.render(List.of(new Metric("dynport_spool_segments", "h", "counter", Map.of(), 4))));
    }

    @Test
    void samplesTheModelRefusesAreLeftOutAndTheRestIsServed() {
        String text = PrometheusText.render(List.of(
                new Metric("c_total", "h", "counter", Map.of("sink", "a"), 1),
                new Metric("c_total", "h", "counter", Map.of("sink", "a"), 2),
                new Metric("c_total", "h", "counter", Map.of("sink", "b"), -1),
                new Metric("c_total", "h", "counter", Map.of("__reserved", "b"), 1),
                new Metric("d", "h", "gauge", Map.of(), 5)));
        assertEquals("""
                # HELP c_total h
                # TYPE c_total counter
                c_total{sink="a"} 1
                # HELP d h
                # TYPE d gauge
                d 5
                """, text, "a repeated label set, a negative counter and a reserved label name are left out");
    }
}
