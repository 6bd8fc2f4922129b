package dev.dynport.check.judge;

import dev.dynport.check.model.Family;
import java.util.List;

/** A process seen with a local endpoint on a watched port. {@code image} is "?" when tasklist lacks the PID. */
public record Holder(
        int pid,
        String image,
        List<String> services,
        Family family,
        String localAddress,
        String tcpState,
        boolean owner) {
    public Holder {
        services = List.copyOf(services);
    }
}
