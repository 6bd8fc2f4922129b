package dev.dynport.check.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A finding is only useful if (seed, index) gives its bytes back, and a campaign only covers what it reaches. */
class MutatorTest {
    private final Mutator mutator = new Mutator(Seeds.all());

    @Test
    void theSameSeedAndIndexGiveTheSameInput() {
        for (long i = 0; i < 300; i++) {
            Mutator.Input a = mutator.input(42, i);
            Mutator.Input b = new Mutator(Seeds.all()).input(42, i);
            assertEquals(a.operator(), b.operator());
            assertEquals(a.seedName(), b.seedName());
            assertArrayEquals(a.bytes(), b.bytes(), "index " + i);
        }
    }

    @Test
    void everyOperatorIsReachedAndMostInputsDifferFromTheirSeed() {
        Set<Mutator.Operator> reached = EnumSet.noneOf(Mutator.Operator.class);
        int unchanged = 0;
        for (long i = 0; i < 3_000; i++) {
            Mutator.Input in = mutator.input(7, i);
            String op = in.operator().contains("[") ? in.operator().substring(0, in.operator().indexOf('[')) : in.operator();
            reached.add(Mutator.Operator.valueOf(op));
            byte[] seed = Seeds.all().stream().filter(s -> s.name().equals(in.seedName())).findFirst().orElseThrow().bytes();
            unchanged += Arrays.equals(seed, in.bytes()) ? 1 : 0;
        }
        assertEquals(EnumSet.allOf(Mutator.Operator.class), reached);
        assertTrue(unchanged < 300, unchanged + " of 3000 inputs equal their seed");
    }

    @Test
    void aColonInANumberSplitsItLikeAFlippedByte() {
        String s = "Number of Ports : 59530\r\n";
        boolean split = false;
        for (long i = 0; i < 20_000 && !split; i++) {
            Mutator.Input in = mutator.input(3, i);
            String text = new String(in.bytes(), StandardCharsets.ISO_8859_1);
            split = in.operator().equals("COLON_IN_NUMBER") && text.matches("(?s).*Number of Ports : 5\\d*:\\d*0\r?\n.*");
        }
        assertTrue(split, "no input like " + s.strip().replace("59530", "59:530"));
    }
}
