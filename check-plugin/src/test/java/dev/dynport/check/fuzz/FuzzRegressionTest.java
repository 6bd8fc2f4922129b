package dev.dynport.check.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One constructed fixture per class of defect found by fuzzing (fuzz-regressions/expected.tsv): the product must
 * answer with an allowed state, name what it refused, and never throw, stall or print "internal error". The
 * reference must find each fixture unreadable or not OK, so that the campaign would flag a wrong OK on it.
 *
 * <p>The product runs under the harness's watchdog (10 s, for inputs a linear parser reads in milliseconds):
 * without it the long-line fixture would hang the build for minutes instead of failing with its name.
 */
class FuzzRegressionTest {
    private static final long WATCHDOG_MILLIS = 10_000;
    private static Product product;

    record Case(String fixture, List<String> states, List<String> names, String why) {
        @Override
        public String toString() {
            return fixture;
        }
    }

    @BeforeAll
    static void start() {
        product = new Product(WATCHDOG_MILLIS);
    }

    @AfterAll
    static void stop() {
        product.close();
    }

    static Stream<Case> cases() {
        String tsv = new String(Seeds.resource("/fuzz-regressions/expected.tsv"), StandardCharsets.UTF_8);
        return tsv.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> {
            String[] c = l.split("\t");
            return new Case(c[0], Arrays.asList(c[1].split("\\|")), Arrays.asList(c[2].split("\\|")), c[3]);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void productRefusesOrReportsEachFuzzClass(Case c) {
        byte[] bytes = Seeds.resource("/fuzz-regressions/" + c.fixture());
        Product.Outcome out = product.run(bytes);
        String seen = c.fixture() + " (" + c.why() + "): " + Campaign.clip(out.statusLine());
        assertFalse(out.stalled(), "no answer within " + WATCHDOG_MILLIS + " ms: " + seen);
        assertNull(out.thrown(), seen);
        assertFalse(out.internalError(), seen);
        assertTrue(c.states().contains(out.state().name()), "state " + out.state() + ", expected " + c.states() + ": " + seen);
        assertTrue(c.names().stream().anyMatch(out.statusLine()::contains), "status line names none of " + c.names() + ": " + seen);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void referenceNeverCallsAFuzzClassOk(Case c) {
        Reference.Answer ref = Reference.judge(Seeds.resource("/fuzz-regressions/" + c.fixture()));
        assertFalse(ref.readable() && ref.ok(), c.fixture() + ": " + Campaign.describe(ref));
    }

    @Test
    void everyFixtureOfTheDirectoryIsListedAndConstructed() throws Exception {
        Path dir = Path.of(FuzzRegressionTest.class.getResource("/fuzz-regressions").toURI());
        List<String> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".snapshot")).sorted().toList();
        }
        assertEquals(files, cases().map(Case::fixture).sorted().toList());
        assertTrue(files.stream().allMatch(f -> f.endsWith("-constructed.snapshot")), files.toString());
    }
}
