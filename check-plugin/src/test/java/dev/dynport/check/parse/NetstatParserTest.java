package dev.dynport.check.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.model.Family;
import dev.dynport.check.model.NetstatTable;
import dev.dynport.check.model.TcpEndpoint;
import dev.dynport.check.model.TcpState;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(HostileLocales.class)
class NetstatParserTest {
    private static final Set<String> KEYS = Set.of("tcp", "listeners", "listen", "row");
    private static final String HEADER = "\r\nActive Connections\r\n\r\n  Proto  Local Address          Foreign Address        State           PID\r\n";
    private static final String RPC = "  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       860\r\n";

    static Stream<Arguments> fixtures() {
        return HostileLocales.cross(Fixtures.load("netstat"));
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("fixtures")
    void readsEveryFixtureAsItsExpectationSays(String tag, Fixture f, Locale locale) throws Exception {
        HostileLocales.use(locale);
        String text = f.text();
        Expectation x = f.expect();
        if (x.error()) {
            x.assertFails(NetstatParser.COMMAND, () -> NetstatParser.parse(text));
            return;
        }
        assertTrue(KEYS.containsAll(x.items().keySet()), () -> "unknown key in " + x.items());
        NetstatTable t = NetstatParser.parse(text);
        if (x.items().containsKey("tcp")) {
            assertEquals(Integer.parseInt(x.one("tcp")), t.endpoints().size());
        }
        if (x.items().containsKey("listeners")) {
            assertEquals(Integer.parseInt(x.one("listeners")), t.endpoints().stream().filter(TcpEndpoint::isListener).count());
        }
        for (String l : x.all("listen")) {
            String[] p = l.split(",");
            int port = Integer.parseInt(p[0]);
            int pid = Integer.parseInt(p[2]);
            assertTrue(t.onLocalPort(port, Family.valueOf(p[1])).stream().anyMatch(e -> e.isListener() && e.pid() == pid),
                    () -> "no listener " + l + " in " + t.onLocalPort(port, Family.valueOf(p[1])));
        }
        for (String r : x.all("row")) {
            String[] p = r.split(",");
            TcpEndpoint want = new TcpEndpoint(Family.valueOf(p[0]), p[1], Integer.parseInt(p[2]), p[3], Integer.parseInt(p[4]),
                    p[5], TcpState.valueOf(p[6]), Integer.parseInt(p[7]));
            assertTrue(t.endpoints().contains(want), () -> "missing " + want);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "LISTENING, LISTENING", "ESTABLISHED, ESTABLISHED", "TIME_WAIT, TIME_WAIT", "CLOSE_WAIT, CLOSE_WAIT",
        "SYN_SENT, SYN_SENT", "SYN_RECEIVED, SYN_RECEIVED", "FIN_WAIT_1, FIN_WAIT_1", "FIN_WAIT_2, FIN_WAIT_2",
        "LAST_ACK, LAST_ACK", "CLOSING, CLOSING", "CLOSED, CLOSED", "BOUND, BOUND", "DELETE_TCB, DELETE_TCB",
        "listening, LISTENING", "Listening, LISTENING", "time_wait, TIME_WAIT", "abhören, LISTENING",
        "ABHÖREN, LISTENING", "ABH\uFFFDREN, LISTENING", "ABH™REN, LISTENING", "ABH├ûREN, LISTENING", "ABHREN, LISTENING",
        "HERGESTELLT, ESTABLISHED", "WARTEND, TIME_WAIT", "SCHLIESSEN_WARTEN, CLOSE_WAIT",
        "ПРОСЛУШИВАНИЕ, OTHER", "\uFFFD\uFFFD, OTHER", "LISTENINGX, OTHER", "ESTABLISHED2, OTHER"
    })
    void mapsKnownStateWordsAndLeavesTheRestOtherInEveryDefaultLocale(String word, TcpState state) {
        for (Locale locale : HostileLocales.LOCALES) {
            HostileLocales.use(locale);
            assertEquals(state, NetstatParser.state(word), locale::toString);
        }
    }

    @ParameterizedTest(name = "[{0}] ipv4={1} ipv6={2}")
    @CsvSource({
        "0.0.0.0, true, false", "255.255.255.255, true, false", "10.0.0.1, true, false",
        "256.0.0.1, false, false", "1.2.3, false, false", "1.2.3.4.5, false, false", "1..2.3, false, false",
        "1.2.3.4., false, false", "0001.2.3.4, false, false", "a.b.c.d, false, false", "'', false, false",
        "::, false, true", "::1, false, true", "fe80::1%12, false, true", "fe80::1%, false, false",
        "::ffff:10.1.2.3, false, true", "fe80::g, false, false", "1234, false, false", "fe80::1%1 2, false, false"
    })
    void validatesAddressesStrictly(String address, boolean ipv4, boolean ipv6) {
        assertEquals(ipv4, NetstatParser.isIpv4(address));
        assertEquals(ipv6, NetstatParser.isIpv6(address));
    }

    @Test
    void keepsTheRawWordAndRecognisesAListenerByItsWildcardForeignEnd() throws Exception {
        NetstatTable t = NetstatParser.parse(HEADER
                + "  TCP    0.0.0.0:9933           0.0.0.0:0              ПРОСЛУШИВАНИЕ   7788\r\n"
                + "  TCP    [::]:9933              [::]:0                 ???             7788\r\n");
        assertEquals(List.of("ПРОСЛУШИВАНИЕ", "???"), t.endpoints().stream().map(TcpEndpoint::stateWord).toList());
        assertTrue(t.endpoints().stream().allMatch(e -> e.state() == TcpState.OTHER && e.isListener()));
    }

    @Test
    void keepsTheZoneOfAScopedAddressAndDropsTheBrackets() throws Exception {
        NetstatTable t = NetstatParser.parse(HEADER + RPC
                + "  TCP    [fe80::1%12]:9955      [fe80::2%12]:3268      ESTABLISHED     7820\r\n");
        TcpEndpoint e = t.onLocalPort(9955, Family.IPV6).get(0);
        assertEquals("fe80::1%12", e.localAddress());
        assertEquals("fe80::2%12", e.foreignAddress());
        assertEquals(3268, e.foreignPort());
        assertFalse(e.isListener());
    }

    @Test
    void dropsUdpRowsButChecksThem() throws Exception {
        assertEquals(1, NetstatParser.parse(HEADER + RPC + "  UDP    [::]:500               *:*                                    984\r\n")
                .endpoints().size());
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> NetstatParser.parse(HEADER + RPC + "  UDP    [::]:500               *:*\r\n"));
        assertEquals(6, e.line());
        assertEquals("expected 4 columns 'UDP local *:* PID', found 3", e.reason());
    }

    @Test
    void rejectsARowWithoutPidNamingTheLikelyCommand() {
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> NetstatParser.parse(
                "  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING\n"));
        assertEquals("netstat -ano: line 1: TCP row without PID column: expected 'netstat -ano', not 'netstat -na'"
                + " [TCP    0.0.0.0:135            0.0.0.0:0              LISTENING]", e.getMessage());
    }

    @Test
    void rejectsAnImpossibleIpv4Address() {
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> NetstatParser.parse(
                HEADER + "  TCP    10.0.0.256:135         0.0.0.0:0              LISTENING       860\r\n"));
        assertEquals("bad local address, expected a.b.c.d:port or [v6]:port [10.0.0.256:135]", e.reason());
    }

    @Test
    void rejectsAnUnbracketedIpv6Address() {
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> NetstatParser.parse(
                HEADER + "  TCP    ::1:135                [::]:0                 LISTENING       860\r\n"));
        assertEquals(5, e.line());
    }

    @Test
    void rejectsLocalAndForeignOfDifferentFamilies() {
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> NetstatParser.parse(
                HEADER + "  TCP    [::]:135               0.0.0.0:0              LISTENING       860\r\n"));
        assertEquals("local and foreign address of different families", e.reason());
    }

    @Test
    void rejectsTextAfterTheRows() {
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> NetstatParser.parse(
                HEADER + RPC + " [svchost.exe]\r\n"));
        assertEquals(6, e.line());
        assertEquals("unexpected line among the connection rows", e.reason());
    }

    @Test
    void rejectsLocalPortZeroWhichNoTcpSocketHas() {
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> NetstatParser.parse(HEADER + RPC
                + "  TCP    [::]:0                 [::]:0                 LISTENING       5100\r\n"));
        assertEquals(6, e.line());
        assertEquals("local port 0: netstat never prints it for a TCP socket", e.reason());
    }

    @Test
    void rejectsAUdpRowWhoseForeignEndIsNotTheWildcard() {
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> NetstatParser.parse(HEADER + RPC
                + "  UDP    0.0.0.0:123            10.0.0.1:123                           1096\r\n"));
        assertEquals("UDP foreign address must be *:* [10.0.0.1:123]", e.reason());
    }

    @Test
    void rejectsTcpv6WithIpv4Addresses() {
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> NetstatParser.parse(HEADER + RPC
                + "  TCPv6  0.0.0.0:9933           0.0.0.0:0              LISTENING       5100\r\n"));
        assertEquals("proto TCPv6 with IPv4 addresses", e.reason());
    }

    @Test
    void rejectsTwoRowsRunTogether() {
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> NetstatParser.parse(HEADER
                + "  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       860  TCP    0.0.0.0:445  0.0.0.0:0  LISTENING  4\r\n"));
        assertEquals("expected 5 columns 'TCP local foreign state PID', found 10", e.reason());
    }

    @Test
    void rejectsAPidOverflowingAnInt() {
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> NetstatParser.parse(
                HEADER + "  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       2147483648\r\n"));
        assertEquals("PID is not a number in 0..2147483647 [2147483648]", e.reason());
    }

    @Test
    void rejectsANetstatWithoutTcpRowsPointingAtItsFirstLine() {
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> NetstatParser.parse(HEADER
                + "  UDP    0.0.0.0:500            *:*                                    984\r\n"));
        assertEquals("netstat -ano: line 2: no TCP row: not 'netstat -ano' output [Active Connections]", e.getMessage());
    }
}
