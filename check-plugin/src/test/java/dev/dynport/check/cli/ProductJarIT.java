package dev.dynport.check.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * After {@code mvn package} target/ holds one jar, the runnable one the launcher and the docs name; the plain jar
 * Maven needs is in target/maven. A jar this build made or renamed (inode changed since the runnable jar was
 * written: a rename keeps the modification time but not the change time) must be no other; jars of earlier builds
 * without {@code mvn clean} are not counted.
 */
class ProductJarIT {
    private static final Path TARGET = Path.of("target");

    @Test
    void targetHoldsOneRunnableJar() throws IOException {
        List<Path> plain = jars(TARGET.resolve("maven"));
        assertEquals(1, plain.size(), "the plain jar in target/maven: " + plain);
        FileTime built = Files.getLastModifiedTime(TARGET.resolve("check_dynport.jar"));
        List<String> fresh = jars(TARGET).stream()
                .filter(p -> !changed(p).toInstant().isBefore(built.toInstant()))
                .map(p -> p.getFileName().toString()).sorted().toList();
        assertEquals(List.of("check_dynport.jar"), fresh);
        try (JarFile jar = new JarFile(TARGET.resolve("check_dynport.jar").toFile())) {
            assertTrue(jar.getManifest().getMainAttributes().getValue("Main-Class") != null, "no Main-Class");
        }
    }

    private static List<Path> jars(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar")).toList();
        }
    }

    private static FileTime changed(Path p) {
        try {
            return (FileTime) Files.getAttribute(p, "unix:ctime");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
