package dev.dynport.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README stays a plugin README (page one, under 10 KiB) and every relative link in it and in docs/*.md leads
 * somewhere: to an existing file and, for {@code file.md#anchor}, to a heading with that GitHub anchor. Moving a
 * section between pages breaks links silently otherwise.
 */
class DocsLinksTest {
    static final int README_MAX_BYTES = 10 * 1024;
    private static final Pattern LINK = Pattern.compile("\\[[^\\]\\n]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern FENCE = Pattern.compile("(?m)^\\s*```");

    @Test
    void readmeIsUnderTenKibibytes() throws IOException {
        long size = Files.size(RepoFiles.file("README.md"));
        assertTrue(size < README_MAX_BYTES, "README.md is " + size + " bytes; move detail to docs/ (limit "
                + README_MAX_BYTES + ")");
    }

    @Test
    void everyRelativeLinkInReadmeAndDocsLeadsToAFileAndHeading() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(RepoFiles.file("README.md"));
        try (Stream<Path> docs = Files.list(RepoFiles.root().resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchors = new HashMap<>();
        for (Path page : pages) {
            for (String target : links(Files.readString(page, StandardCharsets.UTF_8))) {
                String problem = check(page, target, anchors);
                if (problem != null) {
                    broken.add(RepoFiles.root().relativize(page) + ": [" + target + "] " + problem);
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void anchorsFollowGitHubsRules() {
        assertEquals(List.of("situations-and-verdicts", "event-ids-eventids-all-in-the-eventcreate-range-1-1000",
                "known-limits", "known-limits-1"),
                List.copyOf(anchors("## Situations and verdicts\n### Event IDs (`EventIds`, all in the `eventcreate`"
                        + " range 1-1000)\n```\n# not a heading\n```\n## Known limits\n## Known limits\n")));
    }

    @Test
    void aBrokenFileOrAnchorIsFound() throws IOException {
        Path readme = RepoFiles.file("README.md");
        Map<Path, Set<String>> cache = new HashMap<>();
        assertEquals("file does not exist", check(readme, "docs/no-such-page.md", cache));
        assertEquals("no heading with anchor #no-such-heading", check(readme, "docs/ssh.md#no-such-heading", cache));
        assertEquals(null, check(readme, "docs/ssh.md#known-limits", cache));
    }

    /** Link targets outside code fences and inline code, without external URLs. */
    static List<String> links(String markdown) {
        List<String> out = new ArrayList<>();
        boolean inFence = false;
        for (String line : markdown.split("\n", -1)) {
            if (FENCE.matcher(line).lookingAt()) {
                inFence = !inFence;
                continue;
            }
            if (inFence) {
                continue;
            }
            Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
            while (m.find()) {
                String target = m.group(1);
                if (!target.matches("(?i)[a-z][a-z0-9+.-]*:.*")) {
                    out.add(target);
                }
            }
        }
        return out;
    }

    private static String check(Path page, String target, Map<Path, Set<String>> cache) throws IOException {
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!resolved.startsWith(RepoFiles.root()) || !Files.exists(resolved)) {
            return "file does not exist";
        }
        if (hash < 0 || !resolved.toString().endsWith(".md")) {
            return null;
        }
        String anchor = target.substring(hash + 1);
        Set<String> known = cache.get(resolved);
        if (known == null) {
            known = anchors(Files.readString(resolved, StandardCharsets.UTF_8));
            cache.put(resolved, known);
        }
        return known.contains(anchor) ? null : "no heading with anchor #" + anchor;
    }

    /**
     * GitHub's heading anchors: lower case, everything but letters, digits, spaces, '-' and '_' dropped, spaces
     * turned into '-', a repeated anchor suffixed -1, -2, ...
     */
    static Set<String> anchors(String markdown) {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean inFence = false;
        for (String line : markdown.split("\n", -1)) {
            if (FENCE.matcher(line).lookingAt()) {
                inFence = !inFence;
                continue;
            }
            Matcher h = Pattern.compile("^#{1,6} +(.*?)\\s*$").matcher(line);
            if (inFence || !h.matches()) {
                continue;
            }
            String slug = h.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum) - 1;
            out.add(n == 0 ? slug : slug + "-" + n);
        }
        return out;
    }
}
