package dev.dynport.templates;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository the templates are checked against; the root comes from surefire (dynport.repo.root). */
final class RepoFiles {
    private RepoFiles() {
    }

    static Path root() {
        String configured = System.getProperty("dynport.repo.root");
        Path root = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath().getParent();
        root = root.toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("templates"))) {
            throw new IllegalStateException("not the dynport repository root [" + root + "]");
        }
        return root;
    }

    static Path file(String relative) {
        Path p = root().resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("missing file [" + p + "]");
        }
        return p;
    }
}
