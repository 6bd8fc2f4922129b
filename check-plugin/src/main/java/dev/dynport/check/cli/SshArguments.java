package dev.dynport.check.cli;

import dev.dynport.check.acquire.SnapshotSource;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** PLACEHOLDER until the SSH transport branch lands: -H is refused with a clear message. */
final class SshArguments {
    private SshArguments() {
    }

    static void addOptions(Options options) {
        options.addOption(Option.builder("H").longOpt("hostname").hasArg().argName("HOST").desc("SSH host").build());
    }

    static Optional<SnapshotSource> fromCommandLine(CommandLine cl, Map<String, String> env, Charset oem) throws UsageException {
        if (cl.hasOption("hostname")) {
            throw new UsageException("-H [" + cl.getOptionValue("hostname") + "]: this build has no SSH transport");
        }
        return Optional.empty();
    }
}
