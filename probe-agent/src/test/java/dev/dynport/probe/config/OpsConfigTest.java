package dev.dynport.probe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code /ops} section: where the endpoint listens and when it needs a bearer token. */
class OpsConfigTest {
    private static final String TOKEN = "3f9c1a7e0b2d4c6e8a1f3b5d7c9e0a2b";

    @TempDir
    Path dir;

    private AgentConfig.Ops ops(String opsJson, Map<String, String> env) throws ConfigException {
        return ConfigParser.parse(ConfigParser.readTree(config(opsJson), "test.json"), env, dir, RawDelivery.READER).ops();
    }

    private List<String> errors(String opsJson, Map<String, String> env) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigParser.parse(ConfigParser.readTree(config(opsJson), "test.json"), env, dir, RawDelivery.READER));
        assertFalse(e.getMessage().contains(TOKEN), "no error shows the token");
        return ConfigParser.errors(e);
    }

    private static String config(String opsJson) {
        return """
                {"agent_name": "noc-1", "ops": %s, "targets": [{"type": "snapshot", "file": "/x/exch01.snapshot"}]}
                """.formatted(opsJson);
    }

    @Test
    void aNonLoopbackAddressWithoutABearerTokenIsRefused() {
        assertEquals(List.of("/ops/listen_address is not a loopback address and needs /ops/bearer_token [0.0.0.0]"),
                errors("{\"listen_address\": \"0.0.0.0\"}", Map.of()));
        assertEquals(List.of("/ops/listen_address is not a loopback address and needs /ops/bearer_token [::]"),
                errors("{\"listen_address\": \"::\"}", Map.of()));
        assertEquals(List.of("/ops/listen_address is not a loopback address and needs /ops/bearer_token "
                + "[192.0.2.10]"), errors("{\"listen_address\": \"192.0.2.10\", \"port\": 9465}", Map.of()));
    }

    @Test
    void aNonLoopbackAddressTakesTheTokenAsASecretFromEnvOrFile() throws Exception {
        AgentConfig.Ops env = ops("{\"listen_address\": \"0.0.0.0\", \"bearer_token\": {\"env\": \"OPS_TOKEN\"}}",
                Map.of("OPS_TOKEN", TOKEN));
        assertEquals("0.0.0.0", env.listenAddress());
        assertEquals(TOKEN, env.bearerToken().valueAsString());
        assertEquals("<masked from env OPS_TOKEN>", env.bearerToken().toString());

        Path file = Files.writeString(dir.resolve("ops.token"), TOKEN + "\n");
        AgentConfig.Ops fromFile = ops("{\"listen_address\": \"::\", \"bearer_token\": {\"file\": \"" + file + "\"}}",
                Map.of());
        assertEquals(TOKEN, fromFile.bearerToken().valueAsString());
    }

    @Test
    void loopbackNeedsNoTokenButTakesOne() throws Exception {
        assertNull(ops("{\"listen_address\": \"127.0.0.1\"}", Map.of()).bearerToken());
        assertNull(ops("{\"listen_address\": \"::1\"}", Map.of()).bearerToken());
        assertNull(ops("{\"listen_address\": \"127.8.9.10\"}", Map.of()).bearerToken());
        assertEquals(TOKEN, ops("{\"bearer_token\": {\"env\": \"T\"}}", Map.of("T", TOKEN)).bearerToken()
                .valueAsString());
        assertFalse(ops("{\"enabled\": false, \"listen_address\": \"0.0.0.0\"}", Map.of()).enabled(),
                "a disabled endpoint binds nothing and needs no token");
    }

    @Test
    void aWeakOrUnresolvableTokenIsRefusedWithoutShowingIt() {
        assertEquals(List.of("/ops/bearer_token must be at least 16 characters of A-Z a-z 0-9 - . _ ~ + / "
                + "[<masked from env T>]"),
                errors("{\"listen_address\": \"0.0.0.0\", \"bearer_token\": {\"env\": \"T\"}}", Map.of("T", "secret")));
        assertEquals(List.of("/ops/bearer_token must be at least 16 characters of A-Z a-z 0-9 - . _ ~ + / "
                + "[<masked from env T>]"),
                errors("{\"bearer_token\": {\"env\": \"T\"}}", Map.of("T", TOKEN + " x")));
        List<String> unset = errors("{\"listen_address\": \"0.0.0.0\", \"bearer_token\": {\"env\": \"NOPE\"}}",
                Map.of());
        assertEquals(1, unset.size(), "the unresolvable token is the one error: " + unset);
        assertTrue(unset.get(0).startsWith("/ops/bearer_token/env "), unset.get(0));
        assertEquals(List.of("/ops/bearer_token must be an object {\"file\": PATH} or {\"env\": NAME}"),
                errors("{\"bearer_token\": \"" + TOKEN + "\"}", Map.of()));
    }

    @Test
    void theDescriptionMasksTheToken() throws Exception {
        AgentConfig c = ConfigParser.parse(ConfigParser.readTree(config(
                "{\"listen_address\": \"0.0.0.0\", \"bearer_token\": {\"env\": \"OPS_TOKEN\"}}"), "t.json"),
                Map.of("OPS_TOKEN", TOKEN), dir, RawDelivery.READER);
        String d = c.describe();
        assertTrue(d.contains("ops: 0.0.0.0:9465, bearer token <masked from env OPS_TOKEN>\n"), d);
        assertFalse(d.contains(TOKEN), d);
    }

    @Test
    void anAddressThatIsNoIpLiteralIsRefused() {
        assertEquals(List.of("/ops/listen_address must be an IP address such as 127.0.0.1 or ::1 [localhost]"),
                errors("{\"listen_address\": \"localhost\"}", Map.of()));
        assertEquals(List.of("/ops/listen_address must be an IP address such as 127.0.0.1 or ::1 [:::::]"),
                errors("{\"listen_address\": \":::::\"}", Map.of()));
    }
}
