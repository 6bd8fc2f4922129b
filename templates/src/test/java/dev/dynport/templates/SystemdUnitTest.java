package dev.dynport.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** templates/systemd/dynport-probe.service: the hardening the docs promise, and systemd's own verdict on the file. */
class SystemdUnitTest {
    static final String UNIT = "templates/systemd/dynport-probe.service";

    @Test
    void runsAsItsOwnUserOnAReadOnlySystemWithTheSpoolInTheStateDirectory() throws IOException {
        List<String> lines = activeLines();
        for (String required : List.of("User=dynport", "Group=dynport", "ProtectSystem=strict", "ProtectHome=yes",
                "PrivateTmp=yes", "NoNewPrivileges=yes", "StateDirectory=dynport", "StateDirectoryMode=0700",
                "CapabilityBoundingSet=", "UMask=0077", "SuccessExitStatus=143")) {
            assertTrue(lines.contains(required), UNIT + " lacks [" + required + "]");
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("ExecStart=") && l.contains("--config /etc/dynport/probe.json")));
        // The JIT needs W+X pages: this setting would make the JVM fail at start.
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("MemoryDenyWriteExecute=yes")), "MemoryDenyWriteExecute breaks the JVM");
        // ProtectSystem=strict leaves only StateDirectory writable: no ReadWritePaths by default.
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("ReadWritePaths=")), "writable paths beyond the state directory");
    }

    @Test
    void systemdAnalyzeVerifyAcceptsTheUnit(@TempDir Path tmp) throws Exception {
        Path analyze = onPath("systemd-analyze");
        assumeTrue(analyze != null, "systemd-analyze is not installed");
        // verify also checks that ExecStart exists: point it at /bin/true, keep everything else.
        String unit = Files.readString(RepoFiles.file(UNIT), StandardCharsets.UTF_8)
                .replace("/opt/dynport/bin/dynport-probe", "/bin/true");
        Path copy = tmp.resolve("dynport-probe.service");
        Files.writeString(copy, unit, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(analyze.toString(), "verify", copy.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "systemd-analyze verify did not finish");
        // Messages about the machine (no running systemd, missing user) are not about the unit file.
        List<String> complaints = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.contains("dynport-probe.service") && !line.contains("Failed to connect") && !line.isBlank()) {
                complaints.add(line);
            }
        }
        assertEquals(List.of(), complaints, "systemd-analyze verify: " + out);
        assertEquals(0, p.exitValue(), "systemd-analyze verify: " + out);
    }

    private static List<String> activeLines() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(RepoFiles.file(UNIT), StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                out.add(t);
            }
        }
        return out;
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
