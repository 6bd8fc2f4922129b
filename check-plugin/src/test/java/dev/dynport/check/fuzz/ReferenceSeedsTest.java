package dev.dynport.check.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.model.State;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reference must agree with the product on every unmutated seed: same verdict (OK or not), and the same
 * ranges and exclusions where both read the snapshot. Otherwise every mutation of that seed would be misjudged.
 */
class ReferenceSeedsTest {
    static Stream<Seeds.Seed> seeds() {
        return Seeds.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void referenceAndProductAgreeOnEverySeed(Seeds.Seed seed) {
        Reference.Answer ref = Reference.judge(seed.bytes());
        Product.Outcome out = Product.runDirect(seed.bytes());
        String both = "product [" + out.statusLine() + "] reference [" + Campaign.describe(ref) + "]";
        assertEquals(out.state() == State.OK, ref.readable() && ref.ok(), both);
        assertEquals(out.state() == State.UNKNOWN, !ref.readable(), both);
        if (ref.readable()) {
            assertTrue(Campaign.sameFacts(ref, out.result()), both);
        }
    }
}
