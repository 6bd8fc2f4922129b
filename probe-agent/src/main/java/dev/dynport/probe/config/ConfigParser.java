package dev.dynport.probe.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.dynport.check.judge.Profile;
import dev.dynport.check.judge.UsageThresholds;
import dev.dynport.check.model.State;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates the agent config once, completely: every error is collected, each naming its JSON path
 * (RFC 6901 pointer) and the bad value in brackets, and all are reported together in one {@link ConfigException}
 * whose message has one error per line. Nothing is silently replaced by a default; unknown fields are errors
 * (a misspelt {@code expect_listening} must not pass as "not set"). The typed field readers live in
 * {@code FieldReader}, the check settings in {@code CheckDefaults}, the targets in {@code TargetParser}.
 *
 * <pre>
 * {
 *   "agent_name": "noc-probe-1",                       required
 *   "max_concurrent_probes": 4,                        1..64
 *   "consecutive_samples": 2,                          1..100
 *   "renotify_interval": "4h",                         0s = never
 *   "heartbeat_interval": "5m",                        0s = never
 *   "defaults": { interval, jitter, timeout, profile, ports, exposed_state, expect_listening },
 *   "ops": { "enabled": true, "listen_address": "127.0.0.1", "port": 9465,
 *            "bearer_token": {"env": NAME} | {"file": PATH} },   required unless listen_address is loopback
 *   "targets": [ { "name", "type": "ssh"|"local"|"snapshot", per-type fields, and any "defaults" field } ],
 *   "spool": { ... }, "sinks": [ ... ]                 read by the delivery side's DeliverySettings.Reader
 * }
 * </pre>
 */
public final class ConfigParser {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
    public static final Duration DEFAULT_JITTER = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONCURRENT_PROBES = 4;
    public static final int DEFAULT_CONSECUTIVE_SAMPLES = 2;
    public static final Duration DEFAULT_RENOTIFY_INTERVAL = Duration.ofHours(4);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofMinutes(5);
    public static final String DEFAULT_LISTEN_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_OPS_PORT = 9465;
    /** The OEM code page output is decoded in when it is not UTF-8 (the check's default, see its SnapshotReader). */
    public static final Charset DEFAULT_CHARSET = Charset.forName("IBM850");

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private static final Set<String> ROOT_FIELDS = Set.of("agent_name", "max_concurrent_probes",
            "consecutive_samples", "renotify_interval", "heartbeat_interval", "defaults", "ops", "targets", "spool",
            "sinks");
    private static final Set<String> OPS_FIELDS = Set.of("enabled", "listen_address", "port", "bearer_token");
    /** RFC 6750 b64token, long enough not to be guessed over the network (e.g. {@code openssl rand -hex 32}). */
    private static final Pattern BEARER_TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]{16,}=*");

    private final FieldReader fields;
    private final TargetParser targetParser;

    private ConfigParser(Map<String, String> env, Path home, String osName) {
        this.fields = new FieldReader(env);
        this.targetParser = new TargetParser(fields, home, osName);
    }

    /**
     * @param env where {@code {"env": NAME}} secrets are looked up
     * @param home the service account's home, for the default {@code ~/.ssh/known_hosts}
     */
    public static AgentConfig parse(Path file, Map<String, String> env, Path home, DeliverySettings.Reader delivery)
            throws ConfigException {
        return parse(readTree(file), env, home, delivery);
    }

    /** Reads the file as JSON; fails with one error naming the file (and line and column for bad JSON). */
    public static JsonNode readTree(Path file) throws ConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file does not exist [" + file + "]");
        } catch (IOException e) {
            throw new ConfigException("config file cannot be read [" + file + "]: " + e.getClass().getSimpleName());
        }
        return readTree(new String(bytes, StandardCharsets.UTF_8), file.toString());
    }

    public static JsonNode readTree(String json, String origin) throws ConfigException {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            // Only the location: the original message quotes the text, which may hold a secret by mistake.
            var loc = e.getLocation();
            throw new ConfigException("config is not valid JSON [" + origin
                    + (loc != null ? " line " + loc.getLineNr() + " column " + loc.getColumnNr() : "") + "]");
        }
    }

    /** @param delivery reads the {@code spool} and {@code sinks} sections with the same field reader */
    public static AgentConfig parse(JsonNode root, Map<String, String> env, Path home,
            DeliverySettings.Reader delivery) throws ConfigException {
        return parse(root, env, home, delivery, System.getProperty("os.name", ""));
    }

    /**
     * @param osName the agent host's {@code os.name}: a {@code local} target on Linux reads the Linux kernel's
     *     facts and is validated as a Linux target (no Exchange profile)
     */
    public static AgentConfig parse(JsonNode root, Map<String, String> env, Path home,
            DeliverySettings.Reader delivery, String osName) throws ConfigException {
        ConfigParser p = new ConfigParser(env, home, osName);
        AgentConfig config = p.root(root, delivery);
        if (p.fields.hasErrors()) {
            throw new ConfigException(String.join("\n", p.fields.errors()));
        }
        return config;
    }

    /** The errors of a multi-error {@link ConfigException}, one per element. */
    public static List<String> errors(ConfigException e) {
        return Arrays.asList(e.getMessage().split("\n"));
    }

    private AgentConfig root(JsonNode root, DeliverySettings.Reader deliveryReader) {
        if (root == null || !root.isObject()) {
            fields.error("/ must be a JSON object [" + FieldReader.shown(root) + "]");
            return null;
        }
        fields.unknownFields(root, "", ROOT_FIELDS);
        String agentName = fields.name(root.get("agent_name"), "/agent_name");
        if (root.get("agent_name") == null) {
            fields.error("/agent_name is required");
        }
        int maxConcurrent = fields.integer(root, "", "max_concurrent_probes", 1, 64, DEFAULT_MAX_CONCURRENT_PROBES);
        int samples = fields.integer(root, "", "consecutive_samples", 1, 100, DEFAULT_CONSECUTIVE_SAMPLES);
        Duration renotify = fields.duration(root, "", "renotify_interval", DEFAULT_RENOTIFY_INTERVAL, true);
        Duration heartbeat = fields.duration(root, "", "heartbeat_interval", DEFAULT_HEARTBEAT_INTERVAL, true);
        AgentConfig.Ops ops = ops(root.get("ops"));

        JsonNode defaults = root.get("defaults");
        CheckDefaults base = new CheckDefaults(DEFAULT_INTERVAL, DEFAULT_JITTER, DEFAULT_TIMEOUT,
                Profile.EXCHANGE_POPIMAP, List.of(), State.WARNING, false, DEFAULT_CHARSET, Map.of(), false,
                UsageThresholds.NONE);
        if (defaults != null) {
            if (!defaults.isObject()) {
                fields.error("/defaults must be a JSON object [" + FieldReader.shown(defaults) + "]");
            } else {
                fields.unknownFields(defaults, "/defaults", CheckDefaults.FIELDS);
                base = CheckDefaults.read(fields, defaults, "/defaults", base);
            }
        }

        List<TargetConfig> targets = new ArrayList<>();
        JsonNode list = root.get("targets");
        if (list == null) {
            fields.error("/targets is required");
        } else if (!list.isArray()) {
            fields.error("/targets must be a JSON array [" + FieldReader.shown(list) + "]");
        } else if (list.isEmpty()) {
            fields.error("/targets must list at least one target");
        } else {
            Map<String, String> names = new HashMap<>();
            for (int i = 0; i < list.size(); i++) {
                String path = "/targets/" + i;
                TargetConfig t = targetParser.target(list.get(i), path, base);
                if (t != null) {
                    String earlier = names.putIfAbsent(t.name(), path);
                    if (earlier != null) {
                        fields.error(path + "/name repeats the name of " + earlier + " [" + t.name() + "]");
                    }
                    targets.add(t);
                }
            }
        }
        JsonNode spool = root.has("spool") ? root.get("spool") : MissingNode.getInstance();
        JsonNode sinks = root.has("sinks") ? root.get("sinks") : MissingNode.getInstance();
        DeliverySettings delivery = deliveryReader.read(fields, spool, sinks);
        if (fields.hasErrors()) {
            return null;
        }
        return new AgentConfig(agentName, targets, maxConcurrent, samples, renotify, heartbeat, ops, delivery);
    }

    private AgentConfig.Ops ops(JsonNode node) {
        if (node == null) {
            return new AgentConfig.Ops(true, DEFAULT_LISTEN_ADDRESS, DEFAULT_OPS_PORT, null);
        }
        if (!node.isObject()) {
            fields.error("/ops must be a JSON object [" + FieldReader.shown(node) + "]");
            return null;
        }
        fields.unknownFields(node, "/ops", OPS_FIELDS);
        boolean enabled = fields.bool(node, "/ops", "enabled", true);
        String address = DEFAULT_LISTEN_ADDRESS;
        InetAddress bound = InetAddress.getLoopbackAddress();
        JsonNode a = node.get("listen_address");
        if (a != null) {
            bound = ipLiteral(a);
            if (bound == null) {
                fields.error("/ops/listen_address must be an IP address such as 127.0.0.1 or ::1 ["
                        + FieldReader.shown(a) + "]");
            } else {
                address = a.asText();
            }
        }
        int port = DEFAULT_OPS_PORT;
        if (node.has("port")) {
            Integer p = fields.portNumber(node.get("port"), "/ops/port", 0);
            port = p == null ? DEFAULT_OPS_PORT : p;
        }
        int before = fields.errorCount();
        SecretRef token = fields.secret(node, "/ops", "bearer_token");
        if (token != null && !BEARER_TOKEN.matcher(CharBuffer.wrap(token.value())).matches()) {
            // The value is a secret: the message says what is wrong with it, never what it is.
            fields.error("/ops/bearer_token must be at least 16 characters of A-Z a-z 0-9 - . _ ~ + / [" + token
                    + "]");
            token = null;
        }
        // What /metrics shows tells an attacker which Exchange back-end ports are open to attack.
        if (enabled && bound != null && !bound.isLoopbackAddress() && token == null
                && fields.errorCount() == before) {
            fields.error("/ops/listen_address is not a loopback address and needs /ops/bearer_token ["
                    + address + "]");
        }
        return new AgentConfig.Ops(enabled, address, port, token);
    }

    /** The address of an IP literal, or null; never a name lookup. */
    private static InetAddress ipLiteral(JsonNode a) {
        String v = a.isTextual() ? a.asText() : "";
        boolean v4 = IPV4.matcher(v).matches() && Arrays.stream(v.split("\\.")).allMatch(s -> Integer.parseInt(s) <= 255);
        boolean v6 = v.contains(":") && v.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(v); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
