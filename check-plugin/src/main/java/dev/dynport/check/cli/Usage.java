package dev.dynport.check.cli;

/**
 * The text of {@code --help}: commons-cli's HelpFormatter layout of {@link Arguments#options()} at width 100, kept
 * here as text so that {@code check_dynport --help} prints it without building the options, parsing or laying out
 * anything (a third of a {@code --help} run, docs/startup.md). UsageTest fails with the new text when an option
 * changes and this text does not.
 */
final class Usage {
    static final String TEXT = """
            usage: check_dynport (--snapshot FILE | --local | -H HOST [-l USER] [-i KEY]) [options]

            Checks that fixed service ports cannot be taken by the TCP dynamic port range (Exchange on Windows;
            Linux).

                 --accept-new-host-key              add a first-seen host key to the known_hosts file (a changed
                                                    key is still refused)
                 --audit                            list every listener exposed to the dynamic range or inside a
                                                    system reservation, by process (docs/audit.md); exit 0
                                                    unless the input is unreadable
              -c,--critical <RANGE>                 CRITICAL likewise (e.g. -w 80% -c 95%)
                 --charset <NAME>                   OEM code page of non-UTF-8 output (default IBM850; e.g.
                                                    IBM437, 932, 936)
                 --expect-host <NAME>               UNKNOWN when the snapshot comes from another host (short
                                                    name, case-insensitive)
                 --expect-listening                 CRITICAL when no owner listens on a watched port
                 --explain <PORT>                   say why PORT can or cannot be bound, per family, with the
                                                    fix (docs/audit.md)
                 --exposed-state <STATE>            state of a port exposed to the dynamic range: warning
                                                    (default) or critical
                 --format <FORMAT>                  nagios (default), json, or nrpe (status line and perfdata
                                                    only, at most 1023 bytes: for check_nrpe/NSClient++ with
                                                    NRPE v2's 1024-byte payload)
              -h,--help                             print this help and exit
              -H,--hostname <HOST>                  check this Windows host over SSH (Win32-OpenSSH)
              -i,--identity <FILE>                  private key, OpenSSH or PEM format, ed25519/ECDSA/RSA;
                                                    repeatable (default: unencrypted ~/.ssh/id_ed25519,
                                                    id_ecdsa, id_rsa)
                 --identity-passphrase-file <FILE>  file holding the passphrase of the -i key(s)
                 --imap4-backend-port <PORT>        the IMAP4 back-end's ProxyTargetPort (Get-ImapSettings),
                                                    e.g. 1993
                 --known-hosts <FILE>               OpenSSH known_hosts file to verify the host key against
                                                    (default ~/.ssh/known_hosts)
              -l,--logname <USER>                   remote user (default: $USER)
                 --local                            run the commands on this host (Windows, or Linux:
                                                    docs/linux.md)
                 --max-age <DURATION>               UNKNOWN when the snapshot was captured longer ago than
                                                    DURATION (e.g. 90m, 26h, 2d)
              -p,--ssh-port <PORT>                  SSH port (default 22)
                 --password-file <FILE>             file holding the password (else $DYNPORT_SSH_PASSWORD);
                                                    never give it on the command line
                 --platform <OS>                    the -H host's OS: windows (default; runs netsh, netstat,
                                                    tasklist) or linux (runs the sysctl reads and ss -tanpH;
                                                    docs/linux.md)
                 --pop3-backend-port <PORT>         the POP3 back-end's ProxyTargetPort (Get-PopSettings), e.g.
                                                    1995; its other profile port is then not in use
                 --port <PORT[:LABEL[:OWNER,...]]>  also watch PORT; OWNER is a service or image name allowed to
                                                    hold it (repeatable)
                 --profile <NAME>                   watched ports: exchange-popimap (default), exchange, none; a
                                                    Linux target takes none and needs --port
                 --save-snapshot <FILE>             write what the host printed, byte for byte, to FILE
                 --snapshot <FILE>                  read a snapshot captured by capture-snapshot.cmd or
                                                    --save-snapshot
              -t,--timeout <SECONDS>                bound for the whole check; UNKNOWN past it (default 30)
                 --unreachable-state <STATE>        state when the host cannot be reached: unknown (default),
                                                    critical or warning
              -V,--version                          print the version and exit
              -v,--verbose                          add the parsed evidence to the long output
              -w,--warning <RANGE>                  WARNING when a family's dynamic ports in use are outside
                                                    RANGE (Monitoring Plugins ranges: 10 = over 10, 10: = under
                                                    10, ~:10, 10:20, @10:20 = inside; a bound may be a
                                                    percentage of the available ports: 80%)
                 --watch-unused                     judge profile ports even where the evidence shows this host
                                                    does not use them

            Exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. Details: README.md.
            """;

    private Usage() {
    }

    /** Only {@code --help} or {@code -h}: anything more goes through the parser, which may refuse it. */
    static boolean isOnlyHelp(String[] args) {
        return args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"));
    }

    /** With the platform's line separator, as HelpFormatter printed it. */
    static String text() {
        return "\n".equals(System.lineSeparator()) ? TEXT : TEXT.replace("\n", System.lineSeparator());
    }
}
