@echo off
rem capture-snapshot.cmd - write a dynport snapshot of this Windows host.
rem
rem   capture-snapshot.cmd [OUTFILE]
rem
rem Runs the same commands, in the same order, as check_dynport -H over SSH, each after a
rem marker line "#@section NAME", with stderr folded in, after "chcp 65001" so the programs
rem print UTF-8. Without OUTFILE the snapshot goes to stdout. Read it elsewhere with
rem   check_dynport --snapshot OUTFILE
rem The first section, capture-info, is the host name, the time with its UTC offset and the OS
rem version (one PowerShell call), so check_dynport --max-age/--expect-host can tell a stale
rem or misplaced file.
rem The last section, exchange-popimap-settings, is only written by this script: the
rem ProxyTargetPort of the POP3 and IMAP4 back-ends (the one port each binds), read with
rem Get-PopSettings/Get-ImapSettings -Server (this computer) through the Exchange Management
rem Shell (RemoteExchange.ps1, Connect-ExchangeServer -auto: the supported way; it takes
rem several seconds). It needs an account with an Exchange role that may read them (View-Only
rem Organization Management is enough) and remote PowerShell enabled for it. On a host without
rem Exchange (no ExchangeInstallPath) it is skipped at once and says UNAVAILABLE; when the
rem shell does not connect it says ERROR and why, and check_dynport names that line.
rem All commands only read; no administrator rights should be needed. Run it from cmd.exe,
rem or from PowerShell with the file name as argument: .\capture-snapshot.cmd C:\temp\snap.txt
rem (PowerShell's "> file" re-encodes the output; see docs/ssh.md, "Known limits").
rem
rem The sc.exe sections say whether the POP3/IMAP4 back-end services are installed, their start
rem type and whether they run ("sc.exe", not "sc": in PowerShell "sc" is Set-Content).
rem Keep the command list in sync with dev.dynport.check.acquire.Section (a unit test checks it).
rem Every program runs by its full path under %SystemRoot%\System32: a bare name is searched in the current
rem directory first, so a netstat.exe there (a scheduled task's start folder, a download folder) would run instead.
setlocal
set "DYNPORT_OLDCP="
for /f "tokens=2 delims=:." %%c in ('%SystemRoot%\System32\chcp.com') do set "DYNPORT_OLDCP=%%c"
%SystemRoot%\System32\chcp.com 65001 >nul
rem Single-line "if"s, no block: cmd expands a block as it reads it, and an OUTFILE under a folder such as
rem "C:\Program Files (x86)" would end the block early (templates' WindowsBatchFilesTest checks it).
if "%~1"=="" call :capture
if not "%~1"=="" call :capture > "%~1"
set "DYNPORT_RC=%errorlevel%"
if defined DYNPORT_OLDCP %SystemRoot%\System32\chcp.com %DYNPORT_OLDCP% >nul
endlocal & exit /b %DYNPORT_RC%

:capture
echo #@section capture-info
%SystemRoot%\System32\WindowsPowerShell\v1.0\powershell.exe -NoProfile -NonInteractive -InputFormat None -Command hostname;Get-Date -Format o;[Environment]::OSVersion.VersionString 2>&1
echo #@section netsh-dynamicport-tcp-ipv4
%SystemRoot%\System32\netsh.exe int ipv4 show dynamicport tcp 2>&1
echo #@section netsh-dynamicport-tcp-ipv6
%SystemRoot%\System32\netsh.exe int ipv6 show dynamicport tcp 2>&1
echo #@section netsh-excludedportrange-tcp-ipv4
%SystemRoot%\System32\netsh.exe int ipv4 show excludedportrange protocol=tcp 2>&1
echo #@section netsh-excludedportrange-tcp-ipv6
%SystemRoot%\System32\netsh.exe int ipv6 show excludedportrange protocol=tcp 2>&1
echo #@section netstat-ano
%SystemRoot%\System32\netstat.exe -ano 2>&1
echo #@section tasklist-svc-csv
%SystemRoot%\System32\tasklist.exe /svc /fo csv /nh 2>&1
echo #@section sc-qc-msexchangepop3be
%SystemRoot%\System32\sc.exe qc MSExchangePOP3BE 2>&1
echo #@section sc-queryex-msexchangepop3be
%SystemRoot%\System32\sc.exe queryex MSExchangePOP3BE 2>&1
echo #@section sc-qc-msexchangeimap4be
%SystemRoot%\System32\sc.exe qc MSExchangeIMAP4BE 2>&1
echo #@section sc-queryex-msexchangeimap4be
%SystemRoot%\System32\sc.exe queryex MSExchangeIMAP4BE 2>&1
echo #@section exchange-popimap-settings
if not defined ExchangeInstallPath echo UNAVAILABLE ExchangeInstallPath is not set: no Exchange Management Shell on this host
if defined ExchangeInstallPath %SystemRoot%\System32\WindowsPowerShell\v1.0\powershell.exe -NoProfile -NonInteractive -InputFormat None -Command "function Write-Host {}; $o = . { . (Join-Path $env:ExchangeInstallPath 'bin\RemoteExchange.ps1'); Connect-ExchangeServer -auto -ClientApplication:ManagementShell } *>&1; if (@(Get-Command Get-PopSettings,Get-ImapSettings -ErrorAction SilentlyContinue).Count -ne 2) { 'ERROR the Exchange Management Shell did not connect, or this account may not run Get-PopSettings/Get-ImapSettings: ' + (@($o | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) -join ' / '); exit 1 }; 'MSExchangePOP3BE ProxyTargetPort ' + (Get-PopSettings -Server $env:COMPUTERNAME).ProxyTargetPort; 'MSExchangeIMAP4BE ProxyTargetPort ' + (Get-ImapSettings -Server $env:COMPUTERNAME).ProxyTargetPort" 2>&1
rem Status 0: sc.exe exits 1060 where a service is not installed, which is no capture failure.
rem A command that failed shows its error text in its own section.
exit /b 0
