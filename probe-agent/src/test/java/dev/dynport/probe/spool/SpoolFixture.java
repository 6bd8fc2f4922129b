package dev.dynport.probe.spool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** A spool in a fresh directory per test, and the reads the Spool*Test classes share to look at it. */
abstract class SpoolFixture {
    @TempDir
    Path dir;

    Spool.Options options(long maxBytes, long maxRecords, long segmentBytes) {
        return new Spool.Options(dir, maxBytes, maxRecords, segmentBytes);
    }

    Spool open(String... sinks) throws IOException {
        return Spool.open(options(1 << 20, 10_000, 4096), List.of(sinks));
    }

    static byte[] payload(int n) {
        return ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
    }

    static List<String> drain(Spool s, String sink) throws IOException {
        List<String> out = new ArrayList<>();
        for (Optional<Spool.Entry> e = s.peek(sink); e.isPresent(); e = s.peek(sink)) {
            out.add(new String(e.get().payload(), StandardCharsets.UTF_8));
            s.advance(sink, e.get().seq());
        }
        return out;
    }

    List<Path> files(String sub) throws IOException {
        if (!Files.isDirectory(dir.resolve(sub))) {
            return List.of(); // created when first needed
        }
        try (Stream<Path> s = Files.list(dir.resolve(sub))) {
            return s.sorted().toList();
        }
    }

    List<Path> segmentFiles() throws IOException {
        return files("segments").stream().filter(p -> p.toString().endsWith(".seg")).toList();
    }

    long quarantineBadFiles() throws IOException {
        return files("quarantine").stream().filter(p -> p.toString().endsWith(".bad")).count();
    }
}
