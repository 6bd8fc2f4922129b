package dev.dynport.check.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The package-time run that makes the AppCDS archive ({@code -XX:ArchiveClassesAtExit}): first loads the classes
 * a check over SSH needs (JSch, the JDK's key exchange, signature and cipher classes; listed in a file made from
 * {@code -Xlog:class+load} of a real SSH check), then runs an ordinary check. No SSH server is at hand when the
 * jar is built, and without this the archive holds only what a snapshot check loads, so each SSH check parsed
 * and verified some 500 classes at start (about 70 ms of the gap to OpenSSH's {@code ssh}, benchmarks/ssh.sh).
 * Classes are loaded, not initialised: no static initialiser runs, no key or socket is made.
 * Usage: {@code ArchiveTraining CLASS_LIST CHECK_ARGUMENTS...}.
 */
public final class ArchiveTraining {
    private ArchiveTraining() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ArchiveTraining CLASS_LIST CHECK_ARGUMENTS...");
            System.exit(3);
        }
        ClassLoader loader = ArchiveTraining.class.getClassLoader();
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                // another JDK build lacks or moved the class: the archive just holds one class fewer
            }
        }
        CheckDynport.main(Arrays.copyOfRange(args, 1, args.length));
    }
}
