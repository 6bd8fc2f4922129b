package dev.dynport.check.acquire;

import java.util.Objects;

/** Where to connect and as whom. Not a secret; appears in messages as {@code [user@host:port]}. */
public record SshTarget(String host, int port, String user) {
    public SshTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range [" + port + "]");
        }
    }

    /** The snapshot origin: {@code ssh://user@host:port}. */
    public String origin() {
        return "ssh://" + user + "@" + hostForUri() + ":" + port;
    }

    /** The name OpenSSH and JSch look up in known_hosts: {@code host}, or {@code [host]:port} off port 22. */
    public String knownHostsName() {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    @Override
    public String toString() {
        return user + "@" + hostForUri() + ":" + port;
    }

    private String hostForUri() {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }
}
