"""LibreOffice for the tests: accept or reject every tracked change of a DOCX and read its text.

A Basic macro in a fresh LibreOffice profile does what a reviewer does in
Writer (Edit → Track Changes → Accept All / Reject All) and saves the result
as UTF-8 text. The profile is made by a first start, since LibreOffice fills
a new profile's Basic library with its presets.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

MACRO = """REM Accept or reject every tracked change of a document, then save its text.
Sub Resolve(source As String, target As String, action As String)
  Dim load(0) As New com.sun.star.beans.PropertyValue
  load(0).Name = "Hidden" : load(0).Value = True
  document = StarDesktop.loadComponentFromURL(ConvertToURL(source), "_blank", 0, load())
  helper = createUnoService("com.sun.star.frame.DispatchHelper")
  helper.executeDispatch(document.CurrentController.Frame, ".uno:" &amp; action &amp; "AllTrackedChanges", "", 0, Array())
  Dim save(1) As New com.sun.star.beans.PropertyValue
  save(0).Name = "FilterName" : save(0).Value = "Text (encoded)"
  save(1).Name = "FilterOptions" : save(1).Value = "UTF8,LF"
  document.storeToURL(ConvertToURL(target), save())
  document.close(True)
End Sub
"""

MODULE = ('<?xml version="1.0" encoding="UTF-8"?>\n'
          '<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n'
          '<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" '
          'script:language="StarBasic">' + MACRO + "</script:module>")


def resolved_text(soffice: str, docx: Path, action: str) -> str:
    """Return the text of a DOCX after LibreOffice's "Accept All" (action "Accept") or "Reject All"."""
    assert action in ("Accept", "Reject")
    with tempfile.TemporaryDirectory(prefix="songphasa-lo-") as folder:
        profile = Path(folder) / "profile"
        base = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"]
        subprocess.run([*base, "--terminate_after_init"], capture_output=True, timeout=120, check=True)
        (profile / "user" / "basic" / "Standard" / "Module1.xba").write_text(MODULE, encoding="utf-8")
        target = Path(folder) / "resolved.txt"
        run = subprocess.run([*base, f'macro:///Standard.Module1.Resolve("{docx}","{target}","{action}")'],
                             capture_output=True, text=True, timeout=120)
        if not target.exists():
            raise RuntimeError(f"LibreOffice saved no text (exit {run.returncode}): {run.stderr[-1000:]}")
        return target.read_text(encoding="utf-8-sig")
