package dev.dynport.check.model;

import java.util.List;

/** The TCP rows of {@code netstat -ano}; UDP rows are not kept. */
public record NetstatTable(List<TcpEndpoint> endpoints) {
    public NetstatTable {
        endpoints = List.copyOf(endpoints);
    }

    public List<TcpEndpoint> onLocalPort(int port, Family family) {
        return endpoints.stream().filter(e -> e.localPort() == port && e.family() == family).toList();
    }
}
