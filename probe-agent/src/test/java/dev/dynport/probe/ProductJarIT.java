package dev.dynport.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For check-plugin and this module: after {@code mvn package} target/ holds one jar, the runnable one the launcher and the docs name; the plain jar
 * Maven needs is in target/maven. A jar this build made or renamed (inode changed since the runnable jar was
 * written: a rename keeps the modification time but not the change time) must be no other; jars of earlier builds
 * without {@code mvn clean} are not counted.
 */
class ProductJarIT {
    /** Each module's target and its runnable jar; check-plugin is built before this module in the reactor. */
    static Stream<Arguments> products() {
        return Stream.of(Arguments.of(Path.of("target"), "dynport-probe.jar"),
                Arguments.of(Path.of("..", "check-plugin", "target"), "check_dynport.jar"));
    }

    @ParameterizedTest
    @MethodSource("products")
    void targetHoldsOneRunnableJar(Path target, String runnable) throws IOException {
        assumeTrue(Files.exists(target.resolve(runnable)), "not built in this run: " + target.resolve(runnable));
        List<Path> plain = jars(target.resolve("maven"));
        assertEquals(1, plain.size(), "the plain jar in " + target.resolve("maven") + ": " + plain);
        FileTime built = Files.getLastModifiedTime(target.resolve(runnable));
        List<String> fresh = jars(target).stream()
                .filter(p -> !changed(p).toInstant().isBefore(built.toInstant()))
                .map(p -> p.getFileName().toString()).sorted().toList();
        assertEquals(List.of(runnable), fresh);
        try (JarFile jar = new JarFile(target.resolve(runnable).toFile())) {
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
