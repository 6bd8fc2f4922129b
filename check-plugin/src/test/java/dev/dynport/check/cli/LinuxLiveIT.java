package dev.dynport.check.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dynport.check.acquire.LinuxLocalSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * check_dynport --local on the real kernel of this machine, inside a network namespace of its own ({@code unshare
 * -n}: ip_local_port_range and ip_local_reserved_ports are per namespace, so the host is not touched): a listener
 * inside the range with outbound connections is EXPOSED and its owner named from ss; with its port written into
 * the namespace's ip_local_reserved_ports it is PROTECTED. Skipped, with the reason, where the machine cannot make
 * the namespace (not Linux, no unshare/ss/ip, no right to unshare).
 */
class LinuxLiveIT {
    @TempDir
    Path dir;

    @Test
    void aListenerInsideTheRangeIsExposedWithItsOwnerAndProtectedOnceReserved() throws Exception {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux"), "not Linux");
        String unshare = first(List.of("/usr/bin/unshare", "/bin/unshare"));
        assumeTrue(unshare != null, "unshare (util-linux) not installed");
        assumeTrue(first(LinuxLocalSource.SS_PATHS) != null, "ss (iproute2) not installed at " + LinuxLocalSource.SS_PATHS);
        assumeTrue(first(LinuxLiveNamespace.IP_PATHS) != null, "ip (iproute2) not installed");
        Process probe = new ProcessBuilder(unshare, "-n", "true").redirectErrorStream(true).start();
        String why = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "unshare -n is not permitted here (needs root or user namespaces): " + why);

        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(unshare, "-n", java, "-cp", System.getProperty("java.class.path"),
                LinuxLiveNamespace.class.getName(), dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("namespace.log").toFile()).start();
        assertTrue(child.waitFor(180, TimeUnit.SECONDS), "the namespace run did not end");
        assertEquals(0, child.exitValue(), () -> read("namespace.log"));

        String port = read("port");
        String pid = read("pid");
        String exposed = read("exposed.txt");
        assertEquals("1", read("exposed.exit"), exposed);
        assertTrue(exposed.startsWith("DYNPORT WARNING - " + port + "/tcp app exposed to the dynamic port range"
                + " [ipv4+ipv6] | "), exposed);
        assertTrue(exposed.contains("[WARNING] EXPOSED: " + port + "/tcp app (ipv4) is inside"
                + " net.ipv4.ip_local_port_range "), exposed);
        assertTrue(exposed.contains("owner java PID " + pid + " "), exposed);
        assertTrue(exposed.contains("  sysctl -w net.ipv4.ip_local_reserved_ports=" + port + "\n"), exposed);
        // The usage on the live kernel: the listener's port and the 4 client ports (3 open, 1 in TIME_WAIT).
        assertTrue(exposed.contains("\nDynamic ports in use ipv4: 5 of "), exposed);
        assertTrue(exposed.contains(" ipv4_dynamic_used=5;;;0;"), exposed);
        assertTrue(exposed.contains("TIME_WAIT"), exposed);

        String reserved = read("reserved.txt");
        assertEquals("0", read("reserved.exit"), reserved);
        assertTrue(reserved.startsWith("DYNPORT OK - 1 watched port safe: " + port + " protected;"), reserved);
        assertTrue(reserved.contains("owner java PID " + pid + " "), reserved);
    }

    private String read(String name) {
        try {
            return Files.readString(dir.resolve(name), StandardCharsets.UTF_8).strip().replace("\r", "");
        } catch (java.io.IOException e) {
            return "(" + name + " not written: " + e + ")";
        }
    }

    private static String first(List<String> paths) {
        return paths.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
    }
}
