package dev.dynport.check.judge;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Named sets of watched ports: data, not code. Owners are service names (front- and back-end POP/IMAP run the
 * same image, so only the service name tells them apart) plus image names where the image is unambiguous.
 */
public enum Profile {
    EXCHANGE_POPIMAP("exchange-popimap", List.of(
            port(9933, "IMAP4 back-end", "MSExchangeIMAP4BE"),
            port(9955, "POP3 back-end", "MSExchangePOP3BE"),
            port(1993, "IMAP4 back-end", "MSExchangeIMAP4BE"),
            port(1995, "POP3 back-end", "MSExchangePOP3BE"))),
    EXCHANGE("exchange", List.of(
            port(9933, "IMAP4 back-end", "MSExchangeIMAP4BE"),
            port(9955, "POP3 back-end", "MSExchangePOP3BE"),
            port(1993, "IMAP4 back-end", "MSExchangeIMAP4BE"),
            port(1995, "POP3 back-end", "MSExchangePOP3BE"),
            port(9710, "Diagnostics", "MSExchangeServiceHost", "Microsoft.Exchange.ServiceHost.exe"),
            port(64327, "DAG log copier", "MSExchangeRepl", "msexchangerepl.exe"),
            port(64337, "HA web service", "MSExchangeRepl", "msexchangerepl.exe"))),
    NONE("none", List.of());

    private final String profileName;
    private final List<WatchedPort> ports;

    Profile(String profileName, List<WatchedPort> ports) {
        this.profileName = profileName;
        this.ports = ports;
    }

    private static WatchedPort port(int port, String label, String... owners) {
        return new WatchedPort(port, label, List.of(owners), WatchedPort.Origin.PROFILE);
    }

    public String profileName() {
        return profileName;
    }

    public List<WatchedPort> ports() {
        return ports;
    }

    public static Optional<Profile> byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.profileName.equals(n)).findFirst();
    }
}
