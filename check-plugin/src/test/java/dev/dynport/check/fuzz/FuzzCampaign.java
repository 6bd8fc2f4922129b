package dev.dynport.check.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The long campaign, run only by the {@code fuzz} profile (the class name does not end in Test, so plain
 * {@code mvn verify} skips it): {@code mvn -pl check-plugin -Pfuzz verify -Dfuzz.inputs=1000000 -Dfuzz.seed=1}.
 * Writes target/fuzz/summary.txt and every failing input beside it, then fails if any input gave a wrong OK or
 * an internal error. {@code fuzz.budgetMs} bounds one input (a stall is reported, not asserted).
 */
class FuzzCampaign {
    @Test
    void campaign() {
        long seed = Long.getLong("fuzz.seed", 1L);
        long inputs = Long.getLong("fuzz.inputs", 100_000L);
        long budget = Long.getLong("fuzz.budgetMs", 2_000L);
        Campaign c = new Campaign(seed, inputs, budget, Path.of("target", "fuzz")).run();
        System.out.print(c.summary(Seeds.all().size()));
        String why = "see target/fuzz/summary.txt:\n" + String.join("\n", c.findings().stream().limit(20).toList());
        assertEquals(0, c.count(Campaign.Kind.WRONG_OK), why);
        assertEquals(0, c.count(Campaign.Kind.INTERNAL_ERROR), why);
        assertEquals(0, c.count(Campaign.Kind.REFERENCE_ERROR), why);
    }
}
