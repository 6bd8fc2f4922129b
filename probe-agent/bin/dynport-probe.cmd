@echo off
rem dynport-probe launcher for Windows: runs dynport-probe.jar found beside this script, in ..\lib or ..\target.
rem No expansion inside a parenthesised block (a "C:\Program Files (x86)" path would end it early): see
rem check-plugin/bin/check_dynport.cmd; templates' WindowsBatchFilesTest checks both.
setlocal
set "DIR=%~dp0"
set "SELF=%~f0"
set "JAR="
if exist "%DIR%dynport-probe.jar" set "JAR=%DIR%dynport-probe.jar"
if not defined JAR if exist "%DIR%..\lib\dynport-probe.jar" set "JAR=%DIR%..\lib\dynport-probe.jar"
if not defined JAR if exist "%DIR%..\target\dynport-probe.jar" set "JAR=%DIR%..\target\dynport-probe.jar"
if not defined JAR goto :nojar
rem java.exe: JAVA_HOME when set (and then only there), else the first java.exe on the PATH.
set "JAVA="
if defined JAVA_HOME goto :javahome
for %%j in (java.exe) do set "JAVA=%%~$PATH:j"
if not defined JAVA goto :nojava
goto :run
:javahome
set "JAVA=%JAVA_HOME%\bin\java.exe"
if not exist "%JAVA%" goto :nojavahome
:run
"%JAVA%" -Xmx128m -XX:+UseSerialGC %DYNPORT_PROBE_JAVA_OPTS% -jar "%JAR%" %*
set "RC=%ERRORLEVEL%"
rem 9009 is cmd's "not recognized": java.exe could not be started after all.
if "%RC%"=="9009" goto :nojava
exit /b %RC%

:nojar
echo dynport-probe: dynport-probe.jar not found beside %SELF% 1>&2
exit /b 3

:nojavahome
echo dynport-probe: java not found: JAVA_HOME has no bin\java.exe [%JAVA_HOME%] 1>&2
exit /b 3

:nojava
echo dynport-probe: java not found: set JAVA_HOME or put java.exe (Java 17 or newer) on the PATH of the service account 1>&2
exit /b 3
