package dev.dynport.bench;

import dev.dynport.check.model.ExcludedRanges;
import dev.dynport.check.model.NetstatTable;
import dev.dynport.check.model.ProcessTable;
import dev.dynport.check.parse.ExcludedPortRangeParser;
import dev.dynport.check.parse.NetstatParser;
import dev.dynport.check.parse.OutputFormatException;
import dev.dynport.check.parse.TasklistSvcCsvParser;
import java.util.Locale;
import java.util.Random;
import java.util.StringTokenizer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The parsers on large constructed outputs, each next to a baseline on the same text: {@link String#lines()}
 * plus {@link StringTokenizer} over every line, consuming each token. That is the least any parser of these
 * column formats must do, so {@code parse / baseline} is the cost of validation and building the records.
 * benchmarks/run.sh prints those ratios; absolute times depend on the machine.
 *
 * <p>Sizes: {@code rows} TCP rows in netstat (plus one UDP row per ten), {@code rows / 4} exclusion rows and
 * {@code rows / 10} processes. Real hosts have hundreds to a few thousand sockets, tens of exclusion rows and
 * hundreds of processes: these are stress sizes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ParserBenchmark {
    @Param("20000")
    public int rows;

    private String netstat;
    private String exclusions;
    private String tasklist;

    @Setup
    public void setUp() throws OutputFormatException {
        Random rnd = new Random(20261128L);
        netstat = netstat(rows, rnd);
        exclusions = exclusions(rows / 4);
        tasklist = tasklist(rows / 10, rnd);
        // guard: the constructed texts must parse completely, or the benchmark measures an exception path
        require(NetstatParser.parse(netstat).endpoints().size() == rows, "netstat rows");
        require(ExcludedPortRangeParser.parse(exclusions).ranges().size() == rows / 4, "exclusion rows");
        require(TasklistSvcCsvParser.parse(tasklist).processes().size() == rows / 10, "processes");
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("constructed input does not parse as intended: " + what);
        }
    }

    static String netstat(int n, Random rnd) {
        StringBuilder sb = new StringBuilder(n * 90);
        sb.append("\r\nActive Connections\r\n\r\n  Proto  Local Address          Foreign Address        State           PID\r\n");
        String[] states = {"ESTABLISHED", "TIME_WAIT", "CLOSE_WAIT", "SYN_SENT"};
        for (int i = 0; i < n; i++) {
            int pid = 4 + 4 * rnd.nextInt(2000);
            String line;
            switch (i % 5) {
                case 0 -> line = String.format(Locale.ROOT, "  %-6s %-22s %-22s %-15s %d", "TCP", "0.0.0.0:" + (1024 + i % 60000),
                        "0.0.0.0:0", "LISTENING", pid);
                case 1 -> line = String.format(Locale.ROOT, "  %-6s %-22s %-22s %-15s %d", "TCP", "[::]:" + (1024 + i % 60000),
                        "[::]:0", "LISTENING", pid);
                case 2 -> line = String.format(Locale.ROOT, "  %-6s %-22s %-22s %-15s %d", "TCP", "[fe80::b5c2:1d3e:9a41:22f0%12]:" + (1024 + i % 60000),
                        "[fe80::1%12]:" + (1 + rnd.nextInt(65535)), "ESTABLISHED", pid);
                default -> line = String.format(Locale.ROOT, "  %-6s %-22s %-22s %-15s %d", "TCP", "10.1." + rnd.nextInt(256) + "." + rnd.nextInt(256) + ":"
                        + (1 + rnd.nextInt(65535)), "10.2.3.4:" + (1 + rnd.nextInt(65535)), states[rnd.nextInt(4)], pid);
            }
            sb.append(line).append("\r\n");
            if (i % 10 == 0) {
                sb.append("  UDP    0.0.0.0:").append(1024 + i % 60000).append("           *:*                                    ")
                        .append(pid).append("\r\n");
            }
        }
        return sb.toString();
    }

    static String exclusions(int n) {
        StringBuilder sb = new StringBuilder(n * 30);
        sb.append("\r\nProtocol tcp Port Exclusion Ranges\r\n\r\nStart Port    End Port      \r\n----------    --------      \r\n");
        for (int i = 0; i < n; i++) {
            int start = 1 + (int) ((long) i * 65000 / n);
            int end = start + (i % 3 == 0 ? 0 : 9);
            sb.append(String.format(Locale.ROOT, "%10d  %10d     %s\r\n", start, end, i % 7 == 0 ? "*" : " "));
        }
        sb.append("\r\n* - Administered port exclusions.\r\n\r\n");
        return sb.toString();
    }

    static String tasklist(int n, Random rnd) {
        StringBuilder sb = new StringBuilder(n * 60);
        sb.append("\"System Idle Process\",\"0\",\"N/A\"\r\n\"System\",\"4\",\"N/A\"\r\n");
        for (int i = 2; i < n; i++) {
            String services = switch (i % 4) {
                case 0 -> "BrokerInfrastructure,DcomLaunch,PlugPlay,Power,SystemEventsBroker";
                case 1 -> "MSExchangeIMAP4BE";
                default -> "N/A";
            };
            sb.append("\"svchost.exe\",\"").append(8 + 4 * i).append("\",\"").append(services).append("\"\r\n");
        }
        return sb.toString();
    }

    static void baseline(String text, Blackhole bh) {
        text.lines().forEach(line -> {
            StringTokenizer st = new StringTokenizer(line, " \t,\"");
            while (st.hasMoreTokens()) {
                bh.consume(st.nextToken());
            }
        });
    }

    @Benchmark
    public NetstatTable netstatParse() throws OutputFormatException {
        return NetstatParser.parse(netstat);
    }

    @Benchmark
    public void netstatBaseline(Blackhole bh) {
        baseline(netstat, bh);
    }

    @Benchmark
    public ExcludedRanges exclusionParse() throws OutputFormatException {
        return ExcludedPortRangeParser.parse(exclusions);
    }

    @Benchmark
    public void exclusionBaseline(Blackhole bh) {
        baseline(exclusions, bh);
    }

    @Benchmark
    public ProcessTable tasklistParse() throws OutputFormatException {
        return TasklistSvcCsvParser.parse(tasklist);
    }

    @Benchmark
    public void tasklistBaseline(Blackhole bh) {
        baseline(tasklist, bh);
    }
}
