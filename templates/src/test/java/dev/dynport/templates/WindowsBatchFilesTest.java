package dev.dynport.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped .cmd files, read as cmd.exe would read them, for what can go wrong only on Windows: a path with
 * parentheses expanded inside a block (see {@link BatchBlocks}), and a missing java.exe ending in cmd's 9009
 * ("is not recognized") instead of the plugin protocol's UNKNOWN (3).
 */
class WindowsBatchFilesTest {
    static final List<String> LAUNCHERS = List.of("check-plugin/bin/check_dynport.cmd", "probe-agent/bin/dynport-probe.cmd");

    /** Every .cmd in the repository (outside build output), so a new one is checked without being listed. */
    static Stream<String> batchFiles() throws IOException {
        Path root = RepoFiles.root();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".cmd"))
                    .filter(p -> !root.relativize(p).toString().contains("target"))
                    .filter(p -> !root.relativize(p).startsWith(".git"))
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList().stream();
        }
    }

    @Test
    void findsTheShippedBatchFiles() throws IOException {
        List<String> found = batchFiles().toList();
        for (String expected : List.of("check-plugin/bin/check_dynport.cmd", "probe-agent/bin/dynport-probe.cmd",
                "templates/windows/capture-snapshot.cmd")) {
            assertTrue(found.contains(expected), "not found: " + expected + " in " + found);
        }
    }

    @ParameterizedTest
    @MethodSource("batchFiles")
    void noExpansionInsideAParenthesisedBlock(String file) throws IOException {
        assertEquals(List.of(), BatchBlocks.expansionsInsideBlocks(read(file)),
                file + ": under a folder such as C:\\Program Files (x86) these abort every run");
    }

    @Test
    void theRuleCatchesTheX86Hazard() {
        String old = "if not exist \"%JAR%\" (\r\n  echo not found beside %~f0\r\n  exit /b 3\r\n)\r\n";
        assertEquals(List.of("line 2: %JAR% inside a parenthesised block", "line 3: %~f0 inside a parenthesised block"),
                BatchBlocks.expansionsInsideBlocks("(\r\n" + old + ")\r\n").subList(0, 2));
        assertEquals(List.of("line 2: %~f0 inside a parenthesised block"), BatchBlocks.expansionsInsideBlocks(old));
        assertEquals(List.of(), BatchBlocks.expansionsInsideBlocks(
                "set \"SELF=%~f0\"\r\nif not exist \"%JAR%\" goto :nojar\r\nfor /f %%c in ('chcp') do set \"X=%%c\"\r\n"
                        + "rem (a comment with %~f0)\r\n:nojar\r\necho not found beside %SELF%\r\n"));
        assertEquals(List.of(), BatchBlocks.expansionsInsideBlocks("for /f %%c in ('%SystemRoot%\\System32\\chcp.com') do echo %%c\r\n"));
        assertEquals(List.of("line 1: %ERRORLEVEL% inside a parenthesised block"),
                BatchBlocks.expansionsInsideBlocks("( call x & exit /b %ERRORLEVEL% )\r\n"));
    }

    /**
     * Without java.exe, cmd prints "'java' is not recognized ..." and exits 9009, which Nagios and NSClient++ show
     * as an unknown exit code without a DYNPORT status line. The launchers look java.exe up first (JAVA_HOME, then
     * the PATH), say what is missing, exit 3, and map a late 9009 to the same message.
     */
    @ParameterizedTest
    @MethodSource("launchers")
    void missingJavaIsUnknownNot9009(String file) throws IOException {
        String script = read(file);
        List<String> active = script.lines().filter(l -> !l.stripLeading().toLowerCase(java.util.Locale.ROOT).startsWith("rem")).toList();
        assertTrue(active.stream().anyMatch(l -> l.contains("%JAVA_HOME%\\bin\\java.exe")), file + ": no JAVA_HOME lookup");
        assertTrue(active.stream().anyMatch(l -> l.contains("%%~$PATH:")), file + ": no PATH lookup of java.exe");
        assertTrue(active.stream().anyMatch(l -> Pattern.compile("if \"%\\w+%\"==\"9009\" goto :nojava").matcher(l).find()),
                file + ": exit status 9009 is not turned into UNKNOWN");
        int label = active.indexOf(":nojava");
        assertTrue(label >= 0, file + ": no :nojava label");
        List<String> handler = active.subList(label + 1, active.size());
        int exit = handler.indexOf("exit /b 3");
        assertTrue(exit > 0, file + ": :nojava does not end with exit /b 3");
        assertTrue(handler.subList(0, exit).stream().anyMatch(l -> l.startsWith("echo ") && l.contains("java not found")),
                file + ": :nojava does not say that java was not found");
        assertFalse(active.stream().anyMatch(l -> l.startsWith("set \"JAVA=java\"")), file + ": falls back to a bare java");
    }

    @Test
    void checkPluginLauncherSaysUnknownInItsStatusLine() throws IOException {
        String script = read("check-plugin/bin/check_dynport.cmd");
        assertTrue(script.contains("echo DYNPORT UNKNOWN - java not found"), "status line of the plugin protocol");
    }

    static Stream<String> launchers() {
        return LAUNCHERS.stream();
    }

    private static String read(String file) throws IOException {
        return Files.readString(RepoFiles.file(file), StandardCharsets.UTF_8);
    }
}
