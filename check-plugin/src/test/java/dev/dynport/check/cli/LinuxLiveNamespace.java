package dev.dynport.check.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs inside the network namespace {@link LinuxLiveIT} makes with {@code unshare -n}: brings loopback up, listens
 * on a port inside ip_local_port_range, opens outbound connections (their local ports come from the kernel's
 * ephemeral allocator), runs check_dynport --local in its own JVM, then reserves the port in this namespace's
 * ip_local_reserved_ports and runs it again. Writes {@code pid}, {@code port}, {@code exposed.txt|exit},
 * {@code reserved.txt|exit} into the folder given.
 */
public final class LinuxLiveNamespace {
    static final List<String> IP_PATHS = List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip");

    private LinuxLiveNamespace() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String ip = IP_PATHS.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElseThrow();
        if (new ProcessBuilder(ip, "link", "set", "lo", "up").inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException("ip link set lo up failed");
        }
        String[] range;
        // Not Files.readString: on a /proc file (size 0) JDK 17 returns its first byte only.
        try (var in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            range = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip().split("\t");
        }
        int low = Integer.parseInt(range[0]);
        int high = Integer.parseInt(range[1]);
        // A fresh namespace has no socket at all: any port of the range is free.
        int port = low + (high - low) / 2;
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classpath = System.getProperty("java.class.path");
        List<Socket> open = new ArrayList<>();
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(port));
            for (int i = 0; i < 3; i++) {
                open.add(new Socket("127.0.0.1", port));
                open.add(listener.accept());
            }
            // A client that closes first leaves its ephemeral port in TIME_WAIT (for 60 s): the usage count then
            // knows exactly 5 ipv4 ports in use: the listener's (shared by the accepted ends) and 4 client ports.
            Socket closing = new Socket("127.0.0.1", port);
            try (Socket accepted = listener.accept()) {
                closing.close();
                if (accepted.getInputStream().read() != -1) {
                    throw new IllegalStateException("the client sent data instead of closing");
                }
            }
            Files.writeString(dir.resolve("pid"), Long.toString(ProcessHandle.current().pid()));
            Files.writeString(dir.resolve("port"), Integer.toString(port));
            check(java, classpath, port, dir, "exposed");
            try (var out = Files.newOutputStream(Path.of("/proc/sys/net/ipv4/ip_local_reserved_ports"))) {
                out.write((port + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            check(java, classpath, port, dir, "reserved");
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    private static void check(String java, String classpath, int port, Path dir, String name)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java, "-cp", classpath, CheckDynport.class.getName(), "--local", "--port",
                port + ":app:java", "-v").redirectErrorStream(true).redirectOutput(dir.resolve(name + ".txt").toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("check_dynport --local did not end within 60 s");
        }
        Files.writeString(dir.resolve(name + ".exit"), Integer.toString(p.exitValue()), StandardCharsets.US_ASCII);
    }
}
