@echo off
rem check_dynport launcher for Windows monitoring agents (NSClient++, Icinga for Windows).
setlocal
set "JAR=%~dp0check_dynport.jar"
if not exist "%JAR%" set "JAR=%~dp0..\target\check_dynport.jar"
if not exist "%JAR%" (
  echo DYNPORT UNKNOWN - check_dynport.jar not found beside %~f0
  exit /b 3
)
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java"
"%JAVA%" -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "%JAR%" %*
exit /b %ERRORLEVEL%
