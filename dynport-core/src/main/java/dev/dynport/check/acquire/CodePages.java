package dev.dynport.check.acquire;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Names of the code page console output is decoded in, as users write them: a Java charset name ({@code IBM850},
 * {@code windows-1252}) or a Windows code page number as {@code chcp} prints it ({@code 850}, {@code 932},
 * {@code 65001} = UTF-8). Shared by the check's {@code --charset} and the agent's {@code charset} config field;
 * each caller words its own error.
 */
public final class CodePages {
    private CodePages() {
    }

    /** The charset {@code name} stands for, or empty when this Java runtime knows none by that name. */
    public static Optional<Charset> forName(String name) {
        if (name.equals("65001")) {
            return Optional.of(StandardCharsets.UTF_8);
        }
        // Java spells code page numbers in several ways; which ones exist depends on the runtime's charsets.
        // "MS" first: for the East Asian console code pages (932, 936, 949, 950) Windows uses Microsoft's
        // variants (MS932 = windows-31j), while Cp932/IBM942C are IBM's; OEM pages such as 437 and 850 have no
        // MS alias and fall through to Cp/IBM.
        List<String> candidates = !name.isEmpty() && allDigits(name)
                ? List.of("MS" + name, "Cp" + name, "IBM" + name, "x-IBM" + name, "x-mswin-" + name, "windows-" + name)
                : List.of(name);
        for (String candidate : candidates) {
            try {
                return Optional.of(Charset.forName(candidate));
            } catch (IllegalArgumentException notThisOne) {
                // try the next alias
            }
        }
        return Optional.empty();
    }

    private static boolean allDigits(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
