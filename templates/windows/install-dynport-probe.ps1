<#
.SYNOPSIS
    Installs dynport-probe as a Windows service on the Exchange host, wrapped by WinSW.

.DESCRIPTION
    Java has no Windows service entry point of its own, so a service wrapper runs the JVM: this script uses
    WinSW (Windows Service Wrapper, MIT licence, https://github.com/winsw/winsw, a single .exe that you
    download yourself; tested format: WinSW 2.x XML). On stop, WinSW sends Ctrl+C to java.exe and waits
    StopTimeoutSeconds: the agent's shutdown hook stops intake and flushes its spool, as under systemd.

    What it does (idempotent; -Uninstall reverses the service part):
      1. checks: elevated PowerShell, java.exe 17+, the agent jar, WinSW exe, the config file
      2. copies the jar and WinSW to -InstallDir, writes the WinSW XML beside it
      3. creates C:\ProgramData\dynport (config, spool, logs) readable only by SYSTEM, Administrators and the
         service account; the spool directory is writable by the service account
      4. registers the event source "dynport" in the Application log with eventcreate (the agent's
         windows-eventlog sink writes through eventcreate, which only writes to sources it registered itself;
         registering needs administrator rights, so it happens here, once, with event ID 1)
      5. validates the config with the agent (--validate-config), installs and starts the service

    What it needs, and does not do for you:
      - a Java 17+ runtime (-JavaHome or JAVA_HOME), e.g. Eclipse Temurin JRE 17
      - WinSW-x64.exe (-WinSWExe), downloaded from the WinSW releases page
      - dynport-probe.jar (-AgentJar): probe-agent/target/dynport-probe.jar of a build
      - your probe.json (-ConfigFile), with "spool": {"dir": "C:\\ProgramData\\dynport\\spool"} and,
        for a probe of this host itself, a target with "type": "local" (see templates/probe/probe.example.json)
    Not tested on Windows by the project's CI (no Windows runner); the Linux systemd unit is the tested path.

.EXAMPLE
    .\install-dynport-probe.ps1 -AgentJar .\dynport-probe.jar -WinSWExe .\WinSW-x64.exe -ConfigFile .\probe.json

.EXAMPLE
    .\install-dynport-probe.ps1 -Uninstall
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    [string] $AgentJar,
    [string] $WinSWExe,
    [string] $ConfigFile,
    [string] $JavaHome = $env:JAVA_HOME,
    [string] $InstallDir = (Join-Path $env:ProgramFiles 'dynport'),
    [string] $DataDir = (Join-Path $env:ProgramData 'dynport'),
    [string] $ServiceName = 'dynport-probe',
    # LocalService: least privilege. On the network it presents anonymous credentials (NetworkService is the one
    # that uses the computer account), which is enough: the agent's sinks bring their own credentials (API user,
    # bearer token, SSH key). netstat -ano and tasklist /svc work for it; use a dedicated (gMSA) account if your
    # policy asks for one.
    [string] $ServiceAccount = 'NT AUTHORITY\LocalService',
    [int] $StopTimeoutSeconds = 45,
    [switch] $Uninstall
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

function Fail([string] $message) {
    Write-Error "install-dynport-probe: $message" -ErrorAction Continue
    exit 1
}

# Runs a native program and returns its output (stdout and stderr) as text lines; its status is in $LASTEXITCODE.
# Windows PowerShell 5.1 turns each stderr line of a native program into an error record when stderr is
# redirected (and in ISE or remoting even when it is not); under the script's 'Stop' the first one ends the
# script: "java -version" alone writes to stderr. Within this function they are only text.
function Invoke-Native([scriptblock] $Command) {
    $ErrorActionPreference = 'Continue'
    & $Command 2>&1 | ForEach-Object { "$_" }
}

# icacls with SIDs (*S-1-...), never account names: names are translated ("VORDEFINIERT\Administratoren",
# "AUTORITE NT\SERVICE LOCAL") and an English name fails on a German or French Windows.
$WellKnownSids = @{
    'NT AUTHORITY\SYSTEM'         = 'S-1-5-18'
    'LocalSystem'                 = 'S-1-5-18'
    'NT AUTHORITY\LocalService'   = 'S-1-5-19'
    'NT AUTHORITY\NetworkService' = 'S-1-5-20'
}
function Get-AccountSid([string] $name) {
    foreach ($key in $WellKnownSids.Keys) {
        if ($key -ieq $name) { return $WellKnownSids[$key] }
    }
    try {
        return (New-Object Security.Principal.NTAccount($name)).Translate([Security.Principal.SecurityIdentifier]).Value
    } catch {
        Fail "unknown account -ServiceAccount [$name]: $($_.Exception.Message)"
    }
}

function Grant-Acl([string] $path, [string[]] $arguments) {
    $out = Invoke-Native { icacls.exe $path @arguments }
    if ($LASTEXITCODE -ne 0) { Fail "icacls could not set the rights on [$path] (exit $LASTEXITCODE): $($out -join ' ')" }
}

$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
    Fail 'run this script in an elevated PowerShell (it creates a service and an event source)'
}

$wrapper = Join-Path $InstallDir "$ServiceName.exe"
$wrapperXml = Join-Path $InstallDir "$ServiceName.xml"

if ($Uninstall) {
    if (Get-Service -Name $ServiceName -ErrorAction SilentlyContinue) {
        if ((Get-Service -Name $ServiceName).Status -ne 'Stopped') {
            Stop-Service -Name $ServiceName
        }
        if (Test-Path $wrapper) {
            Invoke-Native { & $wrapper uninstall } | Write-Host
        } else {
            Invoke-Native { sc.exe delete $ServiceName } | Write-Host
        }
        if ($LASTEXITCODE -ne 0) { Fail "could not remove the service $ServiceName (exit $LASTEXITCODE)" }
        Write-Host "service $ServiceName removed; $DataDir (config, spool, logs) kept"
    } else {
        Write-Host "service $ServiceName is not installed"
    }
    exit 0
}

foreach ($p in @(@('AgentJar', $AgentJar), @('WinSWExe', $WinSWExe), @('ConfigFile', $ConfigFile))) {
    if (-not $p[1]) { Fail "-$($p[0]) is required" }
    if (-not (Test-Path -LiteralPath $p[1] -PathType Leaf)) { Fail "-$($p[0]) is not a file [$($p[1])]" }
}
if (-not $JavaHome) { Fail 'no Java: pass -JavaHome or set JAVA_HOME (Java 17 or newer)' }
$java = Join-Path $JavaHome 'bin\java.exe'
if (-not (Test-Path -LiteralPath $java -PathType Leaf)) { Fail "java.exe not found under -JavaHome [$JavaHome]" }
# All of it, then the first line: Select-Object -First would stop java before it sets $LASTEXITCODE.
$versionOutput = @(Invoke-Native { & $java -version })
$versionLine = if ($versionOutput.Count -gt 0) { $versionOutput[0] } else { '' }
if ($LASTEXITCODE -ne 0) { Fail "java -version failed (exit $LASTEXITCODE) [$java]: $versionLine" }
if ($versionLine -notmatch '"(\d+)') { Fail "cannot read the Java version [$versionLine]" }
if ([int]$Matches[1] -lt 17) { Fail "Java 17 or newer is needed [$versionLine]" }

# ---- files
New-Item -ItemType Directory -Force -Path $InstallDir, $DataDir, (Join-Path $DataDir 'spool'), (Join-Path $DataDir 'logs') | Out-Null
$jar = Join-Path $InstallDir 'dynport-probe.jar'
$config = Join-Path $DataDir 'probe.json'
Copy-Item -LiteralPath $AgentJar -Destination $jar -Force
Copy-Item -LiteralPath $WinSWExe -Destination $wrapper -Force
if ((Resolve-Path -LiteralPath $ConfigFile).Path -ne $config) {
    Copy-Item -LiteralPath $ConfigFile -Destination $config -Force
}

# Config and secrets: SYSTEM and Administrators full, the service account read; spool and logs: it may write.
$accountSid = Get-AccountSid $ServiceAccount
Grant-Acl $DataDir @('/inheritance:r', '/grant:r', '*S-1-5-18:(OI)(CI)F', '*S-1-5-32-544:(OI)(CI)F', "*${accountSid}:(OI)(CI)RX")
Grant-Acl (Join-Path $DataDir 'spool') @('/grant:r', "*${accountSid}:(OI)(CI)M")
Grant-Acl (Join-Path $DataDir 'logs') @('/grant:r', "*${accountSid}:(OI)(CI)M")

# ---- event source (see .DESCRIPTION, step 4)
$sourceKey = 'HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\Application\dynport'
if (-not (Test-Path $sourceKey)) {
    $out = Invoke-Native { eventcreate.exe /L APPLICATION /SO dynport /T INFORMATION /ID 1 /D "dynport event source registered by install-dynport-probe.ps1" }
    if ($LASTEXITCODE -ne 0) { Fail "eventcreate could not register the event source dynport: $($out -join ' ')" }
}

# ---- validate before the service exists
Invoke-Native { & $java -jar $jar --config $config --validate-config } | Write-Host
if ($LASTEXITCODE -ne 0) { Fail "the agent rejected $config (message above); nothing installed" }

# ---- WinSW configuration
function XmlText([string] $s) { [System.Security.SecurityElement]::Escape($s) }
$accountParts = $ServiceAccount.Split('\', 2)
$xml = @"
<service>
  <id>$(XmlText $ServiceName)</id>
  <name>dynport probe agent</name>
  <description>Watches Exchange fixed ports against the Windows TCP dynamic port range and reports to the configured sinks (dynport-probe).</description>
  <executable>$(XmlText $java)</executable>
  <arguments>-jar "$(XmlText $jar)" --config "$(XmlText $config)"</arguments>
  <workingdirectory>$(XmlText $DataDir)</workingdirectory>
  <startmode>Automatic</startmode>
  <delayedAutoStart>true</delayedAutoStart>
  <stoptimeout>$StopTimeoutSeconds sec</stoptimeout>
  <onfailure action="restart" delay="10 sec" />
  <onfailure action="restart" delay="60 sec" />
  <resetfailure>1 hour</resetfailure>
  <logpath>$(XmlText (Join-Path $DataDir 'logs'))</logpath>
  <log mode="roll-by-size">
    <sizeThreshold>10240</sizeThreshold>
    <keepFiles>8</keepFiles>
  </log>
  <serviceaccount>
    <domain>$(XmlText $accountParts[0])</domain>
    <user>$(XmlText $accountParts[1])</user>
    <allowservicelogon>true</allowservicelogon>
  </serviceaccount>
</service>
"@
Set-Content -LiteralPath $wrapperXml -Value $xml -Encoding UTF8

# ---- service
if (Get-Service -Name $ServiceName -ErrorAction SilentlyContinue) {
    Write-Host "service $ServiceName exists: restarting it with the new files"
    Restart-Service -Name $ServiceName
} else {
    Invoke-Native { & $wrapper install } | Write-Host
    if ($LASTEXITCODE -ne 0) { Fail "WinSW could not install the service $ServiceName" }
    Start-Service -Name $ServiceName
}
Get-Service -Name $ServiceName | Format-Table -AutoSize Name, Status, StartType
Write-Host "logs: $(Join-Path $DataDir 'logs'); events: Application log, source dynport"
