#!/usr/bin/env python3
"""Writes the CONSTRUCTED scenario snapshots used by the CLI black-box tests and the README demo.

Each is modelled on the real formats in ../fixtures (real captures from ../../../../../shared/samples): netsh
dynamicport and excludedportrange layouts with their padding, netstat -ano columns, tasklist /svc /fo csv rows.
The numbers and processes are invented to stage one situation each; none of these files is a real capture.
Run: python3 make_constructed.py   (writes *-constructed.snapshot beside it, CRLF like Windows).
"""

def dynamic(start, count):
    return ["", "Protocol tcp Dynamic Port Range", "---------------------------------",
            f"Start Port      : {start}", f"Number of Ports : {count}", "", ""]

def excluded(rows):
    out = ["", "Protocol tcp Port Exclusion Ranges", "", "Start Port    End Port      ", "----------    --------      "]
    for start, end, admin in rows:
        out.append(f"{start:>10}  {end:>10}     {'*' if admin else ' '}")
    return out + ["", "* - Administered port exclusions.", ""]

def netstat(rows):
    out = ["", "Active Connections", "", "  Proto  Local Address          Foreign Address        State           PID"]
    for local, foreign, state, pid in rows:
        out.append(f"  TCP    {local:<23}{foreign:<23}{state:<16}{pid}")
    out.append(f"  UDP    0.0.0.0:123            *:*                                    1096")
    return out

def tasklist(rows):
    return [f'"{image}","{pid}","{services}"' for image, pid, services in rows]

BASE_PROCESSES = [
    ("System Idle Process", 0, "N/A"), ("System", 4, "N/A"),
    ("svchost.exe", 888, "RpcEptMapper,RpcSs"), ("svchost.exe", 1240, "Dnscache,NlaSvc"),
    ("lsass.exe", 700, "KeyIso,Netlogon,SamSs"),
    ("Microsoft.Exchange.Imap4Service.exe", 5100, "MSExchangeIMAP4BE"),
    ("Microsoft.Exchange.Imap4Service.exe", 5200, "MSExchangeImap4"),
    ("Microsoft.Exchange.Pop3Service.exe", 5300, "MSExchangePOP3BE"),
    ("Microsoft.Exchange.Pop3Service.exe", 5400, "MSExchangePop3"),
    ("msexchangerepl.exe", 4800, "MSExchangeRepl"),
    ("Microsoft.Exchange.ServiceHost.exe", 4900, "MSExchangeServiceHost"),
]

def without(pid):
    """The process list with one back-end not running: a back-end whose port is taken fails to start."""
    return [p for p in BASE_PROCESSES if p[1] != pid]

def listeners(port, pid):
    return [(f"0.0.0.0:{port}", "0.0.0.0:0", "LISTENING", pid), (f"[::]:{port}", "[::]:0", "LISTENING", pid)]

BASE_SOCKETS = (listeners(135, 888) + listeners(445, 4) + listeners(110, 5400) + listeners(143, 5200)
                + listeners(995, 5400) + listeners(993, 5200))
EXCHANGE_BE = listeners(9933, 5100) + listeners(1993, 5100) + listeners(9955, 5300) + listeners(1995, 5300)
SYSTEM_ROWS = [(80, 80, False), (5985, 5985, False), (47001, 47001, False)]
ADMIN_ROWS = [(9933, 9933, True), (9955, 9955, True)]

def snapshot(name, sections, encodings=None):
    """encodings: section name -> code page of that section's bytes (default UTF-8, as after chcp 65001)."""
    data = b""
    for section, body in sections:
        data += f"#@section {section}\r\n".encode("ascii")
        data += ("\r\n".join(body) + "\r\n").encode((encodings or {}).get(section, "utf-8"))
    with open(f"{name}-constructed.snapshot", "wb") as f:
        f.write(data)

def standard(v4_excl, v6_excl, sockets, processes=BASE_PROCESSES, v4=(6005, 59530), v6=(6005, 59530)):
    return [("netsh-dynamicport-tcp-ipv4", dynamic(*v4)), ("netsh-dynamicport-tcp-ipv6", dynamic(*v6)),
            ("netsh-excludedportrange-tcp-ipv4", excluded(v4_excl)),
            ("netsh-excludedportrange-tcp-ipv6", excluded(v6_excl)),
            ("netstat-ano", netstat(sockets)), ("tasklist-svc-csv", tasklist(processes))]

# All four back-end ports excluded or outside the range, owners listening: OK.
snapshot("exchange-protected", standard(SYSTEM_ROWS + ADMIN_ROWS, ADMIN_ROWS, BASE_SOCKETS + EXCHANGE_BE))
# Exchange range, no exclusions: 9933 and 9955 EXPOSED in both families: WARNING.
snapshot("exchange-exposed", standard(SYSTEM_ROWS, [], BASE_SOCKETS + EXCHANGE_BE))
# The 2014 CU5 incident: svchost (Dnscache) got 9955 as the source port of a connection to a GC (389);
# MSExchangePOP3BE cannot bind 9955 and is not running (a back-end binds only its ProxyTargetPort: had it been
# listening on 1995, 9955 would not be its port): CRITICAL FOREIGN_HOLDER.
snapshot("exchange-foreign-holder", standard(SYSTEM_ROWS, [], BASE_SOCKETS
        + listeners(9933, 5100) + listeners(1993, 5100)
        + [("10.0.0.25:9955", "10.0.0.10:389", "ESTABLISHED", 1240)], processes=without(5300)))
# WinNAT reserved 9900-9999 (unmarked) on IPv4 only: CRITICAL SYSTEM_RESERVED for 9933 and 9955 on ipv4.
snapshot("hyperv-reserved", standard(SYSTEM_ROWS + [(9900, 9999, False)], ADMIN_ROWS, BASE_SOCKETS + EXCHANGE_BE))
# IPv4 protected, IPv6 not: WARNING for ipv6 only.
snapshot("ipv6-only-exposed", standard(SYSTEM_ROWS + ADMIN_ROWS, [], BASE_SOCKETS + EXCHANGE_BE))
# IMAP4BE not running; TIME_WAIT with PID 0 on 9933: the allocator handed it out: WARNING RECENT_EPHEMERAL_USE.
snapshot("ephemeral-reuse", standard(SYSTEM_ROWS + [(9955, 9955, True)], [(9955, 9955, True)], BASE_SOCKETS
        + listeners(9955, 5300) + listeners(1995, 5300)
        + [("10.0.0.25:9933", "10.0.0.11:443", "TIME_WAIT", 0)], processes=without(5100)))
# Windows default range 49152-65535 (no Exchange range): profile ports outside the range: OK.
snapshot("default-range", standard(SYSTEM_ROWS, [], BASE_SOCKETS + EXCHANGE_BE, v4=(49152, 16384), v6=(49152, 16384)))
# POP3 back-end on a non-default ProxyTargetPort 12995 (discovered), exposed: WARNING naming 12995.
snapshot("custom-proxy-port", standard(SYSTEM_ROWS + ADMIN_ROWS, ADMIN_ROWS, BASE_SOCKETS + EXCHANGE_BE
        + listeners(12995, 5300)))
# The IPv6 exclusion section is missing (capture cut short): UNKNOWN naming it.
full = standard(SYSTEM_ROWS + ADMIN_ROWS, ADMIN_ROWS, BASE_SOCKETS + EXCHANGE_BE)
snapshot("missing-ipv6-exclusions", [s for s in full if s[0] != "netsh-excludedportrange-tcp-ipv6"])
# The IPv4 dynamicport section holds an error message instead of the table: UNKNOWN naming it.
snapshot("garbled-dynamicport", [(n, ["'netsh' is not recognized as an internal or external command,",
        "operable program or batch file."] if n == "netsh-dynamicport-tcp-ipv4" else b) for n, b in full])
# German Windows without chcp 65001: netstat in CP850 with translated header and states (ABHÖREN, HERGESTELLT),
# modelled on the real fixture netstat de-01; a foreign process holds 9933: CRITICAL, read through the OEM bytes.
german = standard(SYSTEM_ROWS, [], [], processes=without(5100))
german_netstat = ["", "Aktive Verbindungen", "", "  Proto  Lokale Adresse         Remoteadresse          Status          PID"]
for local, foreign, state, pid in (BASE_SOCKETS + listeners(9955, 5300) + listeners(1995, 5300)
        + [("10.0.0.25:9933", "10.0.0.10:445", "ESTABLISHED", 1240)]):
    word = {"LISTENING": "ABHÖREN", "ESTABLISHED": "HERGESTELLT"}[state]
    german_netstat.append(f"  TCP    {local:<23}{foreign:<23}{word:<16}{pid}")
german = [(n, german_netstat if n == "netstat-ano" else b) for n, b in german]
snapshot("german-cp850-foreign-holder", german, {"netstat-ano": "cp850"})
# exchange profile: MSExchangeRepl and MSExchangeServiceHost also listen on RPC dynamic endpoints (6744, 6790,
# 49800); their fixed ports are excluded. Discovery must not add the RPC endpoints: OK.
EXCHANGE_ADMIN = ADMIN_ROWS + [(9710, 9710, True), (64327, 64327, True), (64337, 64337, True)]
snapshot("exchange-rpc-listeners", standard(SYSTEM_ROWS + EXCHANGE_ADMIN, EXCHANGE_ADMIN, BASE_SOCKETS + EXCHANGE_BE
        + listeners(9710, 4900) + listeners(6790, 4900) + listeners(64327, 4800) + listeners(64337, 4800)
        + listeners(6744, 4800) + listeners(49800, 4800)))
# Least-privilege account (network logon, no right to enumerate services): tasklist /svc prints N/A for every
# process, svchost.exe included. The back-ends listen on their ports, which are protected.
BLIND_PROCESSES = [(image, pid, "N/A") for image, pid, _ in BASE_PROCESSES]
snapshot("blind-tasklist", standard(SYSTEM_ROWS + ADMIN_ROWS, ADMIN_ROWS, BASE_SOCKETS + EXCHANGE_BE,
        processes=BLIND_PROCESSES))
# Same account; svchost.exe (PID 1240) holds 9955 as the source port of a connection to a GC, and the POP3
# back-end image listens only on 1995: svchost.exe cannot be the POP3 back-end whatever its services are.
snapshot("blind-tasklist-foreign-holder", standard(SYSTEM_ROWS + ADMIN_ROWS, ADMIN_ROWS, BASE_SOCKETS
        + listeners(9933, 5100) + listeners(1993, 5100) + listeners(1995, 5300)
        + [("10.0.0.25:9955", "10.0.0.10:389", "ESTABLISHED", 1240)], processes=BLIND_PROCESSES))
# An unmarked single-port exclusion on 9955 with System (PID 4, http.sys) listening on it: a URL reservation
# made through the port reservation API, no WinNAT on the host. MSExchangePOP3BE could not bind 9955: not running.
snapshot("httpsys-reserved", standard(SYSTEM_ROWS + [(9933, 9933, True), (9955, 9955, False)],
        [(9933, 9933, True), (9955, 9955, False)], BASE_SOCKETS + listeners(9933, 5100) + listeners(1993, 5100)
        + listeners(9955, 4), processes=without(5300)))
# An unmarked single-port exclusion on 9955 with nobody listening: some reservation, owner unknown.
snapshot("unknown-single-reserved", standard(SYSTEM_ROWS + [(9933, 9933, True), (9955, 9955, False)],
        [(9933, 9933, True), (9955, 9955, False)], BASE_SOCKETS + listeners(9933, 5100) + listeners(1993, 5100),
        processes=without(5300)))

# ---- Which ports the server really uses: sc.exe sections (start type, state) and the capture script's settings.
# Shapes as sc.exe prints them in English (the parsers read the numbers and constant names only).
START = {"auto": (2, "AUTO_START"), "manual": (3, "DEMAND_START"), "disabled": (4, "DISABLED")}
STATE = {"stopped": (1, "STOPPED"), "running": (4, "RUNNING")}

def sc_qc(service, start):
    if isinstance(start, int):
        return [f"[SC] OpenService FAILED {start}:", "", "The specified service does not exist as an installed service."
                if start == 1060 else "Access is denied.", ""]
    code, name = START[start]
    return ["[SC] QueryServiceConfig SUCCESS", "", f"SERVICE_NAME: {service}",
            "        TYPE               : 10  WIN32_OWN_PROCESS ", f"        START_TYPE         : {code}   {name}",
            "        ERROR_CONTROL      : 1   NORMAL", "        TAG                : 0",
            f"        DISPLAY_NAME       : {service}", "        SERVICE_START_NAME : LocalSystem", ""]

def sc_queryex(service, state, pid=0):
    if isinstance(state, int):
        return [f"[SC] EnumQueryServicesStatus:OpenService FAILED {state}:", "",
                "The specified service does not exist as an installed service." if state == 1060 else "Access is denied.", ""]
    code, name = STATE[state]
    lines = ["", f"SERVICE_NAME: {service}", "        TYPE               : 10  WIN32_OWN_PROCESS  ",
             f"        STATE              : {code}  {name} "]
    if state == "running":
        lines.append("                                (STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)")
    return lines + ["        WIN32_EXIT_CODE    : 0  (0x0)", "        SERVICE_EXIT_CODE  : 0  (0x0)",
                    "        CHECKPOINT         : 0x0", "        WAIT_HINT          : 0x0", f"        PID                : {pid}",
                    "        FLAGS              : ", ""]

def services(pop3, imap4):
    """pop3/imap4: (start, state, pid); start/state may be a Windows error code (1060 not installed, 5 denied)."""
    out = []
    for service, (start, state, pid) in (("MSExchangePOP3BE", pop3), ("MSExchangeIMAP4BE", imap4)):
        key = service.lower()
        out += [(f"sc-qc-{key}", sc_qc(service, start)), (f"sc-queryex-{key}", sc_queryex(service, state, pid))]
    return out

def settings(pop3, imap4):
    return [("exchange-popimap-settings", [f"MSExchangePOP3BE ProxyTargetPort {pop3}",
                                           f"MSExchangeIMAP4BE ProxyTargetPort {imap4}"])]

POP_OFF = services(("manual", "stopped", 0), ("manual", "stopped", 0))
NO_BACKENDS = [p for p in BASE_PROCESSES if p[1] not in (5100, 5200, 5300, 5400)]
GC_CONNECTION = [("10.0.0.25:9955", "10.0.0.10:389", "ESTABLISHED", 1240)]
# Fresh Exchange 2019 server, POP3/IMAP4 off (Manual, stopped, front-ends too), no exclusions; svchost holds 9955 as
# the source port of a GC connection: nothing binds 9955 here: OK, NOT_IN_USE for all four.
snapshot("exchange2019-pop-off", standard(SYSTEM_ROWS, [], BASE_SOCKETS[:4] + GC_CONNECTION, processes=NO_BACKENDS)
         + POP_OFF)
# Same, but the POP3 front-end runs (an admin started it): POP3 is offered, the back-end's ports are judged.
snapshot("exchange2019-pop-frontend-running", standard(SYSTEM_ROWS, [], BASE_SOCKETS[:4] + GC_CONNECTION,
         processes=NO_BACKENDS + [("Microsoft.Exchange.Pop3Service.exe", 5400, "MSExchangePop3")]) + POP_OFF)
# POP3 on (Automatic, running) with ProxyTargetPort 1995; svchost holds 9955: 9955 is not its port: OK.
snapshot("exchange2019-pop-on-1995", standard(SYSTEM_ROWS, [], BASE_SOCKETS + listeners(1995, 5300) + listeners(1993, 5100)
         + GC_CONNECTION) + services(("auto", "running", 5300), ("auto", "running", 5100)) + settings(1995, 1993))
# Exchange 2013 server first installed on an early build: ProxyTargetPort 9955; the back-end is Automatic but
# stopped because svchost took 9955: CRITICAL FOREIGN_HOLDER; 1995 is not in use.
snapshot("exchange2013-9955-taken", standard(SYSTEM_ROWS, [], BASE_SOCKETS + listeners(9933, 5100) + GC_CONNECTION,
         processes=without(5300)) + services(("auto", "stopped", 0), ("auto", "running", 5100)) + settings(9955, 9933))
# Same 2013 server, exclusions in place, back-ends listening: OK.
snapshot("exchange2013-protected", standard(SYSTEM_ROWS + ADMIN_ROWS, ADMIN_ROWS, BASE_SOCKETS + listeners(9933, 5100)
         + listeners(9955, 5300)) + services(("auto", "running", 5300), ("auto", "running", 5100)) + settings(9955, 9933))
# POP3 back-end Disabled and stopped; WinNAT reserved 9900-9999: nothing of this server binds there: OK.
snapshot("pop-disabled-hyperv-block", standard(SYSTEM_ROWS + [(9900, 9999, False)], [(9900, 9999, False)],
         BASE_SOCKETS[:4], processes=NO_BACKENDS) + services(("disabled", "stopped", 0), ("disabled", "stopped", 0)))
# No Exchange POP3/IMAP4 at all (sc: 1060), the capture script says UNAVAILABLE: OK, nothing in use.
snapshot("no-popimap-installed", standard(SYSTEM_ROWS, [], BASE_SOCKETS[:4] + GC_CONNECTION, processes=NO_BACKENDS)
         + services((1060, 1060, 0), (1060, 1060, 0))
         + [("exchange-popimap-settings", ["UNAVAILABLE ExchangeInstallPath is not set: no Exchange Management Shell on this host"])])
# Least-privilege account: sc says access denied (5): nothing tells which port is in use: all judged, a note says why.
snapshot("sc-access-denied", standard(SYSTEM_ROWS, [], BASE_SOCKETS[:4] + GC_CONNECTION, processes=NO_BACKENDS)
         + services((5, 5, 0), (5, 5, 0)))
# The settings section says ERROR (the account has no Exchange role): a note names it; all judged.
snapshot("settings-error", standard(SYSTEM_ROWS, [], BASE_SOCKETS[:4] + GC_CONNECTION, processes=NO_BACKENDS)
         + [("exchange-popimap-settings", ["ERROR the Exchange Management Shell did not connect, or this account may not"
            " run Get-PopSettings/Get-ImapSettings: Access is denied."])])

# ---- Seeds for the fuzz harness (check-plugin/src/test/java/dev/dynport/check/fuzz/Seeds.java): situations next to
# the ones above where one flipped fact (a start type, a state, a port) turns NOT_IN_USE into a judged port.
# docs/rights.md grants the monitoring account read access on the back-ends only; tasklist omits a service the
# account may not query, so the running POP3 front-end shows as its image with N/A. Whether POP3 is offered cannot
# be told from that: the POP3 back-end's ports are judged (svchost holds 9955): CRITICAL.
snapshot("exchange2019-pop-frontend-hidden", standard(SYSTEM_ROWS, [], BASE_SOCKETS[:4] + GC_CONNECTION,
         processes=NO_BACKENDS + [("Microsoft.Exchange.Pop3Service.exe", 5400, "N/A")]) + POP_OFF)
# Exchange 2013 first installed on an early build: POP3 back-end Automatic but stopped (svchost took 9955, its
# ProxyTargetPort), IMAP4 back-end Disabled: CRITICAL for 9955; 1995 and the IMAP4 ports are not in use. Were the
# POP3 ProxyTargetPort an IMAP4 profile port, that port would be POP3's and judged, whatever IMAP4 does.
snapshot("exchange2013-pop-stopped-imap-disabled", standard(SYSTEM_ROWS, [], BASE_SOCKETS[:4] + GC_CONNECTION,
         processes=NO_BACKENDS) + services(("auto", "stopped", 0), ("disabled", "stopped", 0)) + settings(9955, 9933))

# ---- --audit (docs/audit.md): an Exchange Edge-style host with what the real captures lack. dsamain.exe (AD LDS for
# Edge Transport, fixed ports 50389/50636) and node.exe (a dev server on 8080, no service) listen inside the range
# unprotected: exposed. com.docker.backend.exe listens on 9000 inside a WinNAT block 9000-9099: blocked for a
# re-bind. lsass.exe and svchost.exe listen on RPC endpoints (6010, 6011): dynamic by design. 9955 is protected.
AUDIT_PROCESSES = BASE_PROCESSES + [("dsamain.exe", 3120, "ADAM_MSExchange"), ("node.exe", 6200, "N/A"),
                                    ("com.docker.backend.exe", 6300, "N/A")]
snapshot("audit-edge-mixed", standard(SYSTEM_ROWS + [(9000, 9099, False), (9955, 9955, True)], [(9955, 9955, True)],
         BASE_SOCKETS + listeners(50389, 3120) + listeners(50636, 3120) + [("0.0.0.0:8080", "0.0.0.0:0", "LISTENING", 6200)]
         + [("0.0.0.0:9000", "0.0.0.0:0", "LISTENING", 6300)] + listeners(6010, 700) + listeners(6011, 1240)
         + listeners(9955, 5300) + [("10.0.0.25:6012", "10.0.0.10:389", "ESTABLISHED", 1240)], processes=AUDIT_PROCESSES))

# ---- Dynamic port usage (docs/usage.md), counted by hand: the OK scenario plus, in the range 6005-65534 whose
# ipv4 exclusions 9933, 9955, 47001 leave 59,527 ports: 10 outbound SMTP connections (50000-50009), 50000 again on
# another local address and in TIME_WAIT, 5 TIME_WAIT (50010-50014), a listener on 49664: 16 ports in use. Not
# counted: the protected 9933/9955 listeners, the excluded 47001, 5000 and 65535 outside the range, the foreign
# port of an inbound connection. ipv6 (9933, 9955 excluded: 59,528): 49665 and 50000 (twice): 2.
USAGE_SOCKETS = ([(f"10.0.12.25:{50000 + i}", f"10.0.1.{10 + i}:25", "ESTABLISHED", 6100) for i in range(10)]
                 + [("10.0.12.26:50000", "10.0.1.30:389", "ESTABLISHED", 6200)]
                 + [(f"10.0.12.25:{50010 + i}", "10.0.1.40:3268", "TIME_WAIT", 0) for i in range(5)]
                 + [("10.0.12.25:50000", "10.0.1.41:3268", "TIME_WAIT", 0), ("0.0.0.0:49664", "0.0.0.0:0", "LISTENING", 888),
                    ("10.0.12.25:47001", "10.0.1.50:443", "ESTABLISHED", 4),
                    ("10.0.12.25:5000", "10.0.1.51:443", "ESTABLISHED", 6200),
                    ("10.0.12.25:65535", "10.0.1.52:443", "ESTABLISHED", 6200),
                    ("10.0.12.25:443", "10.0.1.53:50020", "ESTABLISHED", 6200),
                    ("[::]:49665", "[::]:0", "LISTENING", 700),
                    ("[fe80::1%12]:50000", "[fe80::2%12]:389", "ESTABLISHED", 6200),
                    ("[::1]:50000", "[::1]:808", "TIME_WAIT", 0)])
snapshot("usage-known-count", standard(SYSTEM_ROWS + ADMIN_ROWS, ADMIN_ROWS, BASE_SOCKETS + EXCHANGE_BE + USAGE_SOCKETS,
         processes=BASE_PROCESSES + [("EdgeTransport.exe", 6100, "N/A"),
                                     ("MSExchangeTransport.exe", 6200, "MSExchangeTransport")]))
