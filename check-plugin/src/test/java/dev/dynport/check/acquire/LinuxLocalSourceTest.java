package dev.dynport.check.acquire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dynport.check.model.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --local on Linux against a folder laid out like / and stand-in ss scripts (the real kernel: LinuxLocalIT). */
class LinuxLocalSourceTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T05:00:00Z"), ZoneOffset.ofHours(1));

    @TempDir
    Path root;

    @BeforeEach
    void proc() throws IOException {
        write("proc/sys/kernel/hostname", "mail01\n");
        write("proc/sys/kernel/osrelease", "6.1.0-18-amd64\n");
        write("proc/sys/net/ipv4/ip_local_port_range", "32768\t60999\n");
        write("proc/sys/net/ipv4/ip_local_reserved_ports", "\n");
        write("proc/net/tcp", "  sl  local_address rem_address   st\n");
        write("proc/net/tcp6", "  sl  local_address remote_address   st\n");
    }

    private Path write(String relative, String text) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private String ss(String script) throws IOException {
        Path p = write("bin/ss", "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p.toString();
    }

    private Snapshot acquire(List<String> ssPaths) throws AcquisitionException {
        return new LinuxLocalSource(root, ssPaths, CLOCK).acquire(Duration.ofSeconds(20));
    }

    @Test
    void writesTheLinuxSectionsWithSsByItsFullPath() throws Exception {
        String ss = ss("[ \"$1\" = -tanpH ] && echo 'LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:((\"sshd\",pid=1,fd=3))'");
        Snapshot s = acquire(List.of(root.resolve("missing/ss").toString(), ss));
        assertEquals("mail01\n2026-12-01T06:00:00+0100\nLinux 6.1.0-18-amd64\n",
                s.section(Section.LINUX_CAPTURE_INFO).orElseThrow());
        assertEquals("32768\t60999\n", s.section(Section.LINUX_PORT_RANGE).orElseThrow());
        assertEquals("\n", s.section(Section.LINUX_RESERVED_PORTS).orElseThrow());
        assertEquals("LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:((\"sshd\",pid=1,fd=3))\n",
                s.section(Section.LINUX_SS).orElseThrow());
        assertEquals(List.of(), LinuxCapture.missing(s));
        s.sections().keySet().forEach(k -> assertEquals(Platform.LINUX, k.platform()));
    }

    @Test
    void readsProcNetTcpWhenNoSsIsInstalled() throws Exception {
        Snapshot s = acquire(List.of(root.resolve("missing/ss").toString()));
        assertEquals("  sl  local_address rem_address   st\n", s.section(Section.LINUX_PROC_NET_TCP).orElseThrow());
        assertEquals(true, s.section(Section.LINUX_SS).isEmpty());
        assertEquals(List.of(), LinuxCapture.missing(s));
    }

    @Test
    void ssFailingIsAFailureNamingItsStatusAndFirstLine() throws Exception {
        String ss = ss("echo 'Cannot open netlink socket: Permission denied'; exit 1");
        AcquisitionException e = assertThrows(AcquisitionException.class, () -> acquire(List.of(ss)));
        assertEquals("[" + ss + " -tanpH] exited with status 1: Cannot open netlink socket: Permission denied",
                e.getMessage());
    }

    @Test
    void noTcp6WithoutSsNamesTheFileAndTheWayOut() throws Exception {
        Files.delete(root.resolve("proc/net/tcp6"));
        AcquisitionException e = assertThrows(AcquisitionException.class,
                () -> acquire(List.of(root.resolve("missing/ss").toString())));
        assertEquals("cannot read /proc/net/tcp6: NoSuchFileException (IPv6 disabled? install iproute2's ss, which"
                + " reads both families)", e.getMessage());
    }
}
