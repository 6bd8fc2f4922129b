package dev.dynport.check.model;

/**
 * One TCP row of {@code netstat -ano}: the local end of a socket and its owner. {@code stateWord} is the word
 * as printed (possibly translated or mis-decoded); {@code state} is its meaning where known.
 */
public record TcpEndpoint(
        Family family,
        String localAddress,
        int localPort,
        String foreignAddress,
        int foreignPort,
        String stateWord,
        TcpState state,
        int pid) {

    /**
     * The owner is not known: Linux {@code ss -p} names no process for a socket of another user when not run as
     * root, and {@code /proc/net/tcp} names none at all. Never an owner, never "nobody": the rules report such a
     * holder as UNKNOWN. Windows always prints a PID.
     */
    public static final int UNKNOWN_PID = -1;

    /**
     * What netstat can print for a TCP socket. The parser refuses anything else with the line, so this only
     * guards the judge, which turns listening local ports into watched ports, from a value no host reports.
     */
    public TcpEndpoint {
        if (family == null || localAddress == null || foreignAddress == null || stateWord == null || state == null) {
            throw new IllegalArgumentException("endpoint field missing");
        }
        if (localPort < 1 || localPort > 65535 || foreignPort < 0 || foreignPort > 65535 || pid < UNKNOWN_PID) {
            throw new IllegalArgumentException("impossible endpoint [local port " + localPort + ", foreign port "
                    + foreignPort + ", PID " + pid + "]");
        }
    }

    /** A listener: state LISTENING, or a wildcard foreign end, which only listeners have, whatever the word says. */
    public boolean isListener() {
        return state == TcpState.LISTENING
                || (foreignPort == 0 && ("0.0.0.0".equals(foreignAddress) || "::".equals(foreignAddress)));
    }

    /**
     * PID 0 is what netstat prints for TIME_WAIT sockets: the port was just handed out and released. The Linux
     * parsers give 0 to sockets no process holds (TIME-WAIT, inode 0 in {@code /proc/net/tcp}).
     */
    public boolean isOwnerless() {
        return pid == 0;
    }

    public boolean ownerUnknown() {
        return pid == UNKNOWN_PID;
    }
}
