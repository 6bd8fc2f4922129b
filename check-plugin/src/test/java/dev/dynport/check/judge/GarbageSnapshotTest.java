package dev.dynport.check.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.dynport.check.acquire.Section;
import dev.dynport.check.acquire.Snapshot;
import dev.dynport.check.model.Platform;
import dev.dynport.check.model.State;
import dev.dynport.check.render.JsonReport;
import dev.dynport.check.render.NagiosText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every garbage fixture in every section at once, and in one section of an otherwise good snapshot: the whole
 * check still answers, never OK while a section is unreadable, with the section named, and both renderers print
 * it. (Some garbage files are valid for one command, e.g. a BOM before a dynamicport table: there the section
 * reads fine and nothing is asserted about it.)
 */
class GarbageSnapshotTest {

    static Stream<Path> garbage() throws Exception {
        Path dir = Path.of(GarbageSnapshotTest.class.getResource("/fixtures/garbage").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList().stream();
        }
    }

    static Snapshot good() throws Exception {
        Path file = Path.of(GarbageSnapshotTest.class.getResource("/snapshots/exchange-protected-constructed.snapshot").toURI());
        return dev.dynport.check.acquire.SnapshotReader.read(Files.readAllBytes(file), StandardCharsets.ISO_8859_1, "good");
    }

    static String text(Path garbage) throws IOException {
        return new String(Files.readAllBytes(garbage), StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @MethodSource("garbage")
    void garbageInEverySectionIsUnknownNamingEachSection(Path garbage) throws Exception {
        Map<Section, String> sections = new EnumMap<>(Section.class);
        for (Section s : Section.values()) {
            sections.put(s, text(garbage));
        }
        CheckResult result = DynportCheck.judge(new Snapshot(new byte[0], sections, "garbage"), CheckOptions.defaults());
        assertFalse(result.problems().isEmpty(), garbage.getFileName().toString());
        assertEquals(State.UNKNOWN, result.state(), garbage.getFileName() + ": " + result.summary());
        NagiosText.render(result, true);
        JsonReport.render(result);
    }

    @ParameterizedTest
    @MethodSource("garbage")
    void garbageInOneSectionOfAProtectedHostIsNeverOk(Path garbage) throws Exception {
        Snapshot good = good();
        for (Section target : Section.values()) {
            Map<Section, String> sections = new EnumMap<>(good.sections());
            sections.put(target, text(garbage));
            CheckResult result = DynportCheck.judge(new Snapshot(new byte[0], sections, "one-bad"), CheckOptions.defaults());
            if (result.problems().isEmpty()) {
                continue;
            }
            assertEquals(State.UNKNOWN, result.state(), target + " <- " + garbage.getFileName());
            String line = NagiosText.statusLine(result);
            // a Linux section in a Windows snapshot is refused as a mix, whatever it holds
            String named = target.platform() == Platform.WINDOWS ? target.commandLine() : "and Linux sections ["
                    + target.sectionName() + "]";
            assertEquals(true, line.contains(named), line);
        }
    }

    /** The same on a real Linux capture whose watched port is reserved (OK when every section reads). */
    @ParameterizedTest
    @MethodSource("garbage")
    void garbageInOneSectionOfAProtectedLinuxHostIsNeverOk(Path garbage) throws Exception {
        Path file = Path.of(GarbageSnapshotTest.class.getResource("/snapshots/linux-netns-reserved-debian12.snapshot")
                .toURI());
        Snapshot good = dev.dynport.check.acquire.SnapshotReader.read(Files.readAllBytes(file),
                StandardCharsets.UTF_8, "good");
        CheckOptions options = new CheckOptions(Profile.NONE, java.util.List.of(new WatchedPort(40000, "app",
                java.util.List.of("python3"), WatchedPort.Origin.USER)), State.WARNING, false);
        assertEquals(State.OK, DynportCheck.judge(good, options).state());
        for (Section target : good.sections().keySet()) {
            Map<Section, String> sections = new EnumMap<>(good.sections());
            sections.put(target, text(garbage));
            CheckResult result = DynportCheck.judge(new Snapshot(new byte[0], sections, "one-bad"), options);
            if (result.problems().isEmpty()) {
                continue;
            }
            assertEquals(State.UNKNOWN, result.state(), target + " <- " + garbage.getFileName());
            String line = NagiosText.statusLine(result);
            assertEquals(true, line.contains(target.commandLine()), line);
        }
    }
}
