package dev.dynport.check.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.model.DynamicRange;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Inputs of a megabyte, in one line and in many: each parser returns (a result, or a refusal naming the line
 * and its length). A parser that backtracks over a line, or rescans earlier lines per line, would not return
 * from these within the life of a build (the old value pattern needed 11 s for 20,000 characters). No time is
 * measured here; {@link ScanStepsTest} counts the steps.
 */
class LinearityTest {
    static final int MEGABYTE = 1 << 20;

    /** A megabyte line after a valid start of each command's output, shaped to trip a backtracking pattern. */
    private static final Map<String, String> LONG_LINE_AFTER = new TreeMap<>(Map.of(
            "dynamicport", "Protocol tcp Dynamic Port Range\r\n---------------------------------\r\nStart Port      : 6005\r\n"
                    + "Number of Ports : " + "5 ".repeat(MEGABYTE / 2) + "ports\r\n",
            "excludedportrange", "Protocol tcp Port Exclusion Ranges\r\n\r\nStart Port    End Port\r\n----------    --------\r\n"
                    + "      9933 ".repeat(MEGABYTE / 11) + "\r\n\r\n* - Administered port exclusions.\r\n",
            "netstat", "  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       888\r\n"
                    + "  TCP    " + "[::".repeat(MEGABYTE / 3) + "]:1 [::]:0 LISTENING 4\r\n",
            "tasklist", "\"System\",\"4\",\"N/A\"\r\n\"svchost.exe\",\"968\",\"" + "Svc,".repeat(MEGABYTE / 4) + "Svc\"\r\n",
            "settings", "MSExchangePOP3BE ProxyTargetPort 1995\r\nMSExchangeIMAP4BE ProxyTargetPort " + "9 ".repeat(MEGABYTE / 2)
                    + "\r\n",

            "sc/qc", "[SC] QueryServiceConfig SUCCESS\r\n\r\nSERVICE_NAME: MSExchangePOP3BE\r\n        START_TYPE         : "
                    + "3 ".repeat(MEGABYTE / 2) + "DEMAND_START\r\n",
            "sc/queryex", "\r\nSERVICE_NAME: MSExchangePOP3BE\r\n        STATE              : 4  RUNNING \r\n        PID : "
                    + ": 1".repeat(MEGABYTE / 3) + "\r\n"));

    static {
        LONG_LINE_AFTER.put("linux/ss", "LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:((\"sshd\",pid=812,fd=3))\r\n"
                + "LISTEN 0 128 " + "[::".repeat(MEGABYTE / 3) + "]:1 [::]:*\r\n");
        LONG_LINE_AFTER.put("linux/proc-net-tcp", "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when"
                + " retrnsmt   uid  timeout inode\r\n   0: " + "0100007F:".repeat(MEGABYTE / 9) + "9C45\r\n");
    }

    @Test
    void everyParserRefusesAMegabyteLineNamingItsNumberAndLength() {
        for (Map.Entry<String, String> e : LONG_LINE_AFTER.entrySet()) {
            String text = e.getValue();
            OutputFormatException x = assertThrows(OutputFormatException.class,
                    () -> GarbageTest.PARSERS.get(e.getKey()).parse(text), e.getKey());
            String[] lines = text.split("\r\n", -1);
            int number = 0;
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].length() > MEGABYTE / 2) {
                    number = i + 1;
                }
            }
            int length = lines[number - 1].length();
            assertEquals(number, x.line(), x::getMessage);
            assertTrue(x.reason().startsWith("line of " + length + " characters, longer than any "), x::getMessage);
            assertTrue(x.getMessage().length() < 300, x::getMessage);
            assertTrue(x.offendingText().length() <= 80, "the refusal keeps a clip of the line, not the line");
        }
    }

    @Test
    void dynamicportReadsAMegabyteOfBlankLinesBetweenItsValues() throws Exception {
        String text = "Protocol tcp Dynamic Port Range\r\n---------------------------------\r\n" + "\r\n".repeat(MEGABYTE / 2)
                + "Start Port      : 6005\r\n" + " \r\n".repeat(MEGABYTE / 3) + "Number of Ports : 59530\r\n";
        assertEquals(new DynamicRange(6005, 59530), DynamicPortParser.parse(text));
    }

    @Test
    void exclusionsReadAMegabyteOfRows() throws Exception {
        StringBuilder sb = new StringBuilder("Protocol tcp Port Exclusion Ranges\r\n\r\nStart Port    End Port\r\n----------    --------\r\n");
        int rows = 0;
        while (sb.length() < MEGABYTE) {
            int port = 1 + rows % 65535;
            sb.append(String.format("%10d  %10d     *%n", port, port).replace(System.lineSeparator(), "\r\n"));
            rows++;
        }
        sb.append("\r\n* - Administered port exclusions.\r\n");
        assertEquals(rows, ExcludedPortRangeParser.parse(sb.toString()).ranges().size());
    }

    @Test
    void netstatReadsAMegabyteOfRows() throws Exception {
        StringBuilder sb = new StringBuilder("  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       888\r\n");
        int rows = 1;
        while (sb.length() < MEGABYTE) {
            sb.append("  TCP    10.0.0.5:").append(1024 + rows % 60000).append("        10.0.0.10:443          ESTABLISHED     ")
                    .append(4 * rows).append("\r\n");
            rows++;
        }
        assertEquals(rows, NetstatParser.parse(sb.toString()).endpoints().size());
    }

    @Test
    void tasklistReadsAMegabyteOfRecords() throws Exception {
        StringBuilder sb = new StringBuilder("\"System Idle Process\",\"0\",\"N/A\"\r\n");
        int records = 1;
        while (sb.length() < MEGABYTE) {
            sb.append("\"svchost.exe\",\"").append(4 * records).append("\",\"BrokerInfrastructure,DcomLaunch,PlugPlay\"\r\n");
            records++;
        }
        assertEquals(records, TasklistSvcCsvParser.parse(sb.toString()).processes().size());
    }
}
