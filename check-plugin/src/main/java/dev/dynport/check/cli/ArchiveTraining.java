package dev.dynport.check.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The package-time run that makes the AppCDS archive ({@code -XX:ArchiveClassesAtExit}): first loads the classes
 * a check over SSH needs (JSch, the JDK's key exchange, signature and cipher classes; listed in a file made from
 * {@code -Xlog:class+load} of a real SSH check), then runs the check on a snapshot once in each output form and
 * prints the help and the version, so that every one of these runs finds its classes and lambda proxies in the
 * archive. No SSH server is at hand when the jar is built, and without the list the archive holds only what a
 * snapshot check loads, so each SSH check parsed and verified some 500 classes at start (about 70 ms of the gap to
 * OpenSSH's {@code ssh}, benchmarks/ssh.sh). Listed classes are loaded, not initialised: no static initialiser
 * runs, no key or socket is made. Usage: {@code ArchiveTraining CLASS_LIST SNAPSHOT} (an empty CLASS_LIST, e.g.
 * /dev/null, trains the snapshot paths only).
 */
public final class ArchiveTraining {
    private ArchiveTraining() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ArchiveTraining CLASS_LIST SNAPSHOT");
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
        String snapshot = args[1];
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        Map<String, String> env = System.getenv();
        String os = System.getProperty("os.name", "unknown");
        int verdict = CheckDynport.run(new String[] {"--snapshot", snapshot}, nowhere, nowhere, env, os);
        for (List<String> run : List.of(
                List.of("--snapshot", snapshot, "--verbose"),
                List.of("--snapshot", snapshot, "--format", "json"),
                List.of("--snapshot", snapshot, "--format", "nrpe"),
                List.of("--help"),
                List.of("--version"))) {
            CheckDynport.run(run.toArray(new String[0]), nowhere, nowhere, env, os);
        }
        // The plain check's verdict: a snapshot the check cannot read (3) shows in the build log (appcds-run.txt).
        System.out.println("check_dynport training run on " + snapshot + ": exit " + verdict);
    }
}
