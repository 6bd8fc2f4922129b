package dev.dynport.check.acquire;

import dev.dynport.check.model.Platform;
import java.util.List;
import java.util.Optional;

/**
 * The sections of a snapshot, each the output of one command, introduced in the snapshot by a marker line
 * {@code #@section NAME}. {@code argv} is the fixed argument list run on the Windows host (no shell); the
 * {@linkplain #platform() Linux} sections have none (see {@link LinuxCapture}).
 * A {@linkplain #captureScriptOnly() capture-script-only} section has no argv: only
 * {@code templates/windows/capture-snapshot.cmd} writes it; the reader accepts it, no other source runs it.
 */
public enum Section {
    /**
     * Host name, capture time and OS version: what makes a snapshot file checkable for freshness and identity.
     * One PowerShell call because cmd.exe has no language-independent clock ({@code %DATE%} follows the user's
     * locale; {@code wmic} is deprecated and missing on current Windows). The text holds no quote, {@code $},
     * {@code %} or backslash, so the cmd and PowerShell default shells pass it on unchanged; PowerShell joins the
     * arguments after {@code -Command} with blanks. {@code -InputFormat None}: powershell.exe otherwise waits for
     * a redirected stdin to close. Output shape: {@link dev.dynport.check.parse.CaptureInfoParser}.
     */
    CAPTURE_INFO("capture-info", "powershell", "-NoProfile", "-NonInteractive", "-InputFormat", "None", "-Command",
            "hostname;Get-Date", "-Format", "o;[Environment]::OSVersion.VersionString"),
    DYNAMICPORT_TCP_IPV4("netsh-dynamicport-tcp-ipv4", "netsh", "int", "ipv4", "show", "dynamicport", "tcp"),
    DYNAMICPORT_TCP_IPV6("netsh-dynamicport-tcp-ipv6", "netsh", "int", "ipv6", "show", "dynamicport", "tcp"),
    EXCLUDED_TCP_IPV4("netsh-excludedportrange-tcp-ipv4", "netsh", "int", "ipv4", "show", "excludedportrange", "protocol=tcp"),
    EXCLUDED_TCP_IPV6("netsh-excludedportrange-tcp-ipv6", "netsh", "int", "ipv6", "show", "excludedportrange", "protocol=tcp"),
    NETSTAT("netstat-ano", "netstat", "-ano"),
    TASKLIST("tasklist-svc-csv", "tasklist", "/svc", "/fo", "csv", "/nh"),
    /*
     * The back-end services' start type and state, read from the numbers sc.exe prints (its labels are
     * translated, the numbers and C constant names are not). After tasklist so that the older sections keep their
     * place; a snapshot made before these existed simply lacks them. "sc.exe", not "sc": in PowerShell "sc" is
     * the Set-Content alias. sc exits non-zero for a service that is not installed (1060); the capture command
     * ends with its own exit status for that reason (see CaptureCommand).
     */
    SC_QC_POP3BE("sc-qc-msexchangepop3be", "sc.exe", "qc", "MSExchangePOP3BE"),
    SC_QUERYEX_POP3BE("sc-queryex-msexchangepop3be", "sc.exe", "queryex", "MSExchangePOP3BE"),
    SC_QC_IMAP4BE("sc-qc-msexchangeimap4be", "sc.exe", "qc", "MSExchangeIMAP4BE"),
    SC_QUERYEX_IMAP4BE("sc-queryex-msexchangeimap4be", "sc.exe", "queryex", "MSExchangeIMAP4BE"),
    /**
     * The POP3/IMAP4 back-ends' {@code ProxyTargetPort}, read through the Exchange Management Shell: only the
     * capture script runs it, on the Exchange server, because connecting the shell takes seconds and needs an
     * Exchange RBAC role, which a monitoring account over SSH should not need. Output shape and the script's
     * lines: {@link dev.dynport.check.parse.BackendSettingsParser}.
     */
    EXCHANGE_POPIMAP_SETTINGS("exchange-popimap-settings", true,
            "Get-PopSettings/Get-ImapSettings ProxyTargetPort (Exchange Management Shell, capture-snapshot.cmd)"),

    /*
     * The Linux set (docs/linux.md). Each text is the command as a user would type it; --local reads the files
     * itself and runs ss by its full path, SSH runs LinuxCapture's line. ss is preferred; the /proc/net/tcp pair
     * is written instead when ss is missing (it names no process).
     */
    /** Host, time, kernel: {@code uname -n}, {@code date +%Y-%m-%dT%H:%M:%S%z}, {@code uname -sr}. */
    LINUX_CAPTURE_INFO("linux-capture-info", Platform.LINUX, "uname -n; date +%Y-%m-%dT%H:%M:%S%z; uname -sr"),
    LINUX_PORT_RANGE("linux-ip_local_port_range", Platform.LINUX, "cat /proc/sys/net/ipv4/ip_local_port_range"),
    LINUX_RESERVED_PORTS("linux-ip_local_reserved_ports", Platform.LINUX,
            "cat /proc/sys/net/ipv4/ip_local_reserved_ports"),
    LINUX_SS("linux-ss-tanpH", Platform.LINUX, "ss -tanpH"),
    LINUX_PROC_NET_TCP("linux-proc-net-tcp", Platform.LINUX, "cat /proc/net/tcp"),
    LINUX_PROC_NET_TCP6("linux-proc-net-tcp6", Platform.LINUX, "cat /proc/net/tcp6");

    public static final String MARKER_PREFIX = "#@section ";

    private final String sectionName;
    private final List<String> argv;
    private final boolean captureScriptOnly;
    private final String commandLine;
    private final Platform platform;

    Section(String sectionName, String... argv) {
        this.sectionName = sectionName;
        this.argv = List.of(argv);
        this.captureScriptOnly = false;
        this.commandLine = String.join(" ", argv);
        this.platform = Platform.WINDOWS;
    }

    /** A section only the capture script writes; {@code described} names its command in messages. */
    Section(String sectionName, boolean captureScriptOnly, String described) {
        this.sectionName = sectionName;
        this.argv = List.of();
        this.captureScriptOnly = captureScriptOnly;
        this.commandLine = described;
        this.platform = Platform.WINDOWS;
    }

    /** A section of another platform than Windows: no Windows argv; {@code commandLine} is what it shows. */
    Section(String sectionName, Platform platform, String commandLine) {
        this.sectionName = sectionName;
        this.argv = List.of();
        this.captureScriptOnly = false;
        this.commandLine = commandLine;
        this.platform = platform;
    }

    /** Whose output the section holds; a snapshot holds the sections of one platform only. */
    public Platform platform() {
        return platform;
    }

    /** The name after {@code #@section} in a snapshot. */
    public String sectionName() {
        return sectionName;
    }

    /** Empty for a {@linkplain #captureScriptOnly() capture-script-only} section. */
    public List<String> argv() {
        return argv;
    }

    /**
     * Written only by {@code capture-snapshot.cmd}, never by SSH or {@code --local} ({@link CaptureCommand#sections()}
     * leaves it out), so a snapshot may lack it: it is optional for every source.
     */
    public boolean captureScriptOnly() {
        return captureScriptOnly;
    }

    /** The command as a user would type it (for a capture-script-only section, what it reads); used in messages. */
    public String commandLine() {
        return commandLine;
    }

    /**
     * The service an {@code sc.exe qc|queryex NAME} section is about ({@code MSExchangePOP3BE}); empty for every
     * other section.
     */
    public Optional<String> service() {
        return !argv.isEmpty() && argv.get(0).equals("sc.exe") ? Optional.of(argv.get(2)) : Optional.empty();
    }

    /** {@code sc.exe qc NAME}: read by {@code parse.ScQcParser}. */
    public boolean isServiceConfig() {
        return service().isPresent() && argv.get(1).equals("qc");
    }

    /** {@code sc.exe queryex NAME}: read by {@code parse.ScQueryExParser}. */
    public boolean isServiceStatus() {
        return service().isPresent() && argv.get(1).equals("queryex");
    }

    public static Optional<Section> byName(String name) {
        for (Section s : values()) {
            if (s.sectionName.equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
