package dev.dynport.probe.spool;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The check of one segment at start (format in {@link SpoolFormat}): which records are good, and what was quarantined.
 * A record with a bad CRC (or a sequence not after the previous one) is quarantined and the next one tried; a
 * second bad record in a row, an implausible length or a truncated tail quarantines the rest of the segment.
 *
 * @param good {offset, payload length, sequence} of each good record, in file order
 * @param changed whether bad bytes were found (the segment is then rewritten with the good records)
 * @param preserved whether every bad span was copied to quarantine; when not (disk full) the segment must be left
 *        as it is, so the bad bytes are not destroyed unseen and are found again at the next start
 * @param lastSeq the highest good sequence, or the segment's first sequence - 1
 */
record SegmentScan(List<long[]> good, boolean changed, boolean preserved, long lastSeq) {

    /** Null when the header itself is bad (see {@link SpoolFormat#headerProblem}). */
    static SegmentScan of(Path file, long nameSeq, byte[] bytes, Quarantine quarantine) {
        if (SpoolFormat.headerProblem(bytes) != null) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        List<long[]> good = new ArrayList<>(); // {offset, length, seq}
        int pos = SpoolFormat.HEADER_BYTES;
        boolean previousBad = false;
        boolean changed = false;
        boolean preserved = true;
        long lastSeq = nameSeq - 1;
        while (pos < bytes.length) {
            int remaining = bytes.length - pos;
            if (remaining < SpoolFormat.RECORD_OVERHEAD) {
                preserved &= quarantine.bytes(file, bytes, pos, bytes.length,
                        "truncated record header (" + remaining + " bytes at end)");
                changed = true;
                break;
            }
            int len = buf.getInt(pos);
            long seq = buf.getLong(pos + 4);
            if (len < 0 || len > SpoolFormat.MAX_PAYLOAD_BYTES) {
                preserved &= quarantine.bytes(file, bytes, pos, bytes.length, "implausible record length " + len);
                changed = true;
                break;
            }
            if ((long) len + SpoolFormat.RECORD_OVERHEAD > remaining) {
                preserved &= quarantine.bytes(file, bytes, pos, bytes.length,
                        "truncated record (length " + len + ", " + (remaining - SpoolFormat.RECORD_OVERHEAD)
                                + " bytes present)");
                changed = true;
                break;
            }
            int end = pos + SpoolFormat.RECORD_OVERHEAD + len;
            int stored = buf.getInt(end - 4);
            if (SpoolIo.crc(bytes, pos, 12 + len) != stored || seq <= lastSeq) {
                String reason = seq <= lastSeq ? "sequence " + seq + " not after " + lastSeq : "CRC mismatch";
                if (previousBad) {
                    // two bad records in a row: the lengths cannot be trusted any more
                    preserved &= quarantine.bytes(file, bytes, pos, bytes.length, reason + " (rest of segment)");
                    changed = true;
                    break;
                }
                preserved &= quarantine.bytes(file, bytes, pos, end, reason);
                changed = true;
                previousBad = true;
                pos = end;
                continue;
            }
            previousBad = false;
            good.add(new long[] {pos, len, seq});
            lastSeq = seq;
            pos = end;
        }
        return new SegmentScan(good, changed, preserved, lastSeq);
    }
}
