package dev.dynport.check.acquire;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the server's host key is verified: always against {@code knownHosts} (OpenSSH format, hashed entries
 * and {@code [host]:port} names understood). A key not in the file is refused unless {@code acceptNew}, which
 * appends it (like OpenSSH's {@code StrictHostKeyChecking=accept-new}); a key that differs from the recorded
 * one is always refused, before any credential is sent.
 */
public record HostKeyPolicy(Path knownHosts, boolean acceptNew) {
    public HostKeyPolicy {
        Objects.requireNonNull(knownHosts, "knownHosts");
    }
}
