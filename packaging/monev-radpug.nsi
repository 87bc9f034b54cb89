; Windows installer of Monev RAD PUG (NSIS 3). Compile it through build_installer.py,
; which passes the defines below:
;   VERSION   version from pyproject.toml (0.1.0)      VERSION4  the same as four numbers
;   BUNDLE    PyInstaller's dist\monev-radpug folder   OUTFILE   the setup .exe to write
;   ICON      packaging\monev-radpug.ico               EXE, CLI_EXE  the two program names
;   CHECK_ONLY  (optional) no compression: CI on Linux only checks the script
;
; Per user, no administrator rights: the program goes to
; %LOCALAPPDATA%\Programs\MonevRADPUG and is registered under HKCU. The user's data
; (database, signing key, backups) lives in %LOCALAPPDATA%\MonevRADPUG (app/paths.py):
; a different folder that neither an upgrade nor the uninstaller ever touches. Deleting
; a Pokja's database would lose a year of signed submissions; the program is replaceable.

Unicode true
ManifestDPIAware true
RequestExecutionLevel user
!ifdef CHECK_ONLY
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif

!define APPNAME "Monev RAD PUG"
!define APPKEY "MonevRADPUG"
!define PUBLISHER "Pokja PUG"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPKEY}"
!define SETTINGSKEY "Software\${APPKEY}"
; The data folder of app/paths.py: named here only to keep it safe, never to delete it.
!define DATADIR "$LOCALAPPDATA\${APPKEY}"

Name "${APPNAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APPKEY}"
; An upgrade goes into the folder of the earlier installation.
InstallDirRegKey HKCU "${SETTINGSKEY}" "InstallDir"
BrandingText "${APPNAME} ${VERSION}"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING

!define MUI_WELCOMEPAGE_TITLE "Memasang ${APPNAME} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "Program ini memasang ${APPNAME} untuk pengguna Windows ini saja; \
  tidak perlu hak administrator.$\r$\n$\r$\nJika versi sebelumnya sudah terpasang, program \
  lama diganti dan data Anda (basis data, kunci tanda tangan, cadangan) di \
  ${DATADIR} tetap utuh.$\r$\n$\r$\nTutup ${APPNAME} sebelum melanjutkan."
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Jalankan ${APPNAME}"
!insertmacro MUI_PAGE_FINISH

!define MUI_UNCONFIRMPAGE_TEXT_TOP "Program ${APPNAME} akan dihapus dari komputer ini. \
  Data Anda di ${DATADIR} TIDAK dihapus: basis data, kunci tanda tangan dan cadangan tetap \
  ada dan dipakai lagi bila program dipasang kembali."
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "Indonesian"

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=${LANG_INDONESIAN} "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=${LANG_INDONESIAN} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_INDONESIAN} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_INDONESIAN} "FileDescription" "Pemasang ${APPNAME}"
VIAddVersionKey /LANG=${LANG_INDONESIAN} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_INDONESIAN} "LegalCopyright" "${PUBLISHER}"

; The program folder must never be the data folder (nor inside it): the uninstaller
; empties the program folder.
Function .onVerifyInstDir
  ${If} "$INSTDIR" == "${DATADIR}"
    Abort
  ${EndIf}
  StrLen $0 "${DATADIR}\"
  StrCpy $1 "$INSTDIR" $0
  ${If} "$1" == "${DATADIR}\"
    Abort
  ${EndIf}
FunctionEnd

; Removes the program files of an earlier version, and only those; asks the user to close
; the program while its exe is still in use.
!macro RemoveProgramFiles
  retry:
  ClearErrors
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  ${If} ${Errors}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${APPNAME} masih berjalan. Tutup programnya \
      (juga jendela perintah yang memakai ${CLI_EXE}), lalu pilih Ulangi." IDRETRY retry
    Abort
  ${EndIf}
  RMDir /r "$INSTDIR\_internal"
!macroend

Section "Program" SecProgram
  SectionIn RO
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  !insertmacro RemoveProgramFiles
  File /r "${BUNDLE}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
  CreateShortCut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0

  WriteRegStr HKCU "${SETTINGSKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTKEY}" "EstimatedSize" "$0"
SectionEnd

; Removes the shortcuts, the registry entries and the program folder's own files. The
; data folder is not named here: nothing below can reach it.
Section "Uninstall"
  SetShellVarContext current
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  Delete "$DESKTOP\${APPNAME}.lnk"
  !insertmacro RemoveProgramFiles
  Delete "$INSTDIR\uninstall.exe"
  ; Not /r: a file the user put here by hand survives, and the folder with it.
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DeleteRegKey HKCU "${SETTINGSKEY}"
SectionEnd
