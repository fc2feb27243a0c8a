"""A real build under `strace -f` (issue 14): no network connection, and no file opened outside
the workspace, the Python installation, the system's libraries and fonts, /proc, /dev and the
temporary folder. The build and every process it starts are traced, C libraries included
(fontconfig, libxml2, Pango), which an audit hook inside Python would not see.

Sources that try to reach out (an image `../../etc/passwd`, a stylesheet `url(file:///etc/
passwd)`, reviews and stylesheets that are symlinks to a file beside the workspace) must be
refused without the file ever being opened.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

import anthology

REPO = Path(__file__).resolve().parent.parent
STRACE = shutil.which("strace")
SYSTEM = ("/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc", "/proc", "/dev", "/sys",
          "/var/cache/fontconfig")
NEVER = ("/etc/passwd", "/etc/shadow")
_OPEN = re.compile(r'\b(?:open|openat|openat2|creat|execve)\((?:(?:AT_FDCWD|\d+)[^,]*, )?'
                   r'"((?:[^"\\]|\\.)*)"')
_CONNECT = re.compile(r"\bconnect\(\d+[^,]*, \{sa_family=(\w+)(.*?)\}")
CLIMB = "../" * 12  # from any temporary folder up to /

pytestmark = pytest.mark.e2e

VOLUME = 'title = "Audit"\nauthor = "Ada Quill"\nlanguage = "en"\ndate = 2026-03-01\n' \
         'foreword = "foreword.md"\n'
ALPHA = ("---\ntitle: Alpha\nyear: 1950\nappraisal: 1\nfacts:\n  - Director: Ada Quill\n"
         "jukebox:\n  - artist: The Auditors\n    song: Strace\njudgement: 8/10\n---\n\n"
         "An essay about a film that never was.\n\n{extra}\n")
BETA = "---\ntitle: Beta\nappraisal: 2\n---\n\nA second essay, to have two chapters.\n"


@dataclass(frozen=True)
class Trace:
    returncode: int
    output: str
    opened: tuple[str, ...]
    connections: tuple[str, ...]


def png() -> bytes:
    from io import BytesIO

    from PIL import Image  # only this test module needs it; keeps collection light
    out = BytesIO()
    Image.new("RGB", (32, 32), (120, 120, 120)).save(out, "PNG")
    return out.getvalue()


def make_workspace(tmp_path: Path, extra: str = "", css: str = "p { color: #111; }\n") -> Path:
    root = tmp_path / "ws"
    v1 = root / "volumes" / "v1"
    v1.mkdir(parents=True)
    (v1 / "volume.toml").write_text(VOLUME)
    (v1 / "foreword.md").write_text("A foreword, written for the audit.\n")
    (v1 / "alpha.md").write_text(ALPHA.format(extra=extra or "![A grey square](still.png)"))
    (v1 / "beta.md").write_text(BETA)
    (v1 / "still.png").write_bytes(png())
    (root / "styles" / "css").mkdir(parents=True)
    (root / "styles" / "css" / "local.css").write_text(css)
    return root


def traced_build(root: Path, tmp_path: Path, *args: str) -> Trace:
    """`anthology build` under strace, following every process it starts."""
    if STRACE is None:
        pytest.fail("strace is not installed: run ./setup.sh, which installs it")
    log = tmp_path / "strace.log"
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    # A home and a PATH of its own: fontconfig looks in the home for its cache, ctypes looks
    # along PATH for a linker, and neither is the build reading files.
    path = os.pathsep.join((str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin",
                            "/bin"))
    env = {**os.environ, "PYTHONPATH": str(REPO), "HOME": str(home), "PATH": path}
    command = [STRACE, "-f", "-qq", "-s", "4096", "-e", "trace=open,openat,openat2,creat,"
               "execve,connect", "-e", "signal=none", "-o", str(log), sys.executable, "-m",
               "anthology", "build", "--root", str(root), *args]
    completed = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True,
                               timeout=600, check=False)
    text = log.read_text(errors="replace")
    opened = tuple(os.path.normpath(os.path.join(root, _unescape(m[1])))
                   for m in _OPEN.finditer(text))
    connections = tuple(f"{m[1]}{m[2]}" for m in _CONNECT.finditer(text) if m[1] != "AF_UNIX")
    return Trace(completed.returncode, completed.stdout + completed.stderr, opened, connections)


def _unescape(path: str) -> str:
    return path.encode("latin-1", "backslashreplace").decode("unicode_escape")


def allowed_places(root: Path, home: Path) -> tuple[str, ...]:
    # The installed project: its package, and the metadata an editable install leaves beside
    # it (read when a library looks up entry points).
    package = Path(anthology.__file__).parent
    places = {root, home, Path(tempfile.gettempdir()), Path(sys.prefix), Path(sys.base_prefix),
              package, package.parent / "anthology.egg-info",
              *(Path(p) for p in sysconfig.get_paths().values())}
    places |= {Path(p).resolve() for p in list(places)}
    return (*(str(p) for p in places), *SYSTEM)


def outside(trace: Trace, root: Path, home: Path, forbidden: tuple[str, ...] = ()) -> list[str]:
    """Files opened (or tried) outside the allowed places, and any forbidden at all."""
    places = allowed_places(root, home)
    # Python lists the folders on its path when it imports; listing is not reading a file.
    folders = {str(REPO), *(p for p in sys.path if p), str(root)}
    found = []
    for path in sorted(set(trace.opened)):
        if any(path == f or path.startswith(f + os.sep) for f in (*NEVER, *forbidden)):
            found.append(f"forbidden: {path}")
        elif path not in folders and not any(path == p or path.startswith(p.rstrip("/") + "/")
                                             for p in places):
            found.append(path)
    return found


def test_a_real_build_touches_nothing_outside_and_never_the_network(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    trace = traced_build(root, tmp_path, "-j", "2")
    assert trace.returncode == 0, trace.output
    assert {p.name for p in (root / "build").iterdir()} >= {"v1.pdf", "v1.epub", "v1-cover.jpg"}
    assert any(p.endswith("volumes/v1/alpha.md") for p in trace.opened)  # the trace is real
    assert trace.connections == ()
    assert outside(trace, root, tmp_path / "home") == []


def _image_passwd(tmp_path: Path) -> Path:
    return make_workspace(tmp_path, extra=f"![Passwords]({CLIMB}etc/passwd)")


def _css_passwd(tmp_path: Path) -> Path:
    return make_workspace(tmp_path, css="p { background: url(file:///etc/passwd); }\n")


def _css_climb(tmp_path: Path) -> Path:
    return make_workspace(tmp_path, css=f".never-used {{ background: url({CLIMB}etc/passwd); }}\n")


def _review_link(tmp_path: Path) -> Path:
    root = make_workspace(tmp_path)
    secret = _secret(tmp_path, "smuggled.md", "---\ntitle: Smuggled\nappraisal: 9\n---\n\nX.\n")
    (root / "volumes" / "v1" / "smuggled.md").symlink_to(secret)
    return root


def _css_link(tmp_path: Path) -> Path:
    root = make_workspace(tmp_path)
    secret = _secret(tmp_path, "secret.css", "p { color: red; }\n")
    (root / "styles" / "css" / "local.css").unlink()
    (root / "styles" / "css" / "local.css").symlink_to(secret)
    return root


def _image_link(tmp_path: Path) -> Path:
    root = make_workspace(tmp_path)
    secret = tmp_path / "outside" / "still.png"
    secret.parent.mkdir(exist_ok=True)
    secret.write_bytes(png())
    (root / "volumes" / "v1" / "still.png").unlink()
    (root / "volumes" / "v1" / "still.png").symlink_to(secret)
    return root


def _secret(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / "outside" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return path


REACHING_OUT = {
    "image ../../etc/passwd": (_image_passwd, r"^volumes/v1/alpha\.md:\d+: error: .*outside"),
    "stylesheet url(file:///etc/passwd)": (_css_passwd, r"styles/css/local\.css.*error|"
                                                        r"error: .*file:///etc/passwd"),
    "stylesheet url(../../etc/passwd), unused": (_css_climb, r"styles/css/local\.css.*error|"
                                                             r"error: .*etc/passwd"),
    "review symlinked outside": (_review_link, r"^volumes/v1/smuggled\.md(:\d+)?: error: "),
    "stylesheet symlinked outside": (_css_link, r"^styles/css/local\.css(:\d+)?: error: "),
    "image symlinked outside": (_image_link, r"^volumes/v1/alpha\.md:\d+: error: "),
}


@pytest.mark.parametrize("case", REACHING_OUT, ids=list(REACHING_OUT))
def test_sources_that_reach_out_are_refused_unread(case: str, tmp_path: Path) -> None:
    make, message = REACHING_OUT[case]
    root = make(tmp_path)
    trace = traced_build(root, tmp_path, "--only", "epub", "-j", "1")
    assert trace.returncode == 1, trace.output
    assert re.search(message, trace.output, re.MULTILINE), trace.output
    assert "Traceback" not in trace.output, trace.output
    assert trace.connections == ()
    forbidden = (str(tmp_path / "outside"),)
    assert outside(trace, root, tmp_path / "home", forbidden) == []
