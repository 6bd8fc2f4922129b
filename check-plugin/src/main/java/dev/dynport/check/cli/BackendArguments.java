package dev.dynport.check.cli;

import dev.dynport.check.model.BackendSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code --pop3-backend-port}, {@code --imap4-backend-port}: the back-ends' ProxyTargetPort as the admin knows
 * it, for hosts whose capture cannot read the settings; and {@code --watch-unused}.
 */
final class BackendArguments {
    static final String POP3 = "pop3-backend-port";
    static final String IMAP4 = "imap4-backend-port";
    static final String WATCH_UNUSED = "watch-unused";

    private BackendArguments() {
    }

    static void addOptions(Options o) {
        o.addOption(Option.builder().longOpt(POP3).hasArg().argName("PORT")
                .desc("the POP3 back-end's ProxyTargetPort (Get-PopSettings), e.g. 1995; its other profile port"
                        + " is then not in use").build());
        o.addOption(Option.builder().longOpt(IMAP4).hasArg().argName("PORT")
                .desc("the IMAP4 back-end's ProxyTargetPort (Get-ImapSettings), e.g. 1993").build());
        o.addOption(Option.builder().longOpt(WATCH_UNUSED)
                .desc("judge profile ports even where the evidence shows this host does not use them").build());
    }

    static Map<String, Integer> backendPorts(CommandLine cl) throws UsageException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        put(cl, POP3, BackendSettings.POP3_BACKEND, ports);
        put(cl, IMAP4, BackendSettings.IMAP4_BACKEND, ports);
        return ports;
    }

    private static void put(CommandLine cl, String option, String service, Map<String, Integer> ports)
            throws UsageException {
        if (!cl.hasOption(option)) {
            return;
        }
        String value = cl.getOptionValue(option);
        int port = Arguments.number(value, 65535);
        if (port < 1) {
            throw new UsageException("--" + option + " [" + Arguments.printable(value)
                    + "] must be a port number from 1 to 65535");
        }
        ports.put(service, port);
    }
}
