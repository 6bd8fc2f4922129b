@echo off
rem check_dynport launcher for Windows monitoring agents (NSClient++, Icinga 2 agent, Icinga for Windows).
rem No expansion (%~dp0, %JAR%, ...) inside a parenthesised block: cmd expands a block once, as it reads it,
rem and the ")" of a folder such as "C:\Program Files (x86)\dynport" would end the block early ("... was
rem unexpected at this time"). Single-line "if" and "goto" instead; templates' WindowsBatchFilesTest checks it.
setlocal
set "HERE=%~dp0"
set "SELF=%~f0"
set "JAR=%HERE%check_dynport.jar"
if not exist "%JAR%" set "JAR=%HERE%..\target\check_dynport.jar"
if not exist "%JAR%" goto :nojar
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
"%JAVA%" -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:Tier3InvocationThreshold=2000 -XX:Tier3MinInvocationThreshold=1000 -XX:Tier3CompileThreshold=20000 -jar "%JAR%" %*
set "RC=%ERRORLEVEL%"
rem 9009 is cmd's "not recognized": java.exe could not be started after all. The check itself exits 0-3.
if "%RC%"=="9009" goto :nojava
exit /b %RC%

:nojar
echo DYNPORT UNKNOWN - check_dynport.jar not found beside %SELF%
exit /b 3

:nojavahome
echo DYNPORT UNKNOWN - java not found: JAVA_HOME has no bin\java.exe [%JAVA_HOME%]
exit /b 3

:nojava
echo DYNPORT UNKNOWN - java not found: set JAVA_HOME or put java.exe (Java 17 or newer) on the PATH of the account that runs the check
exit /b 3
