package dev.dynport.check.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AppCDS archive the build leaves beside the shaded jar ({@code target/check_dynport.jsa}) and how
 * {@code bin/check_dynport} uses it: mapped when it fits, and when it is missing or does not fit (made for the jar
 * at another path, as after copying both into an install directory) the verdict and stdout are the same and the
 * JVM says nothing on stdout, which Nagios reads as the plugin's answer.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a hang detector, not a timing assertion
class LauncherArchiveIT {
    private static final Path BIN = Path.of("bin", "check_dynport");
    private static final Path JAR = Path.of("target", "check_dynport.jar");
    private static final Path ARCHIVE = Path.of("target", "check_dynport.jsa");
    private static final String EXAMPLE = "src/test/resources/snapshots/exchange-foreign-holder-constructed.snapshot";

    @TempDir
    Path dir;

    record Run(int exit, String stdout, String stderr) {
    }

    private static Run launch(Path launcher, Map<String, String> env) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sh", launcher.toString(), "--snapshot",
                Path.of(EXAMPLE).toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().putAll(env);
        Path err = Files.createTempFile("launcher-archive", ".err");
        try {
            pb.redirectError(err.toFile());
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Run(p.waitFor(), out, Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** Launcher and jar copied into a directory whose name has a space, as under "Program Files". */
    private Path install(boolean withArchive) throws IOException {
        Path target = Files.createDirectories(dir.resolve("check plugin " + (withArchive ? "with" : "without")));
        Files.copy(BIN, target.resolve("check_dynport"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(JAR, target.resolve("check_dynport.jar"), StandardCopyOption.REPLACE_EXISTING);
        if (withArchive) {
            Files.copy(ARCHIVE, target.resolve("check_dynport.jsa"), StandardCopyOption.REPLACE_EXISTING);
        }
        return target.resolve("check_dynport");
    }

    @Test
    void theBuildLeavesAnArchiveThatTheLauncherMaps() throws Exception {
        assertTrue(Files.isRegularFile(ARCHIVE), "package should leave " + ARCHIVE);
        Path log = dir.resolve("class-load.log");
        Run r = launch(BIN, Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log));
        assertEquals(2, r.exit(), r.stdout());
        String loaded = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(loaded.contains("dev.dynport.check.cli.CheckDynport source: shared objects file (top)"),
                "the launcher's main class should come from the archive:\n" + loaded.lines()
                        .filter(l -> l.contains("CheckDynport ")).findFirst().orElse("(not loaded)"));
    }

    @Test
    void withoutAnArchiveTheVerdictIsTheSame() throws Exception {
        Run archived = launch(BIN, Map.of());
        Run plain = launch(install(false), Map.of());
        assertEquals(2, plain.exit(), plain.stdout());
        assertTrue(plain.stdout().startsWith("DYNPORT CRITICAL - 9955/tcp POP3 back-end held by svchost.exe"),
                plain.stdout());
        assertEquals(archived.stdout(), plain.stdout());
    }

    @Test
    void anArchiveThatDoesNotFitIsIgnoredWithoutAWordOnStdout() throws Exception {
        Run plain = launch(install(false), Map.of());
        // Made for target/check_dynport.jar: the JVM refuses it for the jar at the install path.
        Run stale = launch(install(true), Map.of());
        assertEquals(2, stale.exit(), stale.stdout());
        assertEquals(plain.stdout(), stale.stdout());
        assertEquals("", stale.stderr());
    }
}
