package dev.dynport.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * templates/windows/install-dynport-probe.ps1, read statically (no PowerShell here) for the rules that break it
 * only on a real Windows: native stderr under {@code $ErrorActionPreference = 'Stop'}, English account names in
 * icacls, unchecked icacls status, and the LocalService/NetworkService mix-up.
 */
class WindowsInstallerScriptTest {
    static final String SCRIPT = "templates/windows/install-dynport-probe.ps1";
    /** A call of a native program: {@code & $java}, {@code & $wrapper}, or an {@code .exe} by name. */
    static final Pattern NATIVE = Pattern.compile("(?:^|[{;(]\\s*)(?:&\\s*\\$(?:java|wrapper)\\b|[\\w-]+\\.exe\\s)");

    /** The script's lines without comments (whole-line {@code #} and the {@code <# ... #>} help block). */
    static List<String> code() throws IOException {
        List<String> out = new ArrayList<>();
        boolean help = false;
        for (String line : Files.readAllLines(RepoFiles.file(SCRIPT), StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (t.startsWith("<#")) {
                help = true;
            }
            if (!help && !t.startsWith("#") && !t.isEmpty()) {
                out.add(t);
            }
            if (t.endsWith("#>")) {
                help = false;
            }
        }
        return out;
    }

    static List<String> comments() throws IOException {
        return Files.readAllLines(RepoFiles.file(SCRIPT), StandardCharsets.UTF_8).stream()
                .filter(l -> l.strip().startsWith("#")).toList();
    }

    /**
     * Windows PowerShell 5.1 turns native stderr into error records; under 'Stop' "java -version 2>&1" ends the
     * script. Every native call goes through Invoke-Native, which sets 'Continue' for itself.
     */
    @Test
    void everyNativeCallRunsWhereStderrCannotEndTheScript() throws IOException {
        List<String> code = code();
        assertTrue(code.contains("$ErrorActionPreference = 'Stop'"), "the script runs under 'Stop'");
        int fn = code.indexOf("function Invoke-Native([scriptblock] $Command) {");
        assertTrue(fn >= 0, "no Invoke-Native function");
        assertEquals(List.of("$ErrorActionPreference = 'Continue'", "& $Command 2>&1 | ForEach-Object { \"$_\" }", "}"),
                code.subList(fn + 1, fn + 4));
        List<String> bare = new ArrayList<>();
        for (String line : code) {
            Matcher m = NATIVE.matcher(line);
            if (m.find() && !line.contains("Invoke-Native { ") && !line.startsWith("<executable>")) {
                bare.add(line);
            }
        }
        assertEquals(List.of(), bare, "native calls outside Invoke-Native");
    }

    /** Account names are translated (VORDEFINIERT\Administratoren): icacls gets SIDs only, and its status is checked. */
    @Test
    void icaclsGrantsBySidAndItsExitCodeIsChecked() throws IOException {
        List<String> code = code();
        Pattern grant = Pattern.compile("['\"]([^'\"]*):\\((?:OI|CI)");
        List<String> named = new ArrayList<>();
        for (String line : code) {
            Matcher m = grant.matcher(line);
            while (m.find()) {
                if (!m.group(1).startsWith("*")) {
                    named.add(m.group());
                }
            }
        }
        assertEquals(List.of(), named, "icacls grants by name, not by SID");
        String all = String.join("\n", code);
        for (String sid : List.of("*S-1-5-18:", "*S-1-5-32-544:", "'S-1-5-19'", "'S-1-5-20'")) {
            assertTrue(all.contains(sid), "missing " + sid);
        }
        for (int i = 0; i < code.size(); i++) {
            if (code.get(i).contains("icacls.exe")) {
                assertTrue(i + 1 < code.size() && code.get(i + 1).startsWith("if ($LASTEXITCODE -ne 0) { Fail "),
                        "icacls status not checked after [" + code.get(i) + "]");
            }
        }
    }

    /** NetworkService uses the computer account on the network; LocalService presents anonymous credentials. */
    @Test
    void onlyNetworkServiceIsSaidToUseTheComputerAccount() throws IOException {
        List<String> wrong = comments().stream()
                .filter(l -> l.contains("LocalService") && (l.contains("as the computer") || l.contains("computer account"))
                        && !l.contains("NetworkService"))
                .toList();
        assertEquals(List.of(), wrong);
        String joined = comments().stream().map(l -> l.strip().replaceFirst("^#\\s*", "")).reduce("", (a, b) -> a + " " + b);
        assertTrue(joined.contains("(NetworkService is the one that uses the computer account)"),
                "the comment says which account uses the computer account");
    }
}
