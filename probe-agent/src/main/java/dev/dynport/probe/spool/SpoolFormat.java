package dev.dynport.probe.spool;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The spool's on-disk format: constants, segment header and record encoding, and the record check on read.
 *
 * <h2>On-disk format, version {@value #VERSION}</h2>
 * <pre>
 * DIR/lock                          held with an exclusive OS file lock while a spool is open
 * DIR/segments/NNNNNNNNNNNNNNNNNNNN.seg   NNN = sequence number of the segment's first record, 20 digits
 * DIR/cursors/SINK.cursor           next sequence number to deliver to sink SINK
 * DIR/quarantine/…                  corrupt bytes moved aside, each with a .reason text file
 *
 * segment  = header record*
 * header   = magic "DPSP" (0x44505350, int32 big-endian) | version int32 (1) | first sequence int64   (16 bytes)
 * record   = length int32 | sequence int64 | payload (length bytes, UTF-8 JSON of one event)
 *            | crc32 int32 over length, sequence and payload                                     (16 + length bytes)
 * cursor   = magic "DPCU" (0x44504355) | version int32 (1) | next sequence int64 | crc32 int32 of the first 16 bytes
 * </pre>
 * Rules that make the files checkable (unchanged format, so still version 1):
 * <ul>
 *   <li>The newest segment file is never deleted, not even when every sink consumed it: its name and records are
 *       the last sequence number used, which a restart needs and which bounds every cursor ({@code 1 <= cursor
 *       <= last + 1}; a cursor outside counts as corrupt, checksum or not).</li>
 *   <li>A segment file of at most {@value #HEADER_BYTES} bytes that is a beginning of its own header, or zeros, was
 *       created but never written (a stop in between): it held no record and is removed, not quarantined.</li>
 *   <li>Only regular files named {@code NNNNNNNNNNNNNNNNNNNN.seg} within the 64-bit range are segments; anything
 *       else in {@code segments/} is moved to {@code quarantine/}.</li>
 * </ul>
 * Segments are checked at open by {@link SegmentScan}, cursor files are read and written by {@link CursorStore}.
 */
final class SpoolFormat {
    static final int VERSION = 1;
    static final int MAGIC = 0x44505350;
    static final int HEADER_BYTES = 16;
    static final int RECORD_OVERHEAD = 16;
    /** The largest payload accepted; events are a few KiB. */
    static final int MAX_PAYLOAD_BYTES = 1 << 20;
    static final Pattern SEGMENT_NAME = Pattern.compile("(\\d{20})\\.seg");

    private SpoolFormat() {
    }

    static String segmentName(long firstSeq) {
        return String.format(Locale.ROOT, "%020d.seg", firstSeq);
    }

    /** The first sequence a segment file name stands for (the name matched {@link #SEGMENT_NAME}). */
    static long segmentFirstSeq(String fileName) {
        return Long.parseLong(fileName.substring(0, 20));
    }

    static ByteBuffer header(long firstSeq) {
        ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES);
        h.putInt(MAGIC).putInt(VERSION).putLong(firstSeq).flip();
        return h;
    }

    /**
     * Whether a segment file holds no more than a beginning of the header it was created for, or zeros (a stop
     * between creating the file and forcing its header; a journaling file system may show the unwritten block as
     * zeros). Such a file never held a record: it is removed, not quarantined.
     */
    static boolean isUnwrittenHeader(byte[] bytes, long nameSeq) {
        if (bytes.length > HEADER_BYTES) {
            return false;
        }
        byte[] header = header(nameSeq).array();
        boolean prefix = bytes.length < HEADER_BYTES;
        boolean zeros = true;
        for (int i = 0; i < bytes.length; i++) {
            prefix &= bytes[i] == header[i];
            zeros &= bytes[i] == 0;
        }
        return prefix || zeros;
    }

    /** Why a segment header is unusable, or null when it is fine. */
    static String headerProblem(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        if (bytes.length < HEADER_BYTES) {
            return "segment shorter than its header (" + bytes.length + " bytes)";
        }
        if (buf.getInt(0) != MAGIC) {
            return String.format(Locale.ROOT, "bad segment magic 0x%08x", buf.getInt(0));
        }
        if (buf.getInt(4) != VERSION) {
            return "unsupported segment version " + buf.getInt(4);
        }
        return null;
    }

    /** One record, ready to write (position 0, limit at its end). */
    static ByteBuffer record(long seq, byte[] payload) {
        ByteBuffer rec = ByteBuffer.allocate(RECORD_OVERHEAD + payload.length);
        rec.putInt(payload.length).putLong(seq).put(payload);
        rec.putInt(SpoolIo.crc(rec.array(), 0, 12 + payload.length));
        rec.flip();
        return rec;
    }

    /**
     * The payload of a record read back for delivery, or null when the bytes are not the record expected there:
     * short read, other length or sequence, or a CRC mismatch.
     *
     * @param rec the buffer read into, sized {@code RECORD_OVERHEAD + length}; its position is how much was read
     */
    static byte[] payloadIfIntact(ByteBuffer rec, long seq, int length) {
        byte[] bytes = rec.array();
        if (!rec.hasRemaining() && rec.getInt(0) == length && rec.getLong(4) == seq
                && SpoolIo.crc(bytes, 0, 12 + length) == rec.getInt(bytes.length - 4)) {
            byte[] payload = new byte[length];
            System.arraycopy(bytes, 12, payload, 0, payload.length);
            return payload;
        }
        return null;
    }
}
