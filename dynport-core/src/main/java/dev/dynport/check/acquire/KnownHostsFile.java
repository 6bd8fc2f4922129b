package dev.dynport.check.acquire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An OpenSSH known_hosts file, read with OpenSSH's matching rules (sshd(8), "SSH_KNOWN_HOSTS FILE FORMAT"):
 *
 * <pre>
 * [@revoked|@cert-authority] PATTERNS KEYTYPE BASE64KEY [COMMENT]
 * exch01.corp.example,10.0.0.5 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI...
 * [exch01.corp.example]:2222 ecdsa-sha2-nistp256 AAAAE2VjZHNh...
 * |1|SALT_BASE64|HMAC_SHA1_BASE64 ssh-rsa AAAAB3NzaC1yc2E...      (HashKnownHosts yes)
 * !bad.example,*.corp.example ssh-ed25519 AAAA...                 (wildcards, negation)
 * </pre>
 *
 * A host on a port other than 22 is looked up only as {@code [host]:port}, as OpenSSH does (JSch's own
 * KnownHosts falls back to the bare host name; that is why this class exists). Lines that do not parse are
 * skipped, as OpenSSH skips them; {@code @cert-authority} lines are ignored (no certificate support).
 */
final class KnownHostsFile {
    /** One usable line. {@code blob} is the decoded public key. */
    record Entry(boolean revoked, String patterns, byte[] blob) {
        String type() {
            return HostKeys.type(blob);
        }
    }

    private final Path path;
    private final List<Entry> entries;

    private KnownHostsFile(Path path, List<Entry> entries) {
        this.path = path;
        this.entries = List.copyOf(entries);
    }

    /** Reads the file; a missing file is an empty one (strict checking then refuses every key). */
    static KnownHostsFile read(Path path) throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            lines = List.of();
        }
        for (String line : lines) {
            parseLine(line).ifPresent(entries::add);
        }
        return new KnownHostsFile(path, entries);
    }

    static Optional<Entry> parseLine(String line) {
        String s = line.strip();
        if (s.isEmpty() || s.startsWith("#")) {
            return Optional.empty();
        }
        String[] f = s.split("[ \t]+");
        int i = 0;
        boolean revoked = false;
        if (f[0].startsWith("@")) {
            if (f[0].equals("@revoked")) {
                revoked = true;
            } else {
                return Optional.empty();
            }
            i = 1;
        }
        if (f.length < i + 3) {
            return Optional.empty();
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(f[i + 2]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!HostKeys.type(blob).equals(f[i + 1])) {
            return Optional.empty();
        }
        return Optional.of(new Entry(revoked, f[i], blob));
    }

    Path path() {
        return path;
    }

    /** The entries whose host patterns match {@code name} (a {@link SshTarget#knownHostsName()}). */
    List<Entry> matching(String name) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (hostMatches(e.patterns(), name)) {
                out.add(e);
            }
        }
        return out;
    }

    static boolean hostMatches(String patterns, String name) {
        if (patterns.startsWith("|1|")) {
            return hashedMatches(patterns, name);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        boolean positive = false;
        for (String p : patterns.split(",")) {
            boolean negated = p.startsWith("!");
            String pattern = (negated ? p.substring(1) : p).toLowerCase(Locale.ROOT);
            if (glob(pattern, 0, lower, 0)) {
                if (negated) {
                    return false;
                }
                positive = true;
            }
        }
        return positive;
    }

    private static boolean hashedMatches(String hashed, String name) {
        String[] parts = hashed.split("\\|");
        // "", "1", salt, hash
        if (parts.length != 4) {
            return false;
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            byte[] actual = mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(expected, actual);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    /** OpenSSH's match_pattern: {@code *} any run, {@code ?} one character. */
    private static boolean glob(String p, int pi, String s, int si) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                for (int k = si; k <= s.length(); k++) {
                    if (glob(p, pi + 1, s, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (si >= s.length() || (c != '?' && c != s.charAt(si))) {
                return false;
            }
            pi++;
            si++;
        }
        return si == s.length();
    }

    static boolean sameKey(Entry e, byte[] blob) {
        return Arrays.equals(e.blob(), blob);
    }
}
