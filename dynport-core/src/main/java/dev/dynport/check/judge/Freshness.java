package dev.dynport.check.judge;

import dev.dynport.check.acquire.Section;
import dev.dynport.check.acquire.Snapshot;
import dev.dynport.check.model.CaptureInfo;
import dev.dynport.check.parse.CaptureInfoParser;
import dev.dynport.check.parse.LinuxCaptureInfoParser;
import dev.dynport.check.parse.OutputFormatException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Freshness and identity of a snapshot: how old it may be and which host it must come from ({@code --max-age},
 * {@code --expect-host}; the agent's {@code max_age}, {@code expect_host}). Either one demands a readable
 * {@code capture-info} section: a snapshot that cannot show its age or host is UNKNOWN, never passed.
 * Without either, the section is only shown, and a section that cannot be read is a note, not a verdict.
 *
 * @param maxAge the oldest capture accepted, or null for no limit
 * @param expectHost the host the snapshot must come from, or null for any
 */
public record Freshness(Duration maxAge, String expectHost) {
    public static final Freshness NONE = new Freshness(null, null);

    /**
     * How far a capture time may lie ahead of this machine's clock: two hosts synchronised by the Windows time
     * service stay within seconds; five minutes is Kerberos' default tolerance, so a domain member past it has
     * failing logons anyway.
     */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /** The longest {@code --max-age}/{@code max_age}. */
    public static final Duration MAX_AGE_LIMIT = Duration.ofDays(3650);
    /** What a face says after its option name or JSON path when {@link #maxAge(String)} refuses a value. */
    public static final String MAX_AGE_RULE = "must be a whole number and a unit s, m, h or d (e.g. 26h), from 1s to"
            + " 3650d";
    /** What a face says when {@link #isHostName(String)} refuses a value. */
    public static final String HOST_RULE = "must be a host name (letters, digits, '-', '_', labels separated by dots)";
    private static final Pattern DURATION = Pattern.compile("(\\d{1,7})(s|m|h|d)");
    /** A host name as hostname prints it, or a fully qualified one. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_-]{1,63}(\\.[A-Za-z0-9_-]{1,63}){0,126}");

    /** A max age as both faces take it: one whole number and one unit, 1s to 3650d; empty otherwise. */
    public static Optional<Duration> maxAge(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        return d.isZero() || d.compareTo(MAX_AGE_LIMIT) > 0 ? Optional.empty() : Optional.of(d);
    }

    /** Whether {@code text} is a host name as {@code --expect-host}/{@code expect_host} take it. */
    public static boolean isHostName(String text) {
        return text.length() <= 253 && HOST.matcher(text).matches();
    }

    public Freshness {
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
        }
        if (expectHost != null && expectHost.isBlank()) {
            throw new IllegalArgumentException("expectHost is blank");
        }
    }

    public boolean demanded() {
        return maxAge != null || expectHost != null;
    }

    /** What the section says and what is wrong with it under this policy. */
    record Outcome(CaptureInfo info, List<String> problems, List<String> notes) {
    }

    Outcome evaluate(Snapshot snapshot, Clock clock) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        // A Linux capture has its own capture-info section (uname, date); SnapshotParsing refuses a mix of both sets.
        boolean linux = snapshot.has(Section.LINUX_CAPTURE_INFO);
        Section section = linux ? Section.LINUX_CAPTURE_INFO : Section.CAPTURE_INFO;
        String text = snapshot.section(section).orElse(null);
        if (text == null) {
            if (demanded()) {
                problems.add("snapshot has no capture-info section, so its " + demandedWhat()
                        + " cannot be checked (captured by an older capture-snapshot.cmd or check_dynport?)");
            }
            return new Outcome(null, problems, notes);
        }
        CaptureInfo info;
        try {
            info = linux ? LinuxCaptureInfoParser.parse(text) : CaptureInfoParser.parse(text);
        } catch (OutputFormatException e) {
            String why = SnapshotParsing.describe(section, e);
            (demanded() ? problems : notes).add("section " + section.sectionName() + " unreadable, " + why);
            return new Outcome(null, problems, notes);
        }
        if (expectHost != null && !shortName(expectHost).equals(shortName(info.host()))) {
            problems.add("snapshot is from host [" + info.host() + "], expected [" + expectHost
                    + "] (host names compared without domain, ignoring case)");
        }
        if (maxAge != null) {
            Instant now = clock.instant();
            Duration age = Duration.between(info.capturedAt(), now);
            if (age.compareTo(maxAge) > 0) {
                problems.add("snapshot is stale: captured " + utc(info.capturedAt()) + ", " + human(age)
                        + " ago, more than the allowed " + human(maxAge));
            } else if (age.negated().compareTo(CLOCK_SKEW) > 0) {
                problems.add("snapshot capture time " + utc(info.capturedAt()) + " is " + human(age.negated())
                        + " in the future, more than the " + human(CLOCK_SKEW)
                        + " clock-skew allowance: the host's or this machine's clock is wrong");
            }
        }
        return new Outcome(info, problems, notes);
    }

    private String demandedWhat() {
        return maxAge != null && expectHost != null ? "age and host" : maxAge != null ? "age" : "host";
    }

    /** The part before the first dot, upper-cased: what hostname prints is a short name, users may give an FQDN. */
    static String shortName(String host) {
        int dot = host.indexOf('.');
        return (dot < 0 ? host : host.substring(0, dot)).toUpperCase(Locale.ROOT);
    }

    static String utc(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** {@code 3d 4h}, {@code 2h 5m}, {@code 7m 12s}, {@code 40s}: the two largest units, enough to judge an age. */
    static String human(Duration d) {
        long s = d.getSeconds();
        long days = s / 86_400;
        long hours = s % 86_400 / 3600;
        long minutes = s % 3600 / 60;
        long seconds = s % 60;
        if (days > 0) {
            return days + "d" + (hours > 0 ? " " + hours + "h" : "");
        }
        if (hours > 0) {
            return hours + "h" + (minutes > 0 ? " " + minutes + "m" : "");
        }
        if (minutes > 0) {
            return minutes + "m" + (seconds > 0 ? " " + seconds + "s" : "");
        }
        return seconds + "s";
    }
}
