package dev.dynport.probe.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.EventJson;
import dev.dynport.check.model.State;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSinkTest {
    private static final Map<String, String> ENV = Map.of("HOOK_SECRET", "s3cr3t-hmac-key");

    private static Event critical() {
        return TestEvents.port("ex01", 9955, "ipv4", State.CRITICAL, State.OK,
                "TCP 9955 (IMAP backend) lies in the dynamic range 1025-65535 and is not excluded");
    }

    @Test
    void postsEventJsonWithAnHmacSignatureTheReceiverCanVerify() throws Exception {
        try (Receiver r = Receiver.http()) {
            Sink s = TestSinks.build("{'type': 'webhook', 'url': '" + r.uri() + "/dynport',"
                    + " 'hmac_secret': {'env': 'HOOK_SECRET'}}", ENV);
            Event e = critical();
            s.deliver(e);
            Receiver.Request q = r.requests.get(0);
            assertEquals("POST", q.method());
            assertEquals("/dynport", q.path());
            assertEquals("application/json", q.header("Content-Type"));
            assertEquals(e.id(), q.header("X-Dynport-Event-Id"));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("s3cr3t-hmac-key".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(q.body().getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, q.header("X-Dynport-Signature"));
            assertEquals(e, EventJson.fromBytes(q.body().getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void withoutSecretThereIsNoSignatureHeader() throws Exception {
        try (Receiver r = Receiver.http()) {
            Sink s = TestSinks.build("{'type': 'webhook', 'url': '" + r.uri() + "'}", Map.of());
            s.deliver(critical());
            assertNull(r.requests.get(0).header("X-Dynport-Signature"));
        }
    }

    @Test
    void deliversOverHttpsTrustingTheConfiguredCaAndRefusesAnotherCa() throws Exception {
        TestPki pki = TestPki.get();
        try (Receiver r = Receiver.https(pki.serverContext(), false)) {
            Sink ok = TestSinks.build("{'type': 'webhook', 'url': '" + r.uri() + "/h', 'ca_file': '" + pki.caPem + "'}",
                    Map.of());
            ok.deliver(critical());
            assertEquals(1, r.requests.size());
            Sink wrongCa = TestSinks.build("{'type': 'webhook', 'url': '" + r.uri() + "/h', 'ca_file': '"
                    + pki.otherCaPem + "'}", Map.of());
            DeliveryException e = assertThrows(DeliveryException.class, () -> wrongCa.deliver(critical()));
            assertTrue(e.getMessage().contains("SSLHandshakeException"), e.getMessage());
            assertEquals(1, r.requests.size());
        }
    }

    @Test
    void serverErrorsAndTooManyRequestsAreRetryableOtherClientErrorsAreNot() throws Exception {
        try (Receiver r = Receiver.http()) {
            Sink s = TestSinks.build("{'type': 'webhook', 'url': '" + r.uri() + "',"
                    + " 'hmac_secret': {'env': 'HOOK_SECRET'}}", ENV);
            for (int status : new int[] {500, 502, 503, 429, 408}) {
                r.respond(q -> new Receiver.Reply(status, "{\"error\":\"x\"}"));
                DeliveryException e = assertThrows(DeliveryException.class, () -> s.deliver(critical()));
                assertTrue(e.retryable(), status + " " + e.getMessage());
                assertTrue(e.getMessage().contains("answered HTTP " + status), e.getMessage());
                assertFalse(e.getMessage().contains("s3cr3t"), "no secret in messages");
            }
            for (int status : new int[] {400, 401, 403, 404, 410, 413}) {
                r.respond(q -> new Receiver.Reply(status, "nope"));
                DeliveryException e = assertThrows(DeliveryException.class, () -> s.deliver(critical()));
                assertFalse(e.retryable(), status + " " + e.getMessage());
            }
            r.respond(q -> new Receiver.Reply(202, ""));
            s.deliver(critical());
        }
    }

    @Test
    void connectionRefusedIsRetryable() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Sink s = TestSinks.build("{'type': 'webhook', 'url': 'http://127.0.0.1:" + port + "/',"
                + " 'connect_timeout_ms': 2000}", Map.of());
        DeliveryException e = assertThrows(DeliveryException.class, () -> s.deliver(critical()));
        assertTrue(e.retryable());
        assertTrue(e.getMessage().startsWith("webhook: POST http://127.0.0.1:" + port + "/ failed: "), e.getMessage());
    }

    @Test
    void unreadableCaFileAndMissingSecretAreConfigErrors() {
        String msg = TestSinks.configError("{'type': 'webhook', 'url': 'https://noc.example/x',"
                + " 'ca_file': '/nonexistent/ca.pem', 'hmac_secret': {'file': '/nonexistent/secret'}}", Map.of());
        assertEquals("/sinks/0/hmac_secret/file does not exist [/nonexistent/secret]\n"
                + "/sinks/0/ca_file cannot be read [/nonexistent/ca.pem]", msg.replace("\r\n", "\n"));
    }
}
