package dev.dynport.check.model;

import java.util.Map;
import java.util.Optional;

/**
 * The POP3/IMAP4 back-ends' configured ports ({@code Get-PopSettings}/{@code Get-ImapSettings} →
 * {@code ProxyTargetPort}), keyed by the back-end service name, e.g. {@code MSExchangePOP3BE → 1995}. A service
 * is absent when its settings were not read.
 */
public record BackendSettings(Map<String, Integer> proxyTargetPorts) {
    public static final String POP3_BACKEND = "MSExchangePOP3BE";
    public static final String IMAP4_BACKEND = "MSExchangeIMAP4BE";
    public static final BackendSettings NONE = new BackendSettings(Map.of());

    public BackendSettings {
        proxyTargetPorts = Map.copyOf(proxyTargetPorts);
        for (Map.Entry<String, Integer> e : proxyTargetPorts.entrySet()) {
            if (e.getValue() < 1 || e.getValue() > 65535) {
                throw new IllegalArgumentException("ProxyTargetPort out of range [" + e.getValue() + "] for " + e.getKey());
            }
        }
    }

    public Optional<Integer> proxyTargetPort(String backendService) {
        return Optional.ofNullable(proxyTargetPorts.get(backendService));
    }
}
