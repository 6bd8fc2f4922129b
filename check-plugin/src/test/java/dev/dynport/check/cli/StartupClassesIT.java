package dev.dynport.check.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a check run loads and never uses costs start-up time (docs/startup.md): the shaded jar, run on the bundled
 * example as the launcher runs it, loads none of these packages. A class count, not a timing: it holds on any
 * machine, and names the class that came back.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a hang detector, not a timing assertion
class StartupClassesIT {
    private static final String EXAMPLE = "src/test/resources/snapshots/exchange-foreign-holder-constructed.snapshot";

    @TempDir
    Path dir;

    private List<String> loaded(String... args) throws Exception {
        Path log = dir.resolve("class-load.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-Xlog:class+load=info:file=" + log, "-jar",
                Path.of("target", "check_dynport.jar").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.waitFor(), out);
        return Files.readAllLines(log, StandardCharsets.UTF_8);
    }

    private static List<String> matching(List<String> lines, String... prefixes) {
        List<String> found = new ArrayList<>();
        for (String line : lines) {
            for (String prefix : prefixes) {
                if (line.contains("] " + prefix)) {
                    found.add(line);
                }
            }
        }
        return found;
    }

    @Test
    void aSnapshotCheckLoadsNoLoggingJsonOrSsh() throws Exception {
        List<String> lines = loaded("--snapshot", EXAMPLE);
        assertEquals(List.of(), matching(lines, "java.util.logging.", "com.fasterxml.", "com.jcraft.",
                "org.apache.commons.cli.HelpFormatter"));
    }

    /**
     * Each lambda or method reference costs a link when first run, archived or not, and {@code String.format}
     * sets up the JDK's locale data: the snapshot check's own code uses neither (docs/startup.md). The lambdas
     * of commons-cli and of the JDK's regex are not ours to change.
     */
    @Test
    void aSnapshotCheckLinksNoLambdaOfOursAndNoFormatter() throws Exception {
        for (String format : List.of("nagios", "json")) {
            List<String> found = new ArrayList<>();
            for (String line : loaded("--snapshot", EXAMPLE, "--format", format, "-v")) {
                if (line.contains("] dev.dynport.") && line.contains("$$Lambda")
                        || line.contains("] java.util.Formatter ") || line.contains("] sun.util.cldr.")) {
                    found.add(line);
                }
            }
            assertEquals(List.of(), found, format);
        }
    }

    @Test
    void aJsonCheckLoadsTheStreamingGeneratorOnly() throws Exception {
        List<String> lines = loaded("--snapshot", EXAMPLE, "--format", "json");
        assertEquals(List.of(), matching(lines, "java.util.logging.", "com.fasterxml.jackson.databind.", "com.jcraft."));
    }
}
