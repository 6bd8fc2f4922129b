package dev.dynport.probe.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dynport.check.judge.CheckOptions;
import dev.dynport.check.judge.Profile;
import dev.dynport.check.model.Platform;
import dev.dynport.check.judge.Freshness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.time.Duration;

/**
 * One element of {@code /targets}: its {@code name} and {@code type}, the per-type access fields (SSH host, user,
 * key, known hosts; snapshot file) and any check field overriding {@code /defaults}. Errors go to the
 * {@link FieldReader}; a target with an error comes back as null.
 */
final class TargetParser {
    private static final Map<String, Set<String>> TYPE_FIELDS = Map.of(
            "ssh", Set.of("hostname", "port", "user", "identity_file", "passphrase", "password", "known_hosts",
                    "accept_new_host_key", "platform"),
            "local", Set.of(),
            "snapshot", Set.of("file", "max_age", "expect_host"));


    private final FieldReader fields;
    private final Path home;
    private final boolean linuxHost;

    /**
     * @param home the service account's home, for the default {@code ~/.ssh/known_hosts}
     * @param osName the agent host's {@code os.name}: a {@code local} target there is a Linux target on Linux
     */
    TargetParser(FieldReader fields, Path home, String osName) {
        this.fields = fields;
        this.home = home;
        this.linuxHost = TargetAccess.linuxHost(osName);
    }

    TargetConfig target(JsonNode node, String path, CheckDefaults base) {
        if (!node.isObject()) {
            fields.error(path + " must be a JSON object [" + FieldReader.shown(node) + "]");
            return null;
        }
        JsonNode typeNode = node.get("type");
        String type = typeNode != null && typeNode.isTextual() ? typeNode.asText() : null;
        if (typeNode == null) {
            fields.error(path + "/type is required (ssh, local or snapshot)");
        } else if (type == null || !TYPE_FIELDS.containsKey(type)) {
            fields.error(path + "/type must be one of ssh, local, snapshot [" + FieldReader.shown(typeNode) + "]");
            type = null;
        }
        Set<String> allowed = new HashSet<>(CheckDefaults.FIELDS);
        allowed.add("name");
        allowed.add("type");
        if (type != null) {
            allowed.addAll(TYPE_FIELDS.get(type));
            fields.unknownFields(node, path, allowed);
        }
        int beforeCheckFields = fields.errorCount();
        CheckDefaults c = CheckDefaults.read(fields, node, path, base);
        // A refused port or threshold is left out of the options: "nothing to watch" would then blame the user
        // twice for one mistake.
        boolean checkFieldsValid = fields.errorCount() == beforeCheckFields;
        Platform platform = "ssh".equals(type) ? platform(node, path)
                : "local".equals(type) && linuxHost ? Platform.LINUX : Platform.WINDOWS;
        CheckOptions options = c.options();
        if (platform == Platform.LINUX) {
            options = linuxOptions(node, path, options, checkFieldsValid);
        } else if (options.watchesNothing() && checkFieldsValid) {
            fields.error(path + "/ports must list at least one port when the profile is none (or give usage_warning"
                    + " or usage_critical for the dynamic port usage)");
        }
        TargetAccess access = null;
        String defaultName = null;
        if ("ssh".equals(type)) {
            TargetAccess.Ssh ssh = ssh(node, path, platform);
            access = ssh;
            defaultName = ssh == null ? null : ssh.hostname();
        } else if ("local".equals(type)) {
            access = new TargetAccess.Local();
            defaultName = "local";
        } else if ("snapshot".equals(type)) {
            TargetAccess.SnapshotFile s = snapshot(node, path);
            access = s;
            if (s != null) {
                String file = s.file().getFileName() == null ? "snapshot" : s.file().getFileName().toString();
                defaultName = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
            }
        }
        String name = node.has("name") ? fields.name(node.get("name"), path + "/name") : defaultName;
        if (access == null || name == null) {
            return null;
        }
        if (!FieldReader.NAME.matcher(name).matches()) {
            fields.error(path + " needs a \"name\": its default is not a valid name [" + name + "]");
            return null;
        }
        return new TargetConfig(name, access,
                options, c.charset(),
                c.interval(), c.jitter(), c.timeout());
    }

    /** {@code "platform"} of an ssh target, as the check's {@code --platform}; windows when absent. */
    private Platform platform(JsonNode node, String path) {
        JsonNode v = node.get("platform");
        if (v == null) {
            return Platform.WINDOWS;
        }
        for (Platform p : Platform.values()) {
            if (v.isTextual() && p.label().equals(v.asText())) {
                return p;
            }
        }
        fields.error(path + "/platform must be one of linux, windows [" + FieldReader.shown(v) + "]");
        return Platform.WINDOWS;
    }

    /**
     * As the check on a Linux target: the Exchange profiles name Windows services and ports, so a Linux target is
     * judged on its {@code ports} and usage thresholds alone. A profile other than none written on the target itself
     * is refused (as {@code --profile exchange} with {@code --platform linux}); one inherited from {@code /defaults}
     * is not applied, so one {@code /defaults} can serve Windows and Linux targets.
     */
    private CheckOptions linuxOptions(JsonNode node, String path, CheckOptions options, boolean checkFieldsValid) {
        JsonNode p = node.get("profile");
        if (p != null && p.isTextual() && Profile.byName(p.asText()).filter(x -> x != Profile.NONE).isPresent()) {
            fields.error(path + "/profile is for Exchange on Windows; a Linux target watches its \"ports\" only"
                    + " (docs/linux.md) [" + p.asText() + "]");
        }
        CheckOptions linux = options.onLinux();
        if (linux.watchesNothing() && checkFieldsValid) {
            fields.error(path + " has nothing to watch on a Linux target: give \"ports\", or usage_warning or"
                    + " usage_critical for the dynamic port usage (docs/linux.md)");
        }
        return linux;
    }

    private TargetAccess.Ssh ssh(JsonNode node, String path, Platform platform) {
        int before = fields.errorCount();
        String hostname = fields.requiredText(node, path, "hostname");
        Integer port = node.has("port") ? fields.portNumber(node.get("port"), path + "/port", 1) : Integer.valueOf(22);
        String user = fields.requiredText(node, path, "user");
        Path identity = node.has("identity_file")
                ? fields.readableFile(node.get("identity_file"), path + "/identity_file") : null;
        SecretRef passphrase = fields.secret(node, path, "passphrase");
        SecretRef password = fields.secret(node, path, "password");
        if (!node.has("identity_file") && !node.has("password")) {
            fields.error(path + " needs identity_file or password for SSH authentication");
        }
        if (node.has("passphrase") && !node.has("identity_file")) {
            fields.error(path + "/passphrase is set but there is no identity_file to unlock");
        }
        boolean acceptNew = fields.bool(node, path, "accept_new_host_key", false);
        Path knownHosts;
        if (node.has("known_hosts")) {
            knownHosts = fields.path(node.get("known_hosts"), path + "/known_hosts");
        } else {
            knownHosts = home.resolve(".ssh").resolve("known_hosts");
        }
        if (knownHosts != null && !acceptNew && !Files.isReadable(knownHosts)) {
            fields.error(path + "/known_hosts cannot be read and accept_new_host_key is false, so no host key could"
                    + " ever be verified [" + knownHosts + "]");
        }
        if (fields.errorCount() != before || port == null) {
            return null;
        }
        if (identity != null) {
            try {
                SshIdentities.load(identity, passphrase, path);
            } catch (ConfigException e) {
                fields.error(e.getMessage());
                return null;
            }
        }
        return new TargetAccess.Ssh(hostname, port, user, identity, passphrase, password, knownHosts, acceptNew,
                platform);
    }

    private TargetAccess.SnapshotFile snapshot(JsonNode node, String path) {
        // The file itself may be missing at start (pushed later): that is a probe failure, not a config error.
        if (!node.has("file")) {
            fields.error(path + "/file is required for a snapshot target");
            return null;
        }
        Path file = fields.path(node.get("file"), path + "/file");
        int before = fields.errorCount();
        Duration maxAge = null;
        if (node.has("max_age")) {
            JsonNode v = node.get("max_age");
            maxAge = v.isTextual() ? Freshness.maxAge(v.asText()).orElse(null) : null;
            if (maxAge == null) {
                fields.error(path + "/max_age " + Freshness.MAX_AGE_RULE + " [" + FieldReader.shown(v) + "]");
            }
        }
        String expectHost = null;
        if (node.has("expect_host")) {
            JsonNode v = node.get("expect_host");
            expectHost = v.isTextual() ? v.asText() : null;
            if (expectHost == null || !Freshness.isHostName(expectHost)) {
                fields.error(path + "/expect_host " + Freshness.HOST_RULE + " [" + FieldReader.shown(v) + "]");
            }
        }
        if (file == null || fields.errorCount() != before) {
            return null;
        }
        return new TargetAccess.SnapshotFile(file, new Freshness(maxAge, expectHost));
    }
}
