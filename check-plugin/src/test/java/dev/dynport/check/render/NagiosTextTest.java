package dev.dynport.check.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dynport.check.judge.PerfDatum;
import java.util.List;
import org.junit.jupiter.api.Test;

class NagiosTextTest {
    @Test
    void plainLabelsStayUnquoted() {
        assertEquals("exposed=2 ipv4_dynamic_start=6005", NagiosText.perfdata(
                List.of(new PerfDatum("exposed", 2, ""), new PerfDatum("ipv4_dynamic_start", 6005, ""))));
    }

    @Test
    void labelsWithSpacesEqualsQuotesOrBarsAreQuotedAndEscaped() {
        assertEquals("'port 9955'=1", new PerfDatum("port 9955", 1, "").nagiosItem());
        assertEquals("'a=b'=1", new PerfDatum("a=b", 1, "").nagiosItem());
        assertEquals("'it''s'=1", new PerfDatum("it's", 1, "").nagiosItem());
        assertEquals("'a/b'=1", new PerfDatum("a|b", 1, "").nagiosItem());
        assertEquals("'Überwachung x'=3s", new PerfDatum("Überwachung x", 3, "s").nagiosItem());
    }

    @Test
    void humanTextLosesBarsAndLineBreaks() {
        assertEquals("a/b c d", NagiosText.clean("a|b c\nd"));
    }
}
