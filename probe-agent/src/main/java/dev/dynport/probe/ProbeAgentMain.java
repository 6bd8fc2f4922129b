package dev.dynport.probe;

import dev.dynport.check.util.Version;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dynport.probe.config.AgentConfig;
import dev.dynport.probe.config.ConfigException;
import dev.dynport.probe.config.ConfigParser;
import dev.dynport.probe.config.DeliverySettings;
import dev.dynport.probe.config.FieldReader;
import dev.dynport.probe.config.TargetConfig;
import dev.dynport.check.model.State;
import dev.dynport.probe.schedule.DefaultSourceFactory;
import dev.dynport.probe.sink.DeliveryPipeline;
import dev.dynport.probe.sink.PipelineSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * {@code dynport-probe --config FILE [--validate-config] [--once]}, {@code -V}, {@code -h}. Only {@link #main} exits; {@link #run} returns
 * the exit code: 0 done, 1 runtime failure of the agent itself (e.g. the ops port is taken, the spool cannot be
 * opened), 2 only with {@code --once}: the round ran but at least one target could not be probed (a cron job must
 * see that; it is not the agent failing, so it is not 1), 3 bad arguments or configuration (each error one line on
 * stderr, naming the JSON path and the bad value).
 */
public final class ProbeAgentMain {
    static {
        // Before the first Logger exists (static initializers run in text order): see AgentLogManager.
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", AgentLogManager.class.getName());
        }
    }

    private static final Logger LOG = Logger.getLogger(ProbeAgentMain.class.getName());
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_PROBE_FAILED = 2;
    static final int EXIT_USAGE = 3;

    /**
     * The durable spool and sinks ({@link DeliveryPipeline}), read with the rest of the config and started by the
     * service. A config with neither {@code spool} nor {@code sinks} only logs events (and says so at start).
     */
    static final DeliveryFactory DELIVERY = new DeliveryFactory() {
        private static final DeliverySettings LOG_ONLY = () -> "spool: (none)\nsinks: (none)";

        @Override
        public DeliverySettings read(FieldReader fields, JsonNode spool, JsonNode sinks) {
            return spool.isMissingNode() && sinks.isMissingNode() ? LOG_ONLY
                    : PipelineSettings.read(fields, spool, sinks);
        }

        @Override
        public Delivery open(DeliverySettings settings, Clock clock) throws IOException {
            if (!(settings instanceof PipelineSettings pipeline)) {
                LOG.warning("no \"sinks\" and no \"spool\" configured: events are only written to the log");
                return Delivery.of(e -> { }, List::of, () -> { }, () -> { });
            }
            DeliveryPipeline p = DeliveryPipeline.open(pipeline, clock);
            return Delivery.of(p, p, p::start, p, p::healthProblem);
        }
    };

    static ProbeAgentService.Wiring defaultWiring() {
        return new ProbeAgentService.Wiring(DELIVERY, new DefaultSourceFactory(System.getProperty("os.name")),
                Clock.systemUTC(), RandomGenerator.getDefault());
    }

    private ProbeAgentMain() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err, System.getenv(), defaultWiring());
        System.exit(code);
    }

    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env,
            ProbeAgentService.Wiring wiring) {
        Arguments a;
        try {
            a = Arguments.parse(args);
        } catch (Arguments.UsageException e) {
            err.println("dynport-probe: " + e.getMessage() + " (see --help)");
            return EXIT_USAGE;
        }
        if (a.help()) {
            out.print(Arguments.usage());
            return EXIT_OK;
        }
        if (a.version()) {
            out.println("dynport-probe " + version());
            return EXIT_OK;
        }
        AgentConfig config;
        try {
            config = loadConfig(a.config(), env, wiring.delivery());
        } catch (ConfigException e) {
            for (String line : ConfigParser.errors(e)) {
                err.println("dynport-probe: " + line);
            }
            return EXIT_USAGE;
        }
        if (a.validateOnly()) {
            out.println("config OK");
            out.println(config.describe());
            return EXIT_OK;
        }
        Runnable restoreLogging = LogSetup.install(err);
        try {
            return a.once() ? once(config, env, wiring) : service(config, env, wiring, err);
        } catch (ConfigException e) {
            for (String line : ConfigParser.errors(e)) {
                err.println("dynport-probe: " + line);
            }
            return EXIT_USAGE;
        } catch (IOException e) {
            // Expected kinds of failure (spool directory not writable, ...): one line, no trace.
            err.println("dynport-probe: " + e);
            return EXIT_FAILURE;
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "dynport-probe failed", e);
            err.println("dynport-probe: " + e);
            return EXIT_FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_FAILURE;
        } finally {
            restoreLogging.run();
        }
    }

    /**
     * Validates the whole config: the agent part and the delivery part, all errors together.
     *
     * @throws ConfigException with one error per line
     */
    static AgentConfig loadConfig(Path file, Map<String, String> env, DeliveryFactory delivery)
            throws ConfigException {
        return ConfigParser.parse(file, env, home(env), delivery);
    }

    /** The project version, filtered into {@code version.properties} at build time. */
    static String version() {
        return Version.current();
    }

    private static Path home(Map<String, String> env) {
        String h = env.getOrDefault("HOME", env.get("USERPROFILE"));
        return Path.of(h != null ? h : System.getProperty("user.home"));
    }

    private static int once(AgentConfig config, Map<String, String> env, ProbeAgentService.Wiring wiring)
            throws ConfigException, IOException {
        List<String> failed;
        try (ProbeAgentService service = ProbeAgentService.open(config, wiring, env, true)) {
            service.runOnce();
            failed = notProbed(config, service.model().probeStates());
        }
        if (failed.isEmpty()) {
            return EXIT_OK;
        }
        // After close: the events are flushed, so this line is the last thing a cron mail shows.
        LOG.warning(failed.size() + " of " + config.targets().size() + " targets could not be probed: "
                + names(failed));
        return EXIT_PROBE_FAILED;
    }

    /**
     * Targets whose probe did not work in a {@code --once} round. A single sample confirms (see {@link #once}), so a
     * target is fine only when its probe state is OK; a target with no state at all was never reported and counts as
     * failed rather than passing silently.
     */
    static List<String> notProbed(AgentConfig config, Map<String, State> probeStates) {
        return config.targets().stream().map(TargetConfig::name)
                .filter(n -> probeStates.get(n) != State.OK).toList();
    }

    /** At most 10 names, so 1,000 unreachable targets stay one readable line. */
    private static String names(List<String> names) {
        int shown = Math.min(10, names.size());
        String head = String.join(", ", names.subList(0, shown));
        return "[" + head + (shown < names.size() ? ", ... " + (names.size() - shown) + " more" : "") + "]";
    }

    private static int service(AgentConfig config, Map<String, String> env, ProbeAgentService.Wiring wiring,
            PrintStream err) throws ConfigException, IOException, InterruptedException {
        LOG.info("starting dynport-probe " + config.agentName());
        config.describe().lines().forEach(l -> LOG.info("config " + l));
        ProbeAgentService service = ProbeAgentService.open(config, wiring, env, false);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                LOG.info("stop requested; draining");
                service.close();
                LOG.info("stopped");
            } finally {
                stopped.countDown();
            }
        }, "dynport-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            service.start();
        } catch (IOException | RuntimeException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            service.close();
            LOG.log(Level.SEVERE, "cannot start: " + e);
            err.println("dynport-probe: cannot start: " + e.getMessage());
            return EXIT_FAILURE;
        }
        stopped.await();
        return EXIT_OK;
    }
}
