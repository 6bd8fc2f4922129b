package dev.dynport.check.fuzz;

import dev.dynport.check.judge.CheckResult;
import dev.dynport.check.judge.FindingCode;
import dev.dynport.check.model.DynamicRange;
import dev.dynport.check.model.ExcludedRange;
import dev.dynport.check.model.ExcludedRanges;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.State;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs {@code inputs} mutated snapshots through the product and the reference and classifies each:
 * <ul>
 * <li>WRONG_OK (failure): the product says OK while the reference finds the input unreadable or not OK;
 * <li>INTERNAL_ERROR (failure): an exception escapes, or the output says "internal error";
 * <li>STALL: no answer within the budget (reported, never asserted on time);
 * <li>OVER_STRICT: the product refuses a section (UNKNOWN) although the reference read it (not a failure);
 * <li>WRONG_ALARM: the product says WARNING/CRITICAL while the reference reads an OK host (a possible wrong
 *     CRITICAL, reported for a human to judge);
 * <li>FACTS_DIFFER: both read every section but found different ranges or exclusions, or different ports not in
 *     use;
 * <li>REFERENCE_ERROR: the reference itself threw (a harness bug).
 * </ul>
 * Every classified input is written out (up to a cap per class) with how to reproduce it.
 */
final class Campaign {
    enum Kind { WRONG_OK, INTERNAL_ERROR, STALL, OVER_STRICT, WRONG_ALARM, FACTS_DIFFER, REFERENCE_ERROR }

    static final int WRITTEN_PER_KIND_AND_OPERATOR = 10;
    /** Inputs not counted for the slowest one: their time is mostly class loading and JIT. */
    static final long WARM_UP = 1_000;

    private final long seed;
    private final long inputs;
    private final long budgetMillis;
    private final Path outDir;
    private final Map<Kind, Long> counts = new EnumMap<>(Kind.class);
    /** By class and operator: the same class is often reached by several operators, each worth an example. */
    private final Map<String, String> firstExample = new TreeMap<>();
    private final Map<String, Long> written = new TreeMap<>();
    private final Map<String, long[]> perOperator = new TreeMap<>();
    private final List<String> findings = new ArrayList<>();
    private long slowestNanos = -1;
    private String slowest = "";
    private long productUnknown;
    private long productOk;
    private long referenceReadable;
    private long wallMillis;

    Campaign(long seed, long inputs, long budgetMillis, Path outDir) {
        this.seed = seed;
        this.inputs = inputs;
        this.budgetMillis = budgetMillis;
        this.outDir = outDir;
        for (Kind k : Kind.values()) {
            counts.put(k, 0L);
        }
    }

    Campaign run() {
        List<Seeds.Seed> seeds = Seeds.all();
        Mutator mutator = new Mutator(seeds);
        long t0 = System.currentTimeMillis();
        try {
            Files.createDirectories(outDir);
            try (var old = Files.list(outDir)) {
                // a summary or input left from an earlier run must not pass for this run's
                for (Path p : old.filter(Files::isRegularFile).toList()) {
                    Files.delete(p);
                }
            }
            try (Product product = new Product(budgetMillis)) {
                for (long i = 0; i < inputs; i++) {
                    one(mutator.input(seed, i), product);
                    if (inputs >= 100_000 && (i + 1) % 100_000 == 0) {
                        System.out.printf(Locale.ROOT, "fuzz: %d/%d inputs, %s%n", i + 1, inputs, counts);
                    }
                }
            }
            wallMillis = System.currentTimeMillis() - t0;
            Files.writeString(outDir.resolve("summary.txt"), summary(seeds.size()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private void one(Mutator.Input input, Product product) throws IOException {
        Reference.Answer ref;
        try {
            ref = Reference.judge(input.bytes());
        } catch (RuntimeException e) {
            ref = Reference.Answer.unreadable("reference threw " + e);
            record(Kind.REFERENCE_ERROR, input, null, ref);
        }
        Product.Outcome out = product.run(input.bytes());
        long[] c = perOperator.computeIfAbsent(operatorOf(input), k -> new long[Kind.values().length + 1]);
        c[0]++;
        if (!out.stalled() && input.index() >= WARM_UP && out.nanos() > slowestNanos) {
            slowestNanos = out.nanos();
            slowest = String.format(Locale.ROOT, "%.1f ms, %d bytes, %s", out.nanos() / 1e6, input.bytes().length, id(input));
        }
        referenceReadable += ref.readable() ? 1 : 0;
        productOk += out.state() == State.OK ? 1 : 0;
        productUnknown += out.state() == State.UNKNOWN ? 1 : 0;
        List<Kind> kinds = new ArrayList<>();
        if (out.stalled()) {
            kinds.add(Kind.STALL);
        }
        if (out.internalError()) {
            kinds.add(Kind.INTERNAL_ERROR);
        }
        if (out.state() == State.OK && !(ref.readable() && ref.ok())) {
            kinds.add(Kind.WRONG_OK);
        }
        if (out.state() == State.UNKNOWN && ref.readable() && !out.internalError()
                && (out.result() == null || !out.result().problems().isEmpty())) {
            kinds.add(Kind.OVER_STRICT);
        }
        if ((out.state() == State.WARNING || out.state() == State.CRITICAL) && ref.readable() && ref.ok()) {
            kinds.add(Kind.WRONG_ALARM);
        }
        if (ref.readable() && out.result() != null && out.result().problems().isEmpty() && !sameFacts(ref, out.result())) {
            kinds.add(Kind.FACTS_DIFFER);
        }
        for (Kind k : kinds) {
            c[k.ordinal() + 1]++;
            record(k, input, out, ref);
        }
    }

    static boolean sameFacts(Reference.Answer ref, CheckResult result) {
        for (Family f : Family.values()) {
            String key = f == Family.IPV4 ? "v4" : "v6";
            DynamicRange r = result.dynamicRanges().get(f);
            ReferenceFormats.Range mine = ref.ranges().get(key);
            if (r == null || r.start() != mine.start() || r.count() != mine.count()) {
                return false;
            }
            ExcludedRanges x = result.exclusions().get(f);
            List<ReferenceFormats.Exclusion> theirs = new ArrayList<>();
            for (ExcludedRange e : x == null ? List.<ExcludedRange>of() : x.ranges()) {
                theirs.add(new ReferenceFormats.Exclusion(e.start(), e.end(), e.administered()));
            }
            if (x == null || !theirs.equals(ref.exclusions().get(key))) {
                return false;
            }
        }
        List<Integer> notInUse = result.ports().stream()
                .filter(p -> p.findings().stream().anyMatch(f -> f.code() == FindingCode.NOT_IN_USE))
                .map(p -> p.port().port()).sorted().toList();
        return notInUse.equals(ref.notInUse().stream().sorted().toList());
    }

    private void record(Kind kind, Mutator.Input input, Product.Outcome out, Reference.Answer ref) throws IOException {
        counts.merge(kind, 1L, Long::sum);
        String line = String.format(Locale.ROOT, "%s %s: product [%s] reference [%s]", kind, id(input),
                clip(out == null ? "-" : out.statusLine()), clip(describe(ref)));
        String key = kind + " " + operatorOf(input);
        firstExample.putIfAbsent(key, line);
        if (kind == Kind.WRONG_OK || kind == Kind.INTERNAL_ERROR || kind == Kind.REFERENCE_ERROR) {
            findings.add(line);
        }
        if (written.merge(key, 1L, Long::sum) > WRITTEN_PER_KIND_AND_OPERATOR) {
            return;
        }
        String base = kind.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-s" + seed + "-i" + input.index();
        Files.write(outDir.resolve(base + ".snapshot"), input.bytes());
        StringBuilder about = new StringBuilder(line).append('\n')
                .append("reproduce: Mutator.input(seed=").append(seed).append(", index=").append(input.index())
                .append(") from seed snapshot ").append(input.seedName()).append(" by ").append(input.operator()).append('\n');
        if (out != null && out.text() != null) {
            about.append("--- product output\n").append(out.text(), 0, Math.min(out.text().length(), 4000)).append('\n');
        }
        if (out != null && out.thrown() != null) {
            about.append("--- thrown\n").append(out.thrown()).append('\n');
        }
        Files.writeString(outDir.resolve(base + ".txt"), about.toString(), StandardCharsets.UTF_8);
    }

    static String describe(Reference.Answer ref) {
        if (!ref.readable()) {
            return "unreadable: " + ref.problem();
        }
        return (ref.ok() ? "OK" : "not OK: " + ref.problem()) + (ref.notInUse().isEmpty() ? ""
                : "; not in use " + ref.notInUse()) + "; ranges " + ref.ranges();
    }

    /** Short and on one line: inputs hold 100,000-character lines and control characters. */
    static String clip(String text) {
        String flat = text.replaceAll("\\p{Cntrl}", "?");
        return flat.length() <= 300 ? flat : flat.substring(0, 240) + "...(" + flat.length() + " chars)..."
                + flat.substring(flat.length() - 40);
    }

    /** HAVOC[A+B] counts as HAVOC. */
    private static String operatorOf(Mutator.Input input) {
        int bracket = input.operator().indexOf('[');
        return bracket < 0 ? input.operator() : input.operator().substring(0, bracket);
    }

    private static String id(Mutator.Input input) {
        return "seed " + input.seed() + " index " + input.index() + " (" + input.seedName() + ", " + input.operator() + ")";
    }

    long count(Kind kind) {
        return counts.get(kind);
    }

    /** One line per failure (wrong OK, internal error, reference error), for assertion messages. */
    List<String> findings() {
        return findings;
    }

    String summary(int seedCount) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "dynport fuzz campaign: seed %d, %d inputs from %d seed snapshots, %.1f s%n",
                seed, inputs, seedCount, wallMillis / 1000.0));
        s.append(String.format(Locale.ROOT, "wrong OKs:        %d%n", counts.get(Kind.WRONG_OK)));
        s.append(String.format(Locale.ROOT, "internal errors:  %d%n", counts.get(Kind.INTERNAL_ERROR)));
        s.append(String.format(Locale.ROOT, "stalls (> %d ms): %d%n", budgetMillis, counts.get(Kind.STALL)));
        s.append(String.format(Locale.ROOT, "product OK %d, UNKNOWN %d; reference read %d%n", productOk, productUnknown,
                referenceReadable));
        s.append(String.format(Locale.ROOT, "over-strict (product UNKNOWN, reference read it): %d%n", counts.get(Kind.OVER_STRICT)));
        s.append(String.format(Locale.ROOT, "wrong alarms (product WARNING/CRITICAL, reference OK): %d%n",
                counts.get(Kind.WRONG_ALARM)));
        s.append(String.format(Locale.ROOT, "facts differ: %d; reference errors: %d%n", counts.get(Kind.FACTS_DIFFER),
                counts.get(Kind.REFERENCE_ERROR)));
        s.append("slowest input (after the first ").append(WARM_UP).append("): ").append(slowest).append('\n');
        s.append(String.format(Locale.ROOT, "%-20s %8s", "operator", "inputs"));
        for (Kind k : Kind.values()) {
            s.append(String.format(Locale.ROOT, " %15s", k.name().toLowerCase(Locale.ROOT)));
        }
        s.append('\n');
        perOperator.forEach((op, c) -> {
            s.append(String.format(Locale.ROOT, "%-20s %8d", op, c[0]));
            for (int i = 1; i < c.length; i++) {
                s.append(String.format(Locale.ROOT, " %15d", c[i]));
            }
            s.append('\n');
        });
        s.append("first example of each class and operator:\n");
        firstExample.values().forEach(e -> s.append("  ").append(e).append('\n'));
        s.append("the first ").append(WRITTEN_PER_KIND_AND_OPERATOR)
                .append(" inputs of each class and operator are written beside this file\n");
        return s.toString();
    }
}
