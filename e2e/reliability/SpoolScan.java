import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Lists the events a dynport spool accepted, read from copies (hard links) of its segment files taken while the
 * agent was dead: a second, independent reading of the on-disk format of docs/agent-delivery.md (version 1), so the
 * accounting of e2e/reliability does not trust the spool code it tests.
 *
 * <pre>
 * java SpoolScan.java ARCHIVE SINK
 *   ARCHIVE/NNNN/*.seg*        the segment files present after kill NNNN
 *   ARCHIVE/NNNN/SINK.cursor   the sink's cursor file then (may be missing)
 * stdout: "event SEQ ID" per intact record (each sequence once), then "kill NNNN owed=N" per kill (records at or
 *         after the cursor: what the sink still had to get when the agent died), then one "scan ..." line
 * exit 1 when one sequence number carries two different events (a reused sequence would hide a loss)
 * </pre>
 * A record that is short or fails its CRC ends its segment (a torn tail after SIGKILL: never acknowledged, not
 * counted as accepted).
 */
public final class SpoolScan {
    private static final int MAGIC = 0x44505350;
    private static final int CURSOR_MAGIC = 0x44504355;
    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

    public static void main(String[] args) throws IOException {
        Path archive = Path.of(args[0]);
        String sink = args[1];
        TreeMap<Long, String> events = new TreeMap<>();
        List<String> kills = new ArrayList<>();
        int torn = 0;
        int conflicts = 0;
        List<Path> dirs;
        try (Stream<Path> s = Files.list(archive)) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        }
        for (Path dir : dirs) {
            long max = 0;
            List<Path> segs;
            try (Stream<Path> s = Files.list(dir)) {
                segs = s.filter(p -> p.getFileName().toString().contains(".seg")).sorted().toList();
            }
            for (Path seg : segs) {
                ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(seg));
                if (b.remaining() < 16 || b.getInt(0) != MAGIC || b.getInt(4) != 1) {
                    System.err.println("scan: not a version 1 segment: " + seg);
                    torn++;
                    continue;
                }
                int off = 16;
                while (off < b.limit()) {
                    if (b.limit() - off < 16) {
                        torn++;
                        break;
                    }
                    int len = b.getInt(off);
                    if (len < 0 || len > (1 << 20) || b.limit() - off < 16 + len) {
                        torn++;
                        break;
                    }
                    CRC32 crc = new CRC32();
                    crc.update(b.array(), off, 12 + len);
                    if ((int) crc.getValue() != b.getInt(off + 12 + len)) {
                        torn++;
                        break;
                    }
                    long seq = b.getLong(off + 4);
                    String json = new String(b.array(), off + 12, len, StandardCharsets.UTF_8);
                    Matcher m = ID.matcher(json);
                    String id = m.find() ? m.group(1) : "no-id-at-" + seq;
                    String old = events.putIfAbsent(seq, id);
                    if (old != null && !old.equals(id)) {
                        System.err.println("scan: sequence " + seq + " carries two events: " + old + " and " + id);
                        conflicts++;
                    }
                    max = Math.max(max, seq);
                    off += 16 + len;
                }
            }
            Path cursorFile = dir.resolve(sink + ".cursor");
            long owed = 0;
            if (Files.exists(cursorFile)) {
                ByteBuffer c = ByteBuffer.wrap(Files.readAllBytes(cursorFile));
                if (c.limit() == 20 && c.getInt(0) == CURSOR_MAGIC) {
                    owed = Math.max(0, max - c.getLong(8) + 1);
                }
            }
            kills.add("kill " + dir.getFileName() + " owed=" + owed);
        }
        events.forEach((seq, id) -> System.out.println("event " + seq + " " + id));
        kills.forEach(System.out::println);
        System.out.println("scan: records=" + events.size() + " torn=" + torn + " conflicts=" + conflicts);
        System.exit(conflicts == 0 ? 0 : 1);
    }
}
