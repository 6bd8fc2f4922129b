package dev.dynport.check.cli;

import static dev.dynport.check.cli.CheckDynportTest.check;
import static dev.dynport.check.cli.CheckDynportTest.run;
import static dev.dynport.check.cli.CheckDynportTest.snapshot;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynport.check.cli.CheckDynportTest.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Black-box: the output beyond the verdict: JSON, the perfdata separator, --save-snapshot replay, locales. */
class CliOutputTest {
    @Test
    void jsonCarriesTheSameVerdict() throws IOException {
        Run r = check("exchange-foreign-holder", "--format", "json");
        assertEquals(2, r.exit());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertAll(
                () -> assertEquals("CRITICAL", json.get("state").asText()),
                () -> assertEquals(2, json.get("exit_code").asInt()),
                () -> assertEquals(6005, json.at("/dynamic_ranges/ipv4/start").asInt()),
                () -> assertEquals(59530, json.at("/dynamic_ranges/ipv6/count").asInt()),
                () -> assertEquals(65534, json.at("/dynamic_ranges/ipv6/end").asInt()),
                () -> assertEquals(3, json.at("/exclusions/ipv4").size()),
                () -> assertEquals(0, json.at("/exclusions/ipv6").size()),
                () -> assertFalse(json.at("/exclusions/ipv4/0/administered").asBoolean()),
                () -> assertEquals(1, json.at("/perfdata/foreign").asInt()));
        JsonNode pop3 = null;
        for (JsonNode port : json.get("ports")) {
            if (port.get("port").asInt() == 9955) {
                pop3 = port;
            }
        }
        assertEquals("POP3 back-end", pop3.get("label").asText());
        assertEquals("FOREIGN_HOLDER", pop3.at("/findings/0/code").asText());
        assertEquals("ipv4", pop3.at("/findings/0/family").asText());
        assertEquals("CRITICAL", pop3.at("/findings/0/state").asText());
        assertEquals(1240, pop3.at("/holders/0/pid").asInt());
        assertEquals("svchost.exe", pop3.at("/holders/0/image").asText());
        assertEquals("Dnscache", pop3.at("/holders/0/services/0").asText());
        assertEquals("10.0.0.25:9955", pop3.at("/holders/0/local_address").asText());
        assertEquals("ESTABLISHED", pop3.at("/holders/0/tcp_state").asText());
        assertTrue(json.get("remediation").toString().contains(
                "netsh int ipv6 add excludedportrange protocol=tcp startport=9955 numberofports=1"));
    }

    @Test
    void jsonOfAnUnreadableFamilyIsNullNotInvented() throws IOException {
        JsonNode json = new ObjectMapper().readTree(check("garbled-dynamicport", "--format", "json").out());
        assertTrue(json.at("/dynamic_ranges/ipv4").isNull());
        assertEquals("UNKNOWN", json.get("state").asText());
        assertEquals(1, json.get("problems").size());
    }

    @Test
    void humanTextNeverCarriesThePerfdataSeparator(@TempDir Path dir) throws IOException {
        String text = Files.readString(Path.of(snapshot("exchange-foreign-holder")), StandardCharsets.UTF_8)
                .replace("\"svchost.exe\",\"1240\"", "\"evil|name.exe\",\"1240\"");
        Path file = dir.resolve("pipe-in-image-constructed.snapshot");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Run r = run("--snapshot", file.toString(), "-v");
        assertEquals(2, r.exit());
        assertEquals(1, r.firstLine().chars().filter(c -> c == '|').count(), r.firstLine());
        r.out().lines().skip(1).forEach(line -> assertFalse(line.contains("|"), line));
        assertTrue(r.statusText().contains("evil/name.exe"));
    }

    @Test
    void saveSnapshotKeepsTheBytesAndReplaysToTheSameVerdict(@TempDir Path dir) throws IOException {
        Path saved = dir.resolve("saved.snapshot");
        Run first = check("german-cp850-foreign-holder", "--save-snapshot", saved.toString());
        assertArrayEquals(Files.readAllBytes(Path.of(snapshot("german-cp850-foreign-holder"))), Files.readAllBytes(saved));
        Run replay = run("--snapshot", saved.toString());
        assertEquals(first.exit(), replay.exit());
        assertEquals(first.out(), replay.out());
    }

    @ParameterizedTest
    @CsvSource({"tr", "de", "zh-CN"})
    void outputDoesNotDependOnTheDefaultLocale(String tag) {
        java.util.Locale saved = java.util.Locale.getDefault();
        Run reference;
        Run hostile;
        try {
            java.util.Locale.setDefault(java.util.Locale.ROOT);
            reference = check("german-cp850-foreign-holder", "-v", "--profile", "exchange-popimap", "--port", "9933:IMAP:MSEXCHANGEIMAP4BE");
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag(tag));
            hostile = check("german-cp850-foreign-holder", "-v", "--profile", "EXCHANGE-POPIMAP", "--port", "9933:IMAP:MSEXCHANGEIMAP4BE");
        } finally {
            java.util.Locale.setDefault(saved);
        }
        assertEquals(reference.out(), hostile.out());
        assertEquals(reference.exit(), hostile.exit());
    }
}
