package dev.dynport.probe.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    @Test
    void groupsSamplesUnderOneHelpAndTypeWithSortedLabels() {
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
        assertEquals("0.25", PrometheusText.value(0.25));
        assertEquals("NaN", PrometheusText.value(Double.NaN));
        assertEquals("+Inf", PrometheusText.value(Double.POSITIVE_INFINITY));
        assertEquals("-3", PrometheusText.value(-3));
        String text = PrometheusText.render(List.of(new Metric("9bad-name", "h", "weird", Map.of("bad-label", "v"), 1)));
        assertEquals("""
                # HELP _9bad_name h
                # TYPE _9bad_name untyped
                _9bad_name{bad_label="v"} 1
                """, text);
    }
}
