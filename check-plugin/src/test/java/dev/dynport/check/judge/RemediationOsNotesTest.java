package dev.dynport.check.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.model.CaptureInfo;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The 2008/2012 KB notes print for the Windows version the snapshot shows, and only then. */
class RemediationOsNotesTest {
    private static CaptureInfo windows(String version) {
        return new CaptureInfo("EXCH01", Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC, version);
    }

    @Test
    void server2016AndLaterGetNoKbNote() {
        assertEquals(List.of(), Remediation.osNotes(windows("10.0.17763.0")));
        assertEquals(List.of(), Remediation.osNotes(windows("10.0.14393.0")));
    }

    @Test
    void server2008R2GetsBothNotes() {
        List<String> notes = Remediation.osNotes(windows("6.1.7601.65536"));
        assertEquals(2, notes.size(), notes.toString());
        assertTrue(notes.get(0).contains("KB2665809") && notes.get(1).contains("KB3039044"), notes.toString());
    }

    @Test
    void server2012R2GetsOnlyTheReuseAddrNote() {
        assertEquals(List.of("Windows 6.3.9600.0: " + Remediation.KB3039044 + "."), Remediation.osNotes(windows("6.3.9600.0")));
    }

    @Test
    void server2008GetsOnlyTheHotfixNote() {
        assertEquals(List.of("Windows 6.0.6002.0: " + Remediation.KB2665809 + "."), Remediation.osNotes(windows("6.0.6002.0")));
    }

    @Test
    void withoutAVersionBothPrintOnceAsAConditional() {
        List<String> notes = Remediation.osNotes(null);
        assertEquals(1, notes.size());
        assertTrue(notes.get(0).startsWith("Only on Windows Server 2008 R2/2012 R2 (the snapshot does not show the OS"));
    }
}
