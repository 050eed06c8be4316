# Build hkdesk for Windows: PyInstaller one-dir app, a .zip of it, a smoke test, and the
# Inno Setup installer.
# UNTESTED: written on Linux; run it on a Windows 10/11 x64 machine or CI runner.
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1 [-Python .venv\Scripts\python.exe] [-SkipSmoke] [-SkipInstaller]
#
# Needs: the project installed in that Python (pip install -e ".[packaging]") and Inno Setup 6
# (ISCC.exe on PATH or in its default folder). Output in dist\: hkdesk\, hkdesk-VERSION-windows-x64.zip,
# hkdesk-VERSION-windows-x64-setup.exe. Set HKDESK_WITH_POSTGRES=1 to bundle psycopg.
[CmdletBinding()]
param(
    [string]$Python = "python",
    [switch]$SkipSmoke,
    [switch]$SkipInstaller
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$Root = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
Set-Location $Root

function Invoke-Checked([string]$What, [scriptblock]$Block) {
    & $Block
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit $LASTEXITCODE)" }
}

Invoke-Checked "import check (pip install -e "".[packaging]"")" { & $Python -c "import hkdesk, PyInstaller" }
# pyproject.toml's version, checked against the installed metadata the frozen app will carry
$Version = (& $Python packaging\version.py)
if ($LASTEXITCODE -ne 0) { throw "version check failed: reinstall with pip install -e "".[packaging]""" }
$Version = "$Version".Trim()
$Total = [Diagnostics.Stopwatch]::StartNew()

# 1. one-dir app: dist\hkdesk\hkdesk.exe (windowed) and hkdesk-cli.exe (console)
if (Test-Path dist\hkdesk) { Remove-Item -Recurse -Force dist\hkdesk }
$Step = [Diagnostics.Stopwatch]::StartNew()
Invoke-Checked "PyInstaller" {
    & $Python -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build packaging\hkdesk.spec
}
$SizeMB = [math]::Round(((Get-ChildItem dist\hkdesk -Recurse -File | Measure-Object Length -Sum).Sum / 1MB), 1)
Write-Host "build.ps1: PyInstaller took $([int]$Step.Elapsed.TotalSeconds) s; dist\hkdesk is $SizeMB MB"

# 2. zip (portable copy)
$Zip = "dist\hkdesk-$Version-windows-x64.zip"
Compress-Archive -Path dist\hkdesk -DestinationPath $Zip -Force
Write-Host "build.ps1: $Zip $([math]::Round((Get-Item $Zip).Length / 1MB, 1)) MB"

# 3. smoke test, headless: the window with the built-in simulator, then the recorder
if (-not $SkipSmoke) {
    $Work = Join-Path ([IO.Path]::GetTempPath()) ("hkdesk-smoke-" + [guid]::NewGuid())
    New-Item -ItemType Directory $Work | Out-Null
    $env:QT_QPA_PLATFORM = "offscreen"
    try {
        $DbUrl = "sqlite:///" + ((Join-Path $Work "app.db") -replace "\\", "/")
        $Shot = Join-Path $Work "window.png"
        # hkdesk.exe is a GUI program: wait for it explicitly to get its exit code.
        $App = Start-Process -FilePath dist\hkdesk\hkdesk.exe -Wait -PassThru -ArgumentList @(
            "--quit-after", "5", "--screenshot", "`"$Shot`"",
            "--config-dir", "`"$(Join-Path $Work 'config')`"", "--db", "`"$DbUrl`"")
        $Ticks = (& $Python -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from ticks').fetchone()[0])" (Join-Path $Work "app.db")).Trim()
        Write-Host "build.ps1: smoke app exit $($App.ExitCode), screenshot $(Test-Path $Shot), $Ticks ticks"
        if ($App.ExitCode -ne 0 -or -not (Test-Path $Shot) -or [int]$Ticks -le 0) {
            throw "smoke test failed: the app with the built-in simulator"
        }
        $Printed = (& dist\hkdesk\hkdesk-cli.exe --version | Out-String).Trim()
        if ($Printed -ne "hkdesk $Version") { throw "smoke test failed: --version printed '$Printed', expected 'hkdesk $Version'" }
        $RecUrl = "sqlite:///" + ((Join-Path $Work "record.db") -replace "\\", "/")
        Invoke-Checked "smoke test: hkdesk-cli record" {
            & dist\hkdesk\hkdesk-cli.exe record --symbols 700.HK,5.HK --duration 3 --db $RecUrl
        }
        $Leftover = Get-CimInstance Win32_Process | Where-Object { $_.CommandLine -like "*hkdesk*.exe*sim --host*" }
        if ($Leftover) { throw "smoke test failed: simulator processes left running: $($Leftover.ProcessId)" }
        Write-Host "build.ps1: smoke test passed"
    }
    finally {
        Remove-Item Env:QT_QPA_PLATFORM
        Remove-Item -Recurse -Force $Work -ErrorAction SilentlyContinue
    }
}

# 4. installer
if (-not $SkipInstaller) {
    $Iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
    if (-not $Iscc) {
        $Iscc = @(
            "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
            "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
            "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe"
        ) | Where-Object { Test-Path $_ } | Select-Object -First 1
    }
    if (-not $Iscc) { throw "Inno Setup 6 (ISCC.exe) not found; install it or pass -SkipInstaller" }
    Invoke-Checked "Inno Setup" { & $Iscc /Qp "/DAppVersion=$Version" packaging\windows\hkdesk.iss }
    $Setup = "dist\hkdesk-$Version-windows-x64-setup.exe"
    Write-Host "build.ps1: $Setup $([math]::Round((Get-Item $Setup).Length / 1MB, 1)) MB"
}
Write-Host "build.ps1: done in $([int]$Total.Elapsed.TotalSeconds) s"
