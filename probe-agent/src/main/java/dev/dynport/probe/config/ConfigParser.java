package dev.dynport.probe.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.dynport.check.judge.CheckOptions;
import dev.dynport.check.judge.Profile;
import dev.dynport.check.judge.WatchedPort;
import dev.dynport.check.model.State;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads and validates the agent config once, completely: every error is collected, each naming its JSON path
 * (RFC 6901 pointer) and the bad value in brackets, and all are reported together in one {@link ConfigException}
 * whose message has one error per line. Nothing is silently replaced by a default; unknown fields are errors
 * (a misspelt {@code expect_listening} must not pass as "not set").
 *
 * <pre>
 * {
 *   "agent_name": "noc-probe-1",                       required
 *   "max_concurrent_probes": 4,                        1..64
 *   "consecutive_samples": 2,                          1..100
 *   "renotify_interval": "4h",                         0s = never
 *   "heartbeat_interval": "5m",                        0s = never
 *   "defaults": { interval, jitter, timeout, profile, ports, exposed_state, expect_listening },
 *   "ops": { "enabled": true, "listen_address": "127.0.0.1", "port": 9465 },
 *   "targets": [ { "name", "type": "ssh"|"local"|"snapshot", per-type fields, and any "defaults" field } ],
 *   "spool": { ... }, "sinks": [ ... ]                 handed unread to the delivery pipeline
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
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private static final Set<String> ROOT_FIELDS = Set.of("agent_name", "max_concurrent_probes",
            "consecutive_samples", "renotify_interval", "heartbeat_interval", "defaults", "ops", "targets", "spool",
            "sinks");
    private static final Set<String> CHECK_FIELDS = Set.of("interval", "jitter", "timeout", "profile", "ports",
            "exposed_state", "expect_listening", "charset");
    private static final Set<String> OPS_FIELDS = Set.of("enabled", "listen_address", "port");
    private static final Set<String> PORT_FIELDS = Set.of("port", "label", "owners");
    private static final Map<String, Set<String>> TYPE_FIELDS = Map.of(
            "ssh", Set.of("hostname", "port", "user", "identity_file", "passphrase", "password", "known_hosts",
                    "accept_new_host_key"),
            "local", Set.of(),
            "snapshot", Set.of("file"));

    private final Map<String, String> env;
    private final Path home;
    private final List<String> errors = new ArrayList<>();

    private ConfigParser(Map<String, String> env, Path home) {
        this.env = env;
        this.home = home;
    }

    /**
     * @param env where {@code {"env": NAME}} secrets are looked up
     * @param home the service account's home, for the default {@code ~/.ssh/known_hosts}
     */
    public static AgentConfig parse(Path file, Map<String, String> env, Path home) throws ConfigException {
        return parse(readTree(file), env, home);
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

    public static AgentConfig parse(JsonNode root, Map<String, String> env, Path home) throws ConfigException {
        ConfigParser p = new ConfigParser(env, home);
        AgentConfig config = p.root(root);
        if (!p.errors.isEmpty()) {
            throw new ConfigException(String.join("\n", p.errors));
        }
        return config;
    }

    /** The errors of a multi-error {@link ConfigException}, one per element. */
    public static List<String> errors(ConfigException e) {
        return Arrays.asList(e.getMessage().split("\n"));
    }

    private AgentConfig root(JsonNode root) {
        if (root == null || !root.isObject()) {
            errors.add("/ must be a JSON object [" + shown(root) + "]");
            return null;
        }
        unknownFields(root, "", ROOT_FIELDS);
        String agentName = name(root.get("agent_name"), "/agent_name");
        if (root.get("agent_name") == null) {
            errors.add("/agent_name is required");
        }
        int maxConcurrent = integer(root, "", "max_concurrent_probes", 1, 64, DEFAULT_MAX_CONCURRENT_PROBES);
        int samples = integer(root, "", "consecutive_samples", 1, 100, DEFAULT_CONSECUTIVE_SAMPLES);
        Duration renotify = duration(root, "", "renotify_interval", DEFAULT_RENOTIFY_INTERVAL, true);
        Duration heartbeat = duration(root, "", "heartbeat_interval", DEFAULT_HEARTBEAT_INTERVAL, true);
        AgentConfig.Ops ops = ops(root.get("ops"));

        JsonNode defaults = root.get("defaults");
        CheckDefaults base = new CheckDefaults(DEFAULT_INTERVAL, DEFAULT_JITTER, DEFAULT_TIMEOUT,
                Profile.EXCHANGE_POPIMAP, List.of(), State.WARNING, false, DEFAULT_CHARSET);
        if (defaults != null) {
            if (!defaults.isObject()) {
                errors.add("/defaults must be a JSON object [" + shown(defaults) + "]");
            } else {
                unknownFields(defaults, "/defaults", CHECK_FIELDS);
                base = checkFields(defaults, "/defaults", base);
            }
        }

        List<TargetConfig> targets = new ArrayList<>();
        JsonNode list = root.get("targets");
        if (list == null) {
            errors.add("/targets is required");
        } else if (!list.isArray()) {
            errors.add("/targets must be a JSON array [" + shown(list) + "]");
        } else if (list.isEmpty()) {
            errors.add("/targets must list at least one target");
        } else {
            Map<String, String> names = new HashMap<>();
            for (int i = 0; i < list.size(); i++) {
                String path = "/targets/" + i;
                TargetConfig t = target(list.get(i), path, base);
                if (t != null) {
                    String earlier = names.putIfAbsent(t.name(), path);
                    if (earlier != null) {
                        errors.add(path + "/name repeats the name of " + earlier + " [" + t.name() + "]");
                    }
                    targets.add(t);
                }
            }
        }
        JsonNode spool = root.has("spool") ? root.get("spool") : MissingNode.getInstance();
        JsonNode sinks = root.has("sinks") ? root.get("sinks") : MissingNode.getInstance();
        if (!errors.isEmpty()) {
            return null;
        }
        return new AgentConfig(agentName, targets, maxConcurrent, samples, renotify, heartbeat, ops, spool, sinks);
    }

    private record CheckDefaults(Duration interval, Duration jitter, Duration timeout, Profile profile,
            List<WatchedPort> ports, State exposedState, boolean expectListening, Charset charset) {
    }

    private CheckDefaults checkFields(JsonNode node, String path, CheckDefaults base) {
        Duration interval = duration(node, path, "interval", base.interval(), false);
        Duration jitter = duration(node, path, "jitter", base.jitter(), true);
        Duration timeout = duration(node, path, "timeout", base.timeout(), false);
        if (interval != null && interval.compareTo(Duration.ofSeconds(1)) < 0) {
            errors.add(path + "/interval must be at least 1s [" + node.path("interval").asText() + "]");
            interval = null;
        }
        // Compare the effective values: a target's short interval must also fit the jitter from /defaults.
        Duration iv = interval == null ? base.interval() : interval;
        Duration jt = jitter == null ? base.jitter() : jitter;
        Duration to = timeout == null ? base.timeout() : timeout;
        if (interval != null && jitter != null && jt.compareTo(iv) >= 0 && (node.has("jitter") || node.has("interval"))) {
            String f = node.has("jitter") ? "jitter" : "interval";
            errors.add(path + "/" + f + " leaves a jitter (" + Durations.format(jt) + ") that is not shorter than"
                    + " the interval (" + Durations.format(iv) + ") [" + node.get(f).asText() + "]");
        }
        if (interval != null && timeout != null && to.compareTo(iv) > 0 && (node.has("timeout") || node.has("interval"))) {
            String f = node.has("timeout") ? "timeout" : "interval";
            errors.add(path + "/" + f + " leaves a timeout (" + Durations.format(to) + ") longer than the interval ("
                    + Durations.format(iv) + ") [" + node.get(f).asText() + "]");
        }
        Profile profile = base.profile();
        JsonNode p = node.get("profile");
        if (p != null) {
            profile = p.isTextual() ? Profile.byName(p.asText()).orElse(null) : null;
            if (profile == null) {
                errors.add(path + "/profile must be one of " + Arrays.stream(Profile.values())
                        .map(Profile::profileName).collect(Collectors.joining(", ")) + " [" + shown(p) + "]");
                profile = base.profile();
            }
        }
        State exposed = base.exposedState();
        JsonNode e = node.get("exposed_state");
        if (e != null) {
            String v = e.isTextual() ? e.asText() : "";
            if (v.equalsIgnoreCase("warning")) {
                exposed = State.WARNING;
            } else if (v.equalsIgnoreCase("critical")) {
                exposed = State.CRITICAL;
            } else {
                errors.add(path + "/exposed_state must be warning or critical [" + shown(e) + "]");
            }
        }
        boolean expect = bool(node, path, "expect_listening", base.expectListening());
        List<WatchedPort> ports = node.has("ports") ? ports(node.get("ports"), path + "/ports") : base.ports();
        Charset charset = base.charset();
        JsonNode c = node.get("charset");
        if (c != null) {
            charset = charset(c.isTextual() ? c.asText() : "");
            if (charset == null) {
                errors.add(path + "/charset is not a charset this Java runtime knows (e.g. IBM850, IBM437, 932, 936) ["
                        + shown(c) + "]");
                charset = base.charset();
            }
        }
        return new CheckDefaults(interval == null ? base.interval() : interval,
                jitter == null ? base.jitter() : jitter,
                timeout == null ? base.timeout() : timeout, profile, ports, exposed, expect, charset);
    }

    /** As the check's {@code --charset}: a Java charset name or a Windows code page number (850, 932, 65001). */
    static Charset charset(String name) {
        if (name.equals("65001")) {
            return StandardCharsets.UTF_8;
        }
        List<String> candidates = !name.isEmpty() && name.chars().allMatch(Character::isDigit)
                ? List.of("Cp" + name, "IBM" + name, "x-IBM" + name, "MS" + name, "x-mswin-" + name, "windows-" + name)
                : List.of(name);
        for (String candidate : candidates) {
            try {
                return Charset.forName(candidate);
            } catch (IllegalArgumentException notThisOne) {
                // try the next alias
            }
        }
        return null;
    }

    private List<WatchedPort> ports(JsonNode node, String path) {
        List<WatchedPort> ports = new ArrayList<>();
        if (!node.isArray()) {
            errors.add(path + " must be a JSON array of port numbers or {\"port\", \"label\", \"owners\"} objects ["
                    + shown(node) + "]");
            return ports;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode n = node.get(i);
            String p = path + "/" + i;
            if (n.isObject()) {
                unknownFields(n, p, PORT_FIELDS);
                if (!n.has("port")) {
                    errors.add(p + "/port is required");
                    continue;
                }
                Integer port = portNumber(n.get("port"), p + "/port", 1);
                String label = n.has("label") ? text(n.get("label"), p + "/label") : null;
                List<String> owners = new ArrayList<>();
                JsonNode o = n.get("owners");
                if (o != null) {
                    if (!o.isArray()) {
                        errors.add(p + "/owners must be a JSON array of service or image names [" + shown(o) + "]");
                    } else {
                        for (int k = 0; k < o.size(); k++) {
                            String owner = text(o.get(k), p + "/owners/" + k);
                            if (owner != null) {
                                owners.add(owner);
                            }
                        }
                    }
                }
                if (port != null) {
                    ports.add(new WatchedPort(port, label == null ? "port " + port : label, owners,
                            WatchedPort.Origin.USER));
                }
            } else {
                Integer port = portNumber(n, p, 1);
                if (port != null) {
                    ports.add(new WatchedPort(port, "port " + port, List.of(), WatchedPort.Origin.USER));
                }
            }
        }
        return ports;
    }

    private TargetConfig target(JsonNode node, String path, CheckDefaults base) {
        if (!node.isObject()) {
            errors.add(path + " must be a JSON object [" + shown(node) + "]");
            return null;
        }
        JsonNode typeNode = node.get("type");
        String type = typeNode != null && typeNode.isTextual() ? typeNode.asText() : null;
        if (typeNode == null) {
            errors.add(path + "/type is required (ssh, local or snapshot)");
        } else if (type == null || !TYPE_FIELDS.containsKey(type)) {
            errors.add(path + "/type must be one of ssh, local, snapshot [" + shown(typeNode) + "]");
            type = null;
        }
        Set<String> allowed = new java.util.HashSet<>(CHECK_FIELDS);
        allowed.add("name");
        allowed.add("type");
        if (type != null) {
            allowed.addAll(TYPE_FIELDS.get(type));
            unknownFields(node, path, allowed);
        }
        CheckDefaults c = checkFields(node, path, base);
        if (c.profile() == Profile.NONE && c.ports().isEmpty()) {
            errors.add(path + "/ports must list at least one port when the profile is none");
        }
        TargetAccess access = null;
        String defaultName = null;
        if ("ssh".equals(type)) {
            TargetAccess.Ssh ssh = ssh(node, path);
            access = ssh;
            defaultName = ssh == null ? null : ssh.hostname();
        } else if ("local".equals(type)) {
            access = new TargetAccess.Local();
            defaultName = "local";
        } else if ("snapshot".equals(type)) {
            TargetAccess.SnapshotFile s = snapshot(node, path);
            access = s;
            if (s != null) {
                String f = s.file().getFileName() == null ? "snapshot" : s.file().getFileName().toString();
                defaultName = f.contains(".") ? f.substring(0, f.lastIndexOf('.')) : f;
            }
        }
        String name = node.has("name") ? name(node.get("name"), path + "/name") : defaultName;
        if (access == null || name == null) {
            return null;
        }
        if (!NAME.matcher(name).matches()) {
            errors.add(path + " needs a \"name\": its default is not a valid name [" + name + "]");
            return null;
        }
        return new TargetConfig(name, access,
                new CheckOptions(c.profile(), c.ports(), c.exposedState(), c.expectListening()), c.charset(),
                c.interval(), c.jitter(), c.timeout());
    }

    private TargetAccess.Ssh ssh(JsonNode node, String path) {
        int before = errors.size();
        String hostname = requiredText(node, path, "hostname");
        Integer port = node.has("port") ? portNumber(node.get("port"), path + "/port", 1) : Integer.valueOf(22);
        String user = requiredText(node, path, "user");
        Path identity = node.has("identity_file") ? readableFile(node.get("identity_file"), path + "/identity_file")
                : null;
        SecretRef passphrase = secret(node, path, "passphrase");
        SecretRef password = secret(node, path, "password");
        if (!node.has("identity_file") && !node.has("password")) {
            errors.add(path + " needs identity_file or password for SSH authentication");
        }
        if (node.has("passphrase") && !node.has("identity_file")) {
            errors.add(path + "/passphrase is set but there is no identity_file to unlock");
        }
        boolean acceptNew = bool(node, path, "accept_new_host_key", false);
        Path knownHosts;
        if (node.has("known_hosts")) {
            knownHosts = path(node.get("known_hosts"), path + "/known_hosts");
        } else {
            knownHosts = home.resolve(".ssh").resolve("known_hosts");
        }
        if (knownHosts != null && !acceptNew && !Files.isReadable(knownHosts)) {
            errors.add(path + "/known_hosts cannot be read and accept_new_host_key is false, so no host key could"
                    + " ever be verified [" + knownHosts + "]");
        }
        if (errors.size() != before || port == null) {
            return null;
        }
        if (identity != null) {
            try {
                SshIdentities.load(identity, passphrase, path);
            } catch (ConfigException e) {
                errors.add(e.getMessage());
                return null;
            }
        }
        return new TargetAccess.Ssh(hostname, port, user, identity, passphrase, password, knownHosts, acceptNew);
    }

    private TargetAccess.SnapshotFile snapshot(JsonNode node, String path) {
        // The file itself may be missing at start (pushed later): that is a probe failure, not a config error.
        if (!node.has("file")) {
            errors.add(path + "/file is required for a snapshot target");
            return null;
        }
        Path file = path(node.get("file"), path + "/file");
        return file == null ? null : new TargetAccess.SnapshotFile(file);
    }

    private AgentConfig.Ops ops(JsonNode node) {
        if (node == null) {
            return new AgentConfig.Ops(true, DEFAULT_LISTEN_ADDRESS, DEFAULT_OPS_PORT);
        }
        if (!node.isObject()) {
            errors.add("/ops must be a JSON object [" + shown(node) + "]");
            return null;
        }
        unknownFields(node, "/ops", OPS_FIELDS);
        boolean enabled = bool(node, "/ops", "enabled", true);
        String address = DEFAULT_LISTEN_ADDRESS;
        JsonNode a = node.get("listen_address");
        if (a != null) {
            String v = a.isTextual() ? a.asText() : "";
            if (IPV4.matcher(v).matches() && Arrays.stream(v.split("\\.")).allMatch(s -> Integer.parseInt(s) <= 255)
                    || v.contains(":") && v.matches("[0-9A-Fa-f:.]+")) {
                address = v;
            } else {
                errors.add("/ops/listen_address must be an IP address such as 127.0.0.1 or ::1 [" + shown(a) + "]");
            }
        }
        int port = DEFAULT_OPS_PORT;
        if (node.has("port")) {
            Integer p = portNumber(node.get("port"), "/ops/port", 0);
            port = p == null ? DEFAULT_OPS_PORT : p;
        }
        return new AgentConfig.Ops(enabled, address, port);
    }

    // ---- field readers: each adds its error and returns null (or the default) so parsing goes on ----

    private void unknownFields(JsonNode node, String path, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                errors.add(path + "/" + f + " is not a known field here [" + f + "]");
            }
        }
    }

    private String name(JsonNode node, String path) {
        if (node == null) {
            return null;
        }
        if (!node.isTextual() || !NAME.matcher(node.asText()).matches()) {
            errors.add(path + " must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit ["
                    + shown(node) + "]");
            return null;
        }
        return node.asText();
    }

    private String text(JsonNode node, String path) {
        if (!node.isTextual() || node.asText().isBlank()) {
            errors.add(path + " must be a non-empty string [" + shown(node) + "]");
            return null;
        }
        return node.asText();
    }

    private String requiredText(JsonNode parent, String path, String field) {
        JsonNode n = parent.get(field);
        if (n == null) {
            errors.add(path + "/" + field + " is required");
            return null;
        }
        return text(n, path + "/" + field);
    }

    private Path path(JsonNode node, String path) {
        String v = text(node, path);
        if (v == null) {
            return null;
        }
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            errors.add(path + " is not a valid file path [" + v + "]");
            return null;
        }
    }

    private Path readableFile(JsonNode node, String path) {
        Path p = path(node, path);
        if (p != null && !(Files.isRegularFile(p) && Files.isReadable(p))) {
            errors.add(path + " cannot be read [" + p + "]");
            return null;
        }
        return p;
    }

    private SecretRef secret(JsonNode parent, String path, String field) {
        JsonNode n = parent.get(field);
        if (n == null) {
            return null;
        }
        try {
            return SecretRef.resolve(n, path + "/" + field, env);
        } catch (ConfigException e) {
            errors.add(e.getMessage());
            return null;
        }
    }

    private Integer portNumber(JsonNode node, String path, int min) {
        if (!node.isIntegralNumber() || node.asLong() < min || node.asLong() > 65535) {
            errors.add(path + " must be a port number from " + min + " to 65535 [" + json(node) + "]");
            return null;
        }
        return node.asInt();
    }

    private int integer(JsonNode parent, String path, String field, int min, int max, int dflt) {
        JsonNode n = parent.get(field);
        if (n == null) {
            return dflt;
        }
        if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
            errors.add(path + "/" + field + " must be a whole number from " + min + " to " + max + " [" + json(n)
                    + "]");
            return dflt;
        }
        return n.asInt();
    }

    private boolean bool(JsonNode parent, String path, String field, boolean dflt) {
        JsonNode n = parent.get(field);
        if (n == null) {
            return dflt;
        }
        if (!n.isBoolean()) {
            errors.add(path + "/" + field + " must be true or false [" + json(n) + "]");
            return dflt;
        }
        return n.asBoolean();
    }

    /** Returns null after an error, so that dependent checks (jitter below interval) are skipped. */
    private Duration duration(JsonNode parent, String path, String field, Duration dflt, boolean zeroAllowed) {
        JsonNode n = parent.get(field);
        if (n == null) {
            return dflt;
        }
        Duration d = n.isTextual() ? Durations.parse(n.asText()).orElse(null) : null;
        if (d == null) {
            errors.add(path + "/" + field + " must be a duration like 60s or 5m [" + shown(n) + "]");
            return null;
        }
        if (d.isZero() && !zeroAllowed) {
            errors.add(path + "/" + field + " must be longer than 0s [" + n.asText() + "]");
            return null;
        }
        return d;
    }

    /** A value where a number or boolean belongs, in JSON form, so that {@code "2"} shows as a string. */
    private static String json(JsonNode node) {
        return node.isValueNode() ? node.toString() : shown(node);
    }

    /** A value as the user wrote it, for the brackets; objects and arrays are shortened, never dumped. */
    private static String shown(JsonNode node) {
        if (node == null) {
            return "nothing";
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        return node.toString();
    }
}
