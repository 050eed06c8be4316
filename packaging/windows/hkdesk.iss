; Inno Setup 6 script: wraps the PyInstaller one-dir build (dist\hkdesk) into a per-user installer.
; UNTESTED: written on Linux, where neither PyInstaller's Windows build nor Inno Setup can run.
;
;   iscc /DAppVersion=0.1.0 packaging\windows\hkdesk.iss
;
; Run from anywhere; paths are relative to this file. build.ps1 builds dist\hkdesk first and
; passes the version. Output: dist\hkdesk-VERSION-windows-x64-setup.exe

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "hkdesk"
#define Root "..\.."

[Setup]
; Keep AppId fixed for ever: upgrades and the uninstaller find earlier installs by it.
AppId={{5C0E4B7A-3D2F-4A57-9E61-8B1F0C2D7A43}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=hkdesk contributors
VersionInfoVersion={#AppVersion}
; Per user: no administrator rights, installs under %LOCALAPPDATA%\Programs\hkdesk.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#Root}\dist
OutputBaseFilename={#AppName}-{#AppVersion}-windows-x64-setup
SetupIconFile={#Root}\resources\icons\hkdesk.ico
UninstallDisplayIcon={app}\hkdesk.exe
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close a running hkdesk (it holds its files open) before files are replaced or removed.
CloseApplications=yes
RestartApplications=no
; Code signing (optional): define a sign tool in the IDE or with /S"signtool=..." and uncomment.
; SignTool=signtool
; SignedUninstaller=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Root}\dist\hkdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

; The old version's files go first, so an upgrade leaves no stale libraries next to new ones.
[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\hkdesk.exe"; WorkingDir: "{app}"; Comment: "Real-time Hong Kong stock quotes"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\hkdesk.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\hkdesk.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; The uninstaller removes what [Files] put in {app}. Settings, watchlists and recorded databases
; live in the user's data folders (platformdirs) and are deliberately left in place.
