package dev.dynport.check.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Monitoring Plugins range syntax, with percentages of the available ports. */
class ThresholdTest {
    /** range | available | alerts at these values | quiet at these values | perfdata field */
    @ParameterizedTest(name = "{0} of {1}")
    @CsvSource(delimiter = '|', value = {
        "10       | 100   | 11 1000    | 0 5 10      | 10",
        "10:      | 100   | 0 9        | 10 11 500   | 10:",
        "~:10     | 100   | 11 99      | 0 10        | ~:10",
        "10:20    | 100   | 9 21       | 10 15 20    | 10:20",
        "@10:20   | 100   | 10 15 20   | 9 21        | @10:20",
        "0        | 100   | 1          | 0           | 0",
        "80%      | 16384 | 13108      | 13107 0     | 13107",
        "99.5%    | 1000  | 996        | 995         | 995",
        "80%:     | 1000  | 799        | 800 1000    | 800:",
        "50%:90%  | 1001  | 500 901    | 501 900     | 501:900",
        "@50%:90% | 1000  | 500 900    | 499 901     | @500:900",
        "~:0%     | 1000  | 1          | 0           | ~:0",
        "100%     | 59527 | 59528      | 59527       | 59527",
    })
    void goodRangesAlertWhereTheGuidelinesSay(String text, long available, String alerting, String quiet,
            String perfdata) {
        Threshold.Resolved r = Threshold.parse(text).resolve(available);
        for (String v : alerting.split(" ")) {
            assertEquals(true, r.alerts(Long.parseLong(v)), text + " at " + v);
        }
        for (String v : quiet.split(" ")) {
            assertEquals(false, r.alerts(Long.parseLong(v)), text + " at " + v);
        }
        assertEquals(perfdata, r.perfdata());
    }

    /** value | what the message says after "is not a threshold range: " */
    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "''        | empty",
        "abc       | expected a port count",
        "-5        | expected a port count",
        "10.5      | expected a port count",
        "1e3       | expected a port count",
        "~:        | neither bound given",
        ":10       | a bound is empty",
        "@         | a bound is empty",
        "20:10     | start greater than end",
        "90%:50%   | start greater than end",
        "101%      | a percentage over 100",
        "80.123%   | expected a percentage",
        "%         | expected a percentage",
        "10:50%    | one bound a count and the other a percentage",
        "1:2:3     | expected a port count",
        "1234567890 | expected a port count",
        "'\u0661\u0660' | expected a port count",
        "' 10'     | expected a port count",
        "10%%      | expected a percentage",
    })
    void badRangesAreRefusedSayingWhy(String text, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Threshold.parse(text));
        assertEquals(true, e.getMessage().startsWith("is not a threshold range: " + reason), e.getMessage());
    }
}
