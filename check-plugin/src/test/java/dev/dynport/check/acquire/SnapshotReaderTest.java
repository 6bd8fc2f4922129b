package dev.dynport.check.acquire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

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

    @Test
    void unknownSectionsAreIgnoredAndFirstDuplicateCounts() throws Exception {
        byte[] raw = ("#@section future-thing\r\nx\r\n#@section netstat-ano\r\nfirst\r\n#@section netstat-ano\r\nsecond\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        Snapshot s = SnapshotReader.read(raw, CP850, "test");
        assertEquals("first\r\n", s.section(Section.NETSTAT).orElseThrow());
        assertFalse(s.section(Section.TASKLIST).isPresent());
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
