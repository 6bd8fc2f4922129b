package dev.dynport.check.parse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Loads {@code fixtures/<dir>/expected.tsv}. Columns: fixture, charset, prefix, expect, why. Every file of the
 * directory must be listed (a fixture nobody checks is a defect) and every listed file must exist. A file may be
 * listed more than once with different charsets.
 */
final class Fixtures {
    private Fixtures() {
    }

    static Path dir(String name) {
        URL url = Fixtures.class.getResource("/fixtures/" + name);
        if (url == null) {
            throw new IllegalStateException("no fixture directory " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Fixture> load(String name) {
        Path dir = dir(name);
        List<Fixture> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(dir.resolve("expected.tsv"), StandardCharsets.UTF_8);
            for (String line : lines) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t", -1);
                if (cols.length != 5) {
                    throw new IllegalArgumentException(name + "/expected.tsv: 5 tab-separated columns expected [" + line + "]");
                }
                Path file = dir.resolve(cols[0]);
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException(name + "/expected.tsv lists a missing file [" + cols[0] + "]");
                }
                if (cols[4].isBlank()) {
                    throw new IllegalArgumentException(name + "/expected.tsv: say why for [" + cols[0] + "]");
                }
                out.add(new Fixture(file, Charset.forName(cols[1]), prefix(cols[2]), Expectation.parse(cols[3]), cols[4]));
            }
            Set<String> listed = out.stream().map(f -> f.path().getFileName().toString()).collect(Collectors.toSet());
            Set<String> present;
            try (Stream<Path> files = Files.list(dir)) {
                present = files.map(p -> p.getFileName().toString()).filter(f -> !f.equals("expected.tsv"))
                        .collect(Collectors.toCollection(TreeSet::new));
            }
            present.removeAll(listed);
            if (!present.isEmpty()) {
                throw new IllegalArgumentException(name + "/expected.tsv does not list " + present);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String prefix(String column) {
        if (column.equals("-")) {
            return "";
        }
        if (column.length() >= 2 && column.startsWith("\"") && column.endsWith("\"")) {
            return column.substring(1, column.length() - 1);
        }
        throw new IllegalArgumentException("prefix must be - or \"quoted\" [" + column + "]");
    }
}
