#!/usr/bin/env python3
"""Writes the CONSTRUCTED regression fixtures of the fuzz classes (one per class of defect the fuzz harness found),
each a scenario snapshot of ../snapshots with the smallest edit that shows the class. FuzzRegressionTest reads
them with expected.tsv. Run: python3 make_regressions.py (writes *-constructed.snapshot beside it, CRLF kept).
"""
import pathlib

HERE = pathlib.Path(__file__).parent
SNAPSHOTS = HERE.parent / "snapshots"


def base(name):
    return (SNAPSHOTS / f"{name}-constructed.snapshot").read_bytes()


def section(data, name):
    """(start, end) of the body of section NAME: from after its marker line to the next marker line."""
    marker = f"#@section {name}".encode()
    start = data.index(marker)
    start = data.index(b"\n", start) + 1
    end = data.find(b"#@section ", start)
    return start, len(data) if end < 0 else end


def edit(data, name, old, new, count=1):
    s, e = section(data, name)
    body = data[s:e]
    assert body.count(old) >= count, (name, old)
    return data[:s] + body.replace(old, new, count) + data[e:]


def write(name, data):
    (HERE / f"{name}-constructed.snapshot").write_bytes(data)


# One flipped byte turns the count 59530 into "59:530": read by its last number, the ipv6 range shrinks to
# 6005-6534 and the exposed host reads OK.
write("dynamicport-colon-in-value",
      edit(base("ipv6-only-exposed"), "netsh-dynamicport-tcp-ipv6", b"Number of Ports : 59530", b"Number of Ports : 59:530"))

# A byte of the label flipped to ':' (found by SET_BYTE, seed 1 index 137098): a second colon makes the line
# "label : label : number", which cannot be told from a split value ("59:530"); the product read the last number.
write("dynamicport-colon-in-label",
      edit(base("exchange-protected"), "netsh-dynamicport-tcp-ipv4", b"Start Port      : 6005", b"Start Por:      : 6005"))

# Two value lines run together: "Number of Ports : 1 Start Port : 7 Number of Ports : 3500" read as 3500 moves the
# end of the range (6005-9504) below 9933 in both families.
d = base("exchange-exposed")
for fam in ("ipv4", "ipv6"):
    d = edit(d, f"netsh-dynamicport-tcp-{fam}", b"Number of Ports : 59530",
             b"Number of Ports : 1 Start Port : 7 Number of Ports : 3500")
write("dynamicport-lines-run-together", d)

# capture >> old.snapshot: today's CRITICAL capture appended to yesterday's OK one. The first copy of each section
# must not win.
write("duplicate-sections-appended-capture", base("exchange-protected") + base("exchange-foreign-holder"))

# One section twice in one file: the second netstat table shows svchost holding 9955 as a local port.
d = base("exchange-protected")
s, e = section(d, "netstat-ano")
second = d[s:e].replace(b"  TCP    0.0.0.0:135 ", b"  TCP    10.0.0.25:9955         10.0.0.10:389          ESTABLISHED     1240\r\n  TCP    0.0.0.0:135 ", 1)
assert second != d[s:e]
write("duplicate-netstat-section", d[:e] + b"#@section netstat-ano\r\n" + second + d[e:])

# A 13-digit count: the parser's saturated value overflowed start + count - 1 and ended in an internal error that
# was printed in place of the reason; netstat still shows a foreign holder (CRITICAL).
write("dynamicport-count-13-digits",
      edit(base("exchange-foreign-holder"), "netsh-dynamicport-tcp-ipv4", b"Number of Ports : 59530",
           b"Number of Ports : 1000000000000"))

# A back-end owner listening on local port 0: the port was added to the watch list and the check ended in
# "internal error IllegalArgumentException", hiding the CRITICAL foreign holder of 9955.
write("netstat-owner-on-local-port-0",
      edit(base("exchange-foreign-holder"), "netstat-ano",
           b"  TCP    0.0.0.0:1993           0.0.0.0:0              LISTENING       5100\r\n",
           b"  TCP    0.0.0.0:1993           0.0.0.0:0              LISTENING       5100\r\n"
           b"  TCP    0.0.0.0:0              0.0.0.0:0              LISTENING       5100\r\n"))

# A 70,000-character line under the rule in both families: the value pattern backtracked quadratically (minutes).
d = base("exchange-exposed")
for fam in ("ipv4", "ipv6"):
    d = edit(d, f"netsh-dynamicport-tcp-{fam}", b"---------------------------------\r\n",
             b"---------------------------------\r\n" + b"Start Port " * 6364 + b"\r\n")
write("dynamicport-long-line", d)

# "Ports in use" (issue 9), found while teaching the reference PortUse's rules. The POP3 front-end runs but tasklist
# names no service for it (the account was granted read on the back-ends only, as docs/rights.md says): the product
# took the front-end for stopped, called POP3 off and 9955, held by svchost, NOT_IN_USE: OK on a CRITICAL host.
write("pop3-frontend-unnamed",
      edit(base("exchange2019-pop-frontend-running"), "tasklist-svc-csv",
           b'"Microsoft.Exchange.Pop3Service.exe","5400","MSExchangePop3"',
           b'"Microsoft.Exchange.Pop3Service.exe","5400","N/A"'))

# POP3's ProxyTargetPort is 9933, an IMAP4 profile port, and IMAP4 is Disabled: 9933 was NOT_IN_USE for IMAP4's
# reason although POP3 binds it (exposed in the dynamic range): OK on a WARNING host.
write("pop3-proxy-port-on-imap4-port",
      edit(base("exchange2013-pop-stopped-imap-disabled"), "exchange-popimap-settings",
           b"MSExchangePOP3BE ProxyTargetPort 9955", b"MSExchangePOP3BE ProxyTargetPort 9933"))
