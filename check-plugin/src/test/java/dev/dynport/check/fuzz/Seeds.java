package dev.dynport.check.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The inputs every mutation starts from: the constructed scenario snapshots, and snapshots assembled from the
 * real captures in {@code fixtures/} (byte copies of /work/shared/samples), each section a capture kept byte for
 * byte. The assembled ones are constructed as files (real sections, invented combination); the tasklist sections
 * are constructed because no real {@code tasklist /svc /fo csv} capture exists. A (seed, index) pair names one input
 * as long as this list and the mutator's operators stay as they are (the pick depends on both counts): a finding
 * worth keeping is kept as a fixture in fuzz-regressions/, not as its pair.
 */
final class Seeds {
    record Seed(String name, byte[] bytes) {
    }

    /**
     * Every section the reference reads and the mutator names when it renames a marker: the six required ones
     * first (in the order {@link #assemble} writes them), then the optional ones that tell which back-end ports
     * the host uses (an optional section may be absent; unreadable, it counts as absent).
     */
    static final String[] SECTION_NAMES = {
        "netsh-dynamicport-tcp-ipv4", "netsh-dynamicport-tcp-ipv6", "netsh-excludedportrange-tcp-ipv4",
        "netsh-excludedportrange-tcp-ipv6", "netstat-ano", "tasklist-svc-csv",
        "sc-qc-msexchangepop3be", "sc-queryex-msexchangepop3be", "sc-qc-msexchangeimap4be",
        "sc-queryex-msexchangeimap4be", "exchange-popimap-settings"};
    static final int REQUIRED_SECTIONS = 6;

    private static final String[] CONSTRUCTED = {
        "custom-proxy-port", "default-range", "ephemeral-reuse", "exchange-exposed", "exchange-foreign-holder",
        "exchange-protected", "garbled-dynamicport", "german-cp850-foreign-holder", "hyperv-reserved",
        "ipv6-only-exposed", "missing-ipv6-exclusions"};
    /** With sc.exe and settings sections (the "ports in use" situations); appended after the assembled seeds. */
    private static final String[] CONSTRUCTED_WITH_SERVICES = {
        "exchange2019-pop-off", "exchange2019-pop-frontend-running", "exchange2019-pop-on-1995",
        "exchange2013-9955-taken", "exchange2013-protected", "pop-disabled-hyperv-block", "no-popimap-installed",
        "sc-access-denied", "settings-error", "exchange2019-pop-frontend-hidden",
        "exchange2013-pop-stopped-imap-disabled"};

    private Seeds() {
    }

    static List<Seed> all() {
        List<Seed> seeds = new ArrayList<>();
        for (String name : CONSTRUCTED) {
            seeds.add(new Seed(name + "-constructed", resource("/snapshots/" + name + "-constructed.snapshot")));
        }
        // dynamicport v4, v6, excludedportrange v4, v6, netstat, tasklist (paths under /fixtures/)
        seeds.add(assemble("real-exchange-range-exposed", "\r\n", "dynamicport/v4-exch-en-01.txt",
                "dynamicport/v6-en-constructed-exchange-01.txt", "excludedportrange/v4-en-05.txt",
                "excludedportrange/v4-en-04.txt", "netstat/ano-en-02.txt", "tasklist/svc-csv-en-constructed-exchange-01.txt"));
        seeds.add(assemble("real-default-range", "\n", "dynamicport/v4-en-01.txt", "dynamicport/v4-en-01.txt",
                "excludedportrange/v4-en-01.txt", "excludedportrange/v4-en-06.txt", "netstat/ano-en-02.txt",
                "tasklist/svc-csv-en-constructed-exchange-01.txt"));
        seeds.add(assemble("real-exchange-protected", "\r\n", "dynamicport/v4-exch-en-01.txt",
                "dynamicport/v6-en-constructed-exchange-01.txt", "excludedportrange/v6-en-constructed-exchange-01.txt",
                "excludedportrange/v6-en-constructed-exchange-01.txt",
                "netstat/ano-en-constructed-server2019-exchange-01.txt", "tasklist/svc-csv-en-constructed-exchange-01.txt"));
        seeds.add(assemble("real-zh-low-range", "\n", "dynamicport/v4-zh-02.txt", "dynamicport/v4-zh-03.txt",
                "excludedportrange/v4-zh-01.txt", "excludedportrange/v4-zh-02.txt", "netstat/aon-findstr-zh-01.txt",
                "tasklist/svc-csv-zh-constructed-01.txt"));
        seeds.add(assemble("real-de-cp850", "\r\n", "dynamicport/v4-de-constructed-01.txt",
                "dynamicport/v4-exch-en-01.txt", "excludedportrange/v4-de-03.txt", "excludedportrange/v4-de-04.txt",
                "netstat/ano-de-constructed-cp850-01.txt", "tasklist/svc-csv-de-constructed-header-01.txt"));
        seeds.add(assemble("real-fr-ko-pt", "\r\n", "dynamicport/v4-zh-01.txt", "dynamicport/v4-zh-03.txt",
                "excludedportrange/v4-fr-01.txt", "excludedportrange/v4-ko-01.txt",
                "netstat/ano-en-constructed-overflow-01.txt", "tasklist/svc-csv-en-constructed-quotes-01.txt"));
        seeds.add(assemble("real-mixed-hyperv", "\n", "dynamicport/v4-exch-en-01.txt", "dynamicport/v4-exch-en-01.txt",
                "excludedportrange/v4-en-06.txt", "excludedportrange/v4-pt-01.txt",
                "netstat/ano-en-constructed-tcpv6-mapped-01.txt", "tasklist/svc-csv-en-constructed-exchange-01.txt"));
        seeds.add(assemble("real-wide-range", "\n", "dynamicport/v4-en-03-unwrapped", "dynamicport/v4-zh-02.txt",
                "excludedportrange/v4-en-07.txt", "excludedportrange/v4-en-08.txt", "netstat/ano-de-01.txt",
                "tasklist/svc-csv-en-constructed-exchange-01.txt"));
        for (String name : CONSTRUCTED_WITH_SERVICES) {
            seeds.add(new Seed(name + "-constructed", resource("/snapshots/" + name + "-constructed.snapshot")));
        }
        return List.copyOf(seeds);
    }

    /** Six captures under marker lines, in the order of the required {@link #SECTION_NAMES}. */
    private static Seed assemble(String name, String eol, String... paths) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < paths.length; i++) {
            out.writeBytes(("#@section " + SECTION_NAMES[i] + eol).getBytes(StandardCharsets.US_ASCII));
            byte[] body = paths[i].endsWith("-unwrapped") ? unwrappedPacker() : resource("/fixtures/" + paths[i]);
            out.writeBytes(body);
            if (body.length > 0 && body[body.length - 1] != '\n') {
                out.writeBytes(eol.getBytes(StandardCharsets.US_ASCII));
            }
        }
        return new Seed(name + "-assembled", out.toByteArray());
    }

    /** The packer log capture (range 1024 + 64511) without the log's {@code "    vhd: "} prefix on every line. */
    private static byte[] unwrappedPacker() {
        String text = new String(resource("/fixtures/dynamicport/v4-en-03.txt"), StandardCharsets.ISO_8859_1);
        return text.replaceAll("(?m)^    vhd: ?", "").getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] resource(String path) {
        try (InputStream in = Seeds.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("test resource missing: " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
