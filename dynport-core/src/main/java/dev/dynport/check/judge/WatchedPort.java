package dev.dynport.check.judge;

import java.util.List;
import java.util.Locale;

/**
 * A port that must stay bindable by its owners. An owner is a Windows service name or an image name, matched
 * case-insensitively; an empty owner list means any process is foreign.
 */
public record WatchedPort(int port, String label, List<String> owners, Origin origin) {

    /** Why the port is watched. */
    public enum Origin {
        PROFILE,
        USER,
        /** A profile's owner service was seen listening on it (a non-default ProxyTargetPort, say). */
        DISCOVERED
    }

    public WatchedPort {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range [" + port + "]");
        }
        owners = List.copyOf(owners);
    }

    public boolean isOwnedBy(String image, List<String> services) {
        for (String owner : owners) {
            String o = owner.toLowerCase(Locale.ROOT);
            if (image != null && image.toLowerCase(Locale.ROOT).equals(o)) {
                return true;
            }
            for (String s : services) {
                if (s.toLowerCase(Locale.ROOT).equals(o)) {
                    return true;
                }
            }
        }
        return false;
    }
}
