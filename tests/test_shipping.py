"""What to upload where: each destination gets the right file of each volume, and a file with a
failed check, one not built or a stale feed is never called ready."""

from __future__ import annotations

import json
import os
from pathlib import Path

from typer.testing import CliRunner

from anthology.cli import app
from anthology.preflight.shipping import ANY_STORE, ONIX, Readiness, Volume, uploads
from anthology.print.pdf import Profile
from anthology.workspace.publishing import Store
from tests.conftest import WorkspaceBuilder


def volume(out: Path, failed: frozenset[str] = frozenset(), **kwargs) -> Volume:
    for name in ("v1.epub", "v1.kepub.epub", "v1.kindle.epub"):
        (out / name).write_bytes(b"x")
    fields = {"slug": "v1", "epub": "v1.epub",
              "editions": {Store.kobo: "v1.kepub.epub", Store.kindle: "v1.kindle.epub"},
              "prints": {Profile.kdp: ("v1-kdp.pdf", "v1-cover-kdp.pdf")},
              "unbuilt": {Profile.ingram: "anthology build v1 --print"},
              "failed": failed} | kwargs
    return Volume(**fields)


def by_destination(found) -> dict[str, object]:
    return {u.destination: u for u in found}


def test_each_store_gets_its_own_edition_or_the_generic_one(tmp_path) -> None:
    found = by_destination(uploads([volume(tmp_path)], tmp_path, isbns=False))
    assert found["Kobo Writing Life"].files == ("v1.kepub.epub",)
    assert found["Amazon KDP, Kindle eBook"].files == ("v1.kindle.epub",)
    assert found["Apple Books"].files == ("v1.epub",)
    assert "generic EPUB" in found["Apple Books"].note
    assert found[ANY_STORE].files == ("v1.epub",)
    assert found["Amazon KDP, paperback"].files == ("v1-kdp.pdf", "v1-cover-kdp.pdf")
    assert found["Amazon KDP, paperback"].readiness is Readiness.ready
    assert found["IngramSpark, paperback"].readiness is Readiness.not_built
    assert found["IngramSpark, paperback"].note == "run anthology build v1 --print"
    assert ONIX not in found  # no ISBN: no feed to send
    assert "IngramSpark, hardcover" not in found


def test_a_failed_check_makes_its_destinations_not_ready(tmp_path) -> None:
    found = by_destination(uploads([volume(tmp_path, frozenset({"v1-cover-kdp.pdf"}))],
                                   tmp_path))
    paperback = found["Amazon KDP, paperback"]
    assert paperback.readiness is Readiness.failed and "v1-cover-kdp.pdf" in paperback.note
    assert found["Amazon KDP, Kindle eBook"].readiness is Readiness.ready


def test_a_store_edition_not_built_says_how_to_build_it(tmp_path) -> None:
    v = volume(tmp_path, editions_command="anthology build v1 --stores")
    (tmp_path / "v1.kepub.epub").unlink()
    kobo = by_destination(uploads([v], tmp_path))["Kobo Writing Life"]
    assert kobo.readiness is Readiness.not_built
    assert kobo.note == "run anthology build v1 --stores"


def test_the_feed_is_listed_and_stale_when_older(tmp_path) -> None:
    feed = tmp_path / "series-onix.xml"
    feed.write_text("<ONIXMessage/>")
    v = volume(tmp_path)
    assert by_destination(uploads([v], tmp_path))[ONIX].readiness is Readiness.not_built
    fresh = by_destination(uploads([v], tmp_path, [feed]))[ONIX]
    assert fresh.readiness is Readiness.ready and fresh.files == ("series-onix.xml",)
    stale = by_destination(uploads([v], tmp_path, [feed], onix_stale=True))[ONIX]
    assert stale.readiness is Readiness.stale and "anthology onix" in stale.note


def test_preflight_ends_with_what_to_upload_where(workspace: WorkspaceBuilder) -> None:
    """After `build --stores` and `anthology onix`, with the feed made older than a source."""
    workspace.volume("v1", "title = \"One\"\nauthor = \"A. Critic\"\ndate = 2026-03-01\n"
                     "[identifiers]\nisbn_ebook = \"9780306406157\"\n")
    workspace.review("first", "v1", appraisal=1)
    root = str(workspace.root)
    runner = CliRunner()
    built = runner.invoke(app, ["build", "-j", "1", "--stores", "--root", root])
    assert built.exit_code == 0, built.output
    assert runner.invoke(app, ["onix", "--root", root]).exit_code == 0
    result = runner.invoke(app, ["preflight", "--root", root, "--format", "json"])
    data = json.loads(result.stdout)
    shipping = {u["destination"]: u for u in data["shipping"]}
    assert shipping["Kobo Writing Life"]["files"] == ["v1.kepub.epub"]
    assert shipping[ONIX]["readiness"] == "ready"
    assert {r["file"] for r in data["rows"] if r["profile"] == "stores"} == \
        {"v1.kepub.epub", "v1.kindle.epub"}
    feed = workspace.root / "build" / shipping[ONIX]["files"][0]
    os.utime(feed, (feed.stat().st_mtime - 3600,) * 2)
    text = runner.invoke(app, ["preflight", "--root", root])
    assert "What to upload where" in text.output
    assert "distributors and libraries (ONIX 3.0), series: older than its sources: run " \
        "anthology onix again" in text.output
    assert text.output.strip().splitlines()[-1].startswith("Preflight of 1 volume")
