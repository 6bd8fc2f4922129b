package dev.dynport.probe.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.probe.event.EventJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent process is killed with SIGKILL in the middle of delivery and restarted: nothing is lost. */
class SigkillTest {
    private static final int EVENTS = 60;

    @TempDir
    Path dir;

    private Process child(Receiver r, int count, String log) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xshare:auto", "-cp", cp, SpoolChild.class.getName(),
                dir.resolve("spool").toString(), r.uri() + "/hook", Integer.toString(count))
                .redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
    }

    @Test
    void agentKilledMidDeliveryAndRestartedLosesNoEvent() throws Exception {
        CountDownLatch someDelivered = new CountDownLatch(15);
        CountDownLatch killed = new CountDownLatch(1);
        AtomicInteger seen = new AtomicInteger();
        try (Receiver r = Receiver.http()) {
            r.respond(q -> {
                someDelivered.countDown();
                if (seen.incrementAndGet() > 15) {
                    try {
                        // hold the 16th delivery open until the agent is killed: the kill lands mid-delivery
                        killed.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return new Receiver.Reply(200, "ok");
            });
            Process first = child(r, EVENTS, "first.log");
            assertTrue(someDelivered.await(60, TimeUnit.SECONDS), "child never delivered");
            first.destroyForcibly(); // SIGKILL on Unix
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));
            killed.countDown();
            assertEquals(137, first.exitValue(), Files.readString(dir.resolve("first.log")));
            int beforeRestart = r.requests.size();
            assertTrue(beforeRestart <= 16, "killed mid-stream, after " + beforeRestart + " requests");

            Process second = child(r, 0, "second.log");
            assertTrue(second.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, second.exitValue(), Files.readString(dir.resolve("second.log")));

            List<String> summaries = new ArrayList<>();
            for (Receiver.Request q : r.requests) {
                summaries.add(EventJson.fromBytes(q.body().getBytes(StandardCharsets.UTF_8)).summary());
            }
            Set<String> distinct = new LinkedHashSet<>(summaries);
            Set<String> all = new LinkedHashSet<>();
            for (int i = 0; i < EVENTS; i++) {
                all.add("event #" + i);
            }
            assertTrue(Files.readString(dir.resolve("first.log")).contains("published " + EVENTS));
            assertEquals(all, distinct, "every published event delivered, in order of first arrival");
            assertTrue(summaries.size() >= distinct.size());
        }
    }
}
