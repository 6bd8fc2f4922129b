package dev.dynport.check.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A short, fixed-seed fuzz run in every build: mutated snapshots must never give a wrong OK or an internal
 * error. The long campaign is the {@code fuzz} profile ({@link FuzzCampaign}); this one only guards against
 * regressions in classes already fixed. Its summary and failing inputs go to target/fuzz-smoke/.
 */
class FuzzSmokeTest {
    static final long SEED = 20_260_801L;
    static final long INPUTS = 10_000;

    @Test
    void mutatedSnapshotsNeverGiveAWrongOkNorAnInternalError() {
        Campaign c = new Campaign(SEED, INPUTS, 1_000, Path.of("target", "fuzz-smoke")).run();
        String why = "see target/fuzz-smoke/summary.txt:\n" + String.join("\n", c.findings().stream().limit(20).toList());
        assertEquals(0, c.count(Campaign.Kind.WRONG_OK), why);
        assertEquals(0, c.count(Campaign.Kind.INTERNAL_ERROR), why);
        assertEquals(0, c.count(Campaign.Kind.REFERENCE_ERROR), why);
    }
}
