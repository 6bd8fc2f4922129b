package dev.dynport.check.acquire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Constructed snapshots exercising the decoding rules; the section bodies are short stand-ins. */
class SnapshotReaderTest {
    static final Charset CP850 = Charset.forName("IBM850");

    @Test
    void utf8WithBomAndCrlf() throws Exception {
        byte[] raw = ("\uFEFF#@section netstat-ano\r\n  TCP    0.0.0.0:9955  0.0.0.0:0  ABHÖREN  5300\r\n"
                + "#@section tasklist-svc-csv\r\n\"a.exe\",\"1\",\"N/A\"\r\n").getBytes(StandardCharsets.UTF_8);
        Snapshot s = SnapshotReader.read(raw, CP850, "test");
        assertTrue(s.section(Section.NETSTAT).orElseThrow().contains("ABHÖREN"));
        assertEquals("\"a.exe\",\"1\",\"N/A\"\r\n", s.section(Section.TASKLIST).orElseThrow());
    }

    /** Every snapshot made before the sc.exe sections existed ends with tasklist: it must stay readable. */
    @Test
    void aSnapshotFromBeforeTheScSectionsIsReadWithoutThem() throws Exception {
        byte[] raw = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(SnapshotReaderTest.class
                .getResource("/snapshots/exchange-protected-constructed.snapshot").toURI()));
        Snapshot s = SnapshotReader.read(raw, CP850, "old");
        assertTrue(s.section(Section.TASKLIST).isPresent());
        for (Section sc : Section.values()) {
            if (sc.service().isPresent()) {
                assertTrue(s.section(sc).isEmpty(), sc.sectionName());
            }
        }
    }

    @Test
    void scSectionsAreReadAndNameTheirService() throws Exception {
        byte[] raw = ("#@section tasklist-svc-csv\r\n\"a.exe\",\"1\",\"N/A\"\r\n#@section sc-qc-msexchangeimap4be\r\n"
                + "[SC] OpenService FAILED 1060:\r\n").getBytes(StandardCharsets.US_ASCII);
        Snapshot s = SnapshotReader.read(raw, CP850, "test");
        assertEquals("[SC] OpenService FAILED 1060:\r\n", s.section(Section.SC_QC_IMAP4BE).orElseThrow());
        assertEquals(java.util.Optional.of("MSExchangeIMAP4BE"), Section.SC_QC_IMAP4BE.service());
        assertTrue(Section.SC_QC_IMAP4BE.isServiceConfig() && !Section.SC_QC_IMAP4BE.isServiceStatus());
        assertTrue(Section.SC_QUERYEX_POP3BE.isServiceStatus());
        assertEquals(java.util.Optional.empty(), Section.TASKLIST.service());
        assertEquals("sc.exe queryex MSExchangePOP3BE", Section.SC_QUERYEX_POP3BE.commandLine());
    }

    @Test
    void powershellRedirectWritesUtf16leWithBom() throws Exception {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.write(0xFF);
        raw.write(0xFE);
        raw.writeBytes("#@section netstat-ano\r\nABHÖREN\r\n".getBytes(StandardCharsets.UTF_16LE));
        Snapshot s = SnapshotReader.read(raw.toByteArray(), CP850, "test");
        assertEquals("ABHÖREN\r\n", s.section(Section.NETSTAT).orElseThrow(), "same text as the byte path gives");
    }

    @Test
    void eachSectionFallsBackToTheOemCodePageOnItsOwn() throws Exception {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.writeBytes("#@section netsh-dynamicport-tcp-ipv4\r\nStart Port : 6005 \u00e9\r\n".getBytes(StandardCharsets.UTF_8));
        raw.writeBytes("#@section netstat-ano\r\nABH\u00d6REN\r\n".getBytes(CP850));
        Snapshot s = SnapshotReader.read(raw.toByteArray(), CP850, "test");
        assertTrue(s.section(Section.DYNAMICPORT_TCP_IPV4).orElseThrow().contains("6005 \u00e9"));
        assertEquals("ABH\u00d6REN\r\n", s.section(Section.NETSTAT).orElseThrow());
    }

    /** What capture-snapshot.cmd writes after tasklist: a section no other source writes, yet a known one. */
    @Test
    void captureScriptSettingsSectionIsReadAfterTasklist() throws Exception {
        byte[] raw = ("#@section tasklist-svc-csv\r\n\"a.exe\",\"1\",\"N/A\"\r\n"
                + "#@section exchange-popimap-settings\r\nMSExchangePOP3BE ProxyTargetPort 1995\r\n"
                + "MSExchangeIMAP4BE ProxyTargetPort 1993\r\n").getBytes(StandardCharsets.US_ASCII);
        Snapshot s = SnapshotReader.read(raw, CP850, "test");
        assertEquals("\"a.exe\",\"1\",\"N/A\"\r\n", s.section(Section.TASKLIST).orElseThrow());
        assertEquals("MSExchangePOP3BE ProxyTargetPort 1995\r\nMSExchangeIMAP4BE ProxyTargetPort 1993\r\n",
                s.section(Section.EXCHANGE_POPIMAP_SETTINGS).orElseThrow());
    }

    private static String refusal(byte[] raw) {
        AcquisitionException e = assertThrows(AcquisitionException.class, () -> SnapshotReader.read(raw, CP850, "t.snapshot"));
        assertEquals(AcquisitionException.Failure.INPUT_UNREADABLE, e.failure());
        return e.getMessage();
    }

    private static byte[] utf16leWithBom(String text) {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.write(0xFF);
        raw.write(0xFE);
        raw.writeBytes(text.getBytes(StandardCharsets.UTF_16LE));
        return raw.toByteArray();
    }

    static final String APPENDED = "#@section netstat-ano\r\nold\r\n#@section tasklist-svc-csv\r\nx\r\n"
            + "#@section netstat-ano\r\nnew\r\n";

    @Test
    void duplicateSectionIsRefusedNamingItAndBothMarkerLines() {
        assertEquals("section netstat-ano appears twice in t.snapshot (marker lines 1 and 5): refusing to guess which"
                + " output is current; write each capture to its own file (> not >>)",
                refusal(APPENDED.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void duplicateSectionIsRefusedInUtf16Too() {
        assertTrue(refusal(utf16leWithBom(APPENDED)).startsWith(
                "section netstat-ano appears twice in t.snapshot (marker lines 1 and 5)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"#@section future-thing", "#@section", "#@Section netstat-ano", "#@sectionnetstat-ano",
        "  #@section netstat-ano x", "#@ section netstat-ano"})
    void lineStartingWithMarkerSignThatIsNoKnownMarkerIsRefused(String line) {
        String text = "#@section netstat-ano\r\nrow\r\n" + line + "\r\nrow 2\r\n";
        assertTrue(refusal(text.getBytes(StandardCharsets.US_ASCII)).startsWith("line 3 of t.snapshot is not a section"
                + " marker this check knows [" + line.strip() + "]: expected '#@section NAME' with NAME one of"
                + " capture-info, netsh-dynamicport-tcp-ipv4,"), line);
        assertTrue(refusal(utf16leWithBom(text)).startsWith("line 3 of t.snapshot is not a section marker"), line);
    }

    @Test
    void markerWithBlanksAroundAndCrlfIsAccepted() throws Exception {
        byte[] raw = " \t#@section  netstat-ano \t\r\nrow\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals("row\r\n", SnapshotReader.read(raw, CP850, "t").section(Section.NETSTAT).orElseThrow());
    }

    @Test
    void lineLongerThanAnyCommandPrintsIsRefused() {
        String text = "#@section netstat-ano\r\nok\r\n" + "a ".repeat(InputBudget.MAX_LINE) + "\r\n";
        assertEquals("line 3 of t.snapshot (section netstat-ano) is longer than 65536 characters: not the output of"
                + " 'netstat -ano'", refusal(text.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void moreLinesThanTheHeapHoldsAreRefusedBeforeDecoding() {
        // Lone CRs are line breaks to the parsers, and each line costs objects there (not in netstat, which streams).
        int lines = (int) (InputBudget.COST_LIMIT / InputBudget.LINE_COST) + 1;
        byte[] raw = ("#@section tasklist-svc-csv\n" + "\r".repeat(lines)).getBytes(StandardCharsets.US_ASCII);
        assertTrue(refusal(raw).startsWith("t.snapshot is too large for this check's heap: " + raw.length + " bytes, "
                + (lines + 1) + " lines;"), refusal(raw));
    }

    @Test
    void textWithoutMarkersIsNotASnapshot() {
        AcquisitionException e = assertThrows(AcquisitionException.class,
                () -> SnapshotReader.read("netstat output only\r\n".getBytes(StandardCharsets.US_ASCII), CP850, "f.txt"));
        assertEquals(AcquisitionException.Failure.INPUT_UNREADABLE, e.failure());
        assertTrue(e.getMessage().contains("f.txt"));
    }

    @Test
    void rawBytesAreKeptExactly() throws Exception {
        byte[] raw = "#@section netstat-ano\n\u0099\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(new String(raw, StandardCharsets.ISO_8859_1),
                new String(SnapshotReader.read(raw, CP850, "t").raw(), StandardCharsets.ISO_8859_1));
    }
}
