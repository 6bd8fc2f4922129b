@echo off
rem dynport-probe launcher for Windows: runs dynport-probe.jar found beside this script or in ..\target.
setlocal
set "DIR=%~dp0"
set "JAR="
if exist "%DIR%dynport-probe.jar" set "JAR=%DIR%dynport-probe.jar"
if not defined JAR if exist "%DIR%..\lib\dynport-probe.jar" set "JAR=%DIR%..\lib\dynport-probe.jar"
if not defined JAR if exist "%DIR%..\target\dynport-probe.jar" set "JAR=%DIR%..\target\dynport-probe.jar"
if not defined JAR (
  echo dynport-probe: dynport-probe.jar not found beside %~f0 1>&2
  exit /b 3
)
set "JAVA=java"
if defined JAVA_HOME if exist "%JAVA_HOME%\bin\java.exe" set "JAVA=%JAVA_HOME%\bin\java.exe"
"%JAVA%" -Xmx128m -XX:+UseSerialGC %DYNPORT_PROBE_JAVA_OPTS% -jar "%JAR%" %*
exit /b %ERRORLEVEL%
