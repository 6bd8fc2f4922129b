package dev.dynport.probe;

import dev.dynport.check.judge.PerfDatum;
import dev.dynport.check.judge.CheckOptions;
import dev.dynport.probe.config.ConfigParser;
import dev.dynport.probe.config.TargetAccess;
import dev.dynport.probe.config.TargetConfig;
import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.EventPublisher;
import dev.dynport.probe.event.EventType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import dev.dynport.check.judge.CheckResult;

/** Shared test doubles: a settable clock, a recording publisher, the constructed snapshot fixtures. */
public final class TestSupport {
    public static final Instant T0 = Instant.parse("2026-11-28T06:00:00Z");

    private TestSupport() {
    }

    public static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        public MutableClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        public void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    public static final class RecordingPublisher implements EventPublisher {
        private final List<Event> events = new ArrayList<>();

        @Override
        public synchronized void publish(Event event) {
            events.add(event);
        }

        public synchronized List<Event> events() {
            return List.copyOf(events);
        }

        public synchronized List<Event> ofType(EventType type) {
            return events.stream().filter(e -> e.type() == type).toList();
        }

        public synchronized List<Event> drain() {
            List<Event> out = List.copyOf(events);
            events.clear();
            return out;
        }
    }

    /** A constructed snapshot fixture from src/test/resources/snapshots, e.g. {@code exchange-exposed}. */
    public static byte[] fixture(String name) {
        try (InputStream in = TestSupport.class.getResourceAsStream("/snapshots/" + name + "-constructed.snapshot")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces {@code target} with the fixture atomically, as a capture job pushing a new file would. */
    public static void install(String fixture, Path target) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, fixture(fixture));
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes a freshly generated ECDSA private key (PEM; encrypted when {@code passphrase} is given). */
    public static Path sshKey(Path file, String passphrase) throws Exception {
        com.jcraft.jsch.KeyPair kp = com.jcraft.jsch.KeyPair.genKeyPair(new com.jcraft.jsch.JSch(),
                com.jcraft.jsch.KeyPair.ECDSA, 256);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        if (passphrase == null) {
            kp.writePrivateKey(out);
        } else {
            kp.writePrivateKey(out, passphrase.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return Files.write(file, out.toByteArray());
    }

    public static TargetConfig snapshotTarget(String name, Path file) {
        return new TargetConfig(name, new TargetAccess.SnapshotFile(file), CheckOptions.defaults(),
                ConfigParser.DEFAULT_CHARSET, Duration.ofSeconds(60), Duration.ZERO, Duration.ofSeconds(5));
    }
}
