"""Playlists read back with independent readers: m3u8 (PyPI), lxml with the XSPF 1 schema,
json and csv. Every jukebox track appears once, in book order, its characters intact."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import m3u8
import pytest
from lxml import etree
from typer.testing import CliRunner

from anthology.cli import app
from anthology.playlists import playlist_files
from anthology.series.resolve import resolve_series
from anthology.workspace.problems import Problems
from anthology.workspace.volumes import load_workspace
from tests.conftest import VOLUME_TOML, WorkspaceBuilder

SCHEMA = Path(__file__).parent / "fixtures" / "xspf" / "xspf-1_0.7.rng"
NS = {"x": "http://xspf.org/ns/0/"}
MBID = "5e2f4c1a-9b7d-4e3a-8c6f-0a1b2c3d4e5f"

# (slug, appraisal, title, year, tracks); a track is (artist, song) or one line of text.
FIRST = [
    ("kaidan", 3, "Kwaidan", 1964,
     [("武満徹", "怪談"), ("Ségolène Örn", "Nuit, brève et blanche")]),
    ("vij", 1, "Viy", 1967, [("Кино", "Группа крови", MBID), ("AC/DC", "Hells Bells")]),
]
SECOND = [
    ("alpha", 10, "Alpha", 1980, ["#1 Dads So Soldiering On"]),
    ("zeta", 12, "Zeta", 1985, [("Μίκης Θεοδωράκης", "Ζορμπάς"), ("Sigur Rós", "Hoppípolla")]),
]


def series_toml(number: int, title: str) -> str:
    return VOLUME_TOML.replace("Test Volume", title) + (
        f'\n[series]\nname = "Ghost Notes"\nnumber = {number}\n')


def review_tracks(tracks: list) -> list:
    written = []
    for track in tracks:
        if isinstance(track, str):
            written.append(track)
        else:
            entry = {"artist": track[0], "song": track[1]}
            if len(track) > 2:
                entry["musicbrainz"] = track[2]
            written.append(entry)
    return written


def expected(reviews: list) -> list[tuple[str, str | None, str]]:
    """(artist, song, film) in book order (these volumes are in appraisal order)."""
    rows = []
    for _, _, title, year, tracks in sorted(reviews, key=lambda r: r[1]):
        for track in tracks:
            artist, song = (track, None) if isinstance(track, str) else track[:2]
            rows.append((artist, song, f"{title} ({year})"))
    return rows


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    # Folder order (a-..., b-...) is not series order: the series playlist follows the numbers.
    ws = WorkspaceBuilder(tmp_path_factory.mktemp("playlists") / "ws")
    ws.volume("b-first", series_toml(1, "Étrangetés"))
    ws.volume("a-second", series_toml(2, "Second Sight"))
    ws.volume("omnibus", VOLUME_TOML.replace("Test Volume", "Omnibus")
              + '[contents]\nreviews = ["zeta", "vij"]\n')
    for folder, reviews in (("b-first", FIRST), ("a-second", SECOND)):
        for slug, appraisal, title, year, tracks in reviews:
            ws.review(slug, folder, title=title, year=year, appraisal=appraisal,
                      jukebox=review_tracks(tracks))
    ws.review("no-songs", "a-second", title="Quiet", year=1990, appraisal=11)
    return ws.root


def files(root: Path, series: bool = True) -> dict[str, bytes]:
    problems = Problems()
    workspace = load_workspace(root, problems)
    books = resolve_series(workspace, problems)
    assert not problems.errors, [p.format() for p in problems]
    return dict(playlist_files(books, series))


PLAYLISTS = {"b-first-playlist": expected(FIRST), "a-second-playlist": expected(SECOND),
             "series-playlist": expected(FIRST) + expected(SECOND),
             # An explicit list is the omnibus's order.
             "omnibus-playlist": [r for r in expected(SECOND) if r[2] == "Zeta (1985)"]
             + [r for r in expected(FIRST) if r[2] == "Viy (1967)"]}


def line(artist: str, song: str | None) -> str:
    return f"{artist} - {song}" if song else artist


@pytest.mark.parametrize("stem", PLAYLISTS)
def test_m3u8_reads_back_in_book_order(root, stem) -> None:
    text = files(root)[f"{stem}.m3u8"].decode("utf-8")
    assert text.startswith("#EXTM3U\n")
    playlist = m3u8.loads(text)
    assert [s.title for s in playlist.segments] == [line(a, s) for a, s, _ in PLAYLISTS[stem]]
    assert all(s.duration == -1 for s in playlist.segments)
    for segment in playlist.segments:  # a location for each: MusicBrainz, else the name
        if segment.title == "Кино - Группа крови":
            assert segment.uri == f"https://musicbrainz.org/recording/{MBID}"
        elif segment.title.startswith("AC/DC"):
            assert segment.uri == "AC\u2215DC - Hells Bells"  # no folder "AC"
        elif segment.title.startswith("#1"):
            assert segment.uri == "./#1 Dads So Soldiering On"  # not a comment
        else:
            assert segment.uri == segment.title


@pytest.mark.parametrize("stem", PLAYLISTS)
def test_xspf_is_valid_and_annotated(root, stem) -> None:
    document = etree.fromstring(files(root)[f"{stem}.xspf"])
    etree.RelaxNG(etree.parse(str(SCHEMA))).assertValid(document)
    tracks = document.findall("x:trackList/x:track", NS)
    found = [(t.findtext("x:creator", None, NS), t.findtext("x:title", None, NS),
              t.findtext("x:annotation", None, NS)) for t in tracks]
    want = [(a, s, film) if s else (None, a, film) for a, s, film in PLAYLISTS[stem]]
    assert [(c, t) for c, t, _ in found] == [(c, t) for c, t, _ in want]
    for (_, _, note), (_, _, film) in zip(found, want, strict=True):
        assert note.startswith(f"{film}, Appraisal #")  # its film and appraisal
    identifiers = [t.findtext("x:identifier", None, NS) for t in tracks]
    assert identifiers.count(f"https://musicbrainz.org/recording/{MBID}") == (
        1 if any(r[0] == "Кино" for r in PLAYLISTS[stem]) else 0)
    assert identifiers.count(None) == len(tracks) - (1 if any(identifiers) else 0)


@pytest.mark.parametrize("stem", PLAYLISTS)
def test_jspf_csv_and_text_read_back(root, stem) -> None:
    made = files(root)
    rows = PLAYLISTS[stem]
    tracks = json.loads(made[f"{stem}.jspf"].decode("utf-8"))["playlist"]["track"]
    assert [(t.get("creator"), t["title"]) for t in tracks] == [
        (a, s) if s else (None, a) for a, s, _ in rows]
    assert [t.get("identifier") for t in tracks].count(
        [f"https://musicbrainz.org/recording/{MBID}"]) == sum(r[0] == "Кино" for r in rows)
    table = list(csv.DictReader(io.StringIO(made[f"{stem}.csv"].decode("utf-8"), newline="")))
    assert list(table[0]) == ["artist", "title", "film", "appraisal", "volume", "position"]
    assert [(r["artist"], r["title"] or None, r["film"]) for r in table] == rows
    assert [int(r["position"]) for r in table] == list(range(1, len(rows) + 1))
    assert made[f"{stem}.txt"].decode("utf-8").splitlines() == [line(a, s) for a, s, _ in rows]


def test_series_playlist_names_volumes_in_series_order_and_leaves_out_the_omnibus(root) -> None:
    table = list(csv.DictReader(io.StringIO(files(root)["series-playlist.csv"].decode())))
    assert [r["volume"] for r in table] == ["Étrangetés"] * 4 + ["Second Sight"] * 3
    assert "Omnibus" not in {r["volume"] for r in table}


def test_names_and_a_volume_without_songs(root, tmp_path) -> None:
    made = files(root)
    stems = sorted({name.rsplit(".", 1)[0] for name in made})
    assert stems == sorted(PLAYLISTS)
    assert {name.rsplit(".", 1)[1] for name in made} == {"m3u8", "xspf", "jspf", "csv", "txt"}
    assert "series-playlist.m3u8" not in files(root, series=False)


def test_output_is_byte_identical_across_runs(root) -> None:
    assert files(root) == files(root)


def test_the_build_writes_playlists_in_its_transaction(root, tmp_path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", "--only", "playlists", "--root", str(root),
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert written == files(root)
    # One volume: its playlists, and the series' (of every volume, never a partial one).
    one = tmp_path / "one"
    result = CliRunner().invoke(app, ["build", "b-first", "--only", "playlists", "--root",
                                      str(root), "--out", str(one)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in one.iterdir()) == sorted(
        f"{stem}.{ext}" for stem in ("b-first-playlist", "series-playlist")
        for ext in ("csv", "jspf", "m3u8", "txt", "xspf"))
    assert (one / "series-playlist.csv").read_bytes() == written["series-playlist.csv"]


def test_a_playlist_that_cannot_be_put_in_place_leaves_every_file_as_it_was(root, tmp_path) -> None:
    out = tmp_path / "out"
    (out / "series-playlist.txt").mkdir(parents=True)  # in the way of one file
    (out / "b-first-playlist.m3u8").write_bytes(b"the last good one")
    result = CliRunner().invoke(app, ["build", "--only", "playlists", "--root", str(root),
                                      "--out", str(out)])
    assert result.exit_code == 1
    assert "a folder of that name is in the way" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["b-first-playlist.m3u8",
                                                     "series-playlist.txt"]
    assert (out / "b-first-playlist.m3u8").read_bytes() == b"the last good one"


def test_a_bad_musicbrainz_id_is_an_error_at_its_line(tmp_path) -> None:
    ws = WorkspaceBuilder(tmp_path / "ws")
    ws.volume("v1")
    ws.review("alpha", title="Alpha", appraisal=1, jukebox=[
        {"artist": "A", "song": "S"}, {"artist": "B", "song": "T", "musicbrainz": "12345"}])
    result = CliRunner().invoke(app, ["check", "--root", str(ws.root)])
    assert result.exit_code == 1
    (error,) = [line for line in result.output.splitlines() if ": error: " in line]
    assert error.startswith("volumes/v1/alpha.md:") and "not a MusicBrainz recording id" in error
    line = int(error.split(":")[1])
    assert "musicbrainz" in (ws.root / "volumes/v1/alpha.md").read_text().splitlines()[line - 1]


@pytest.mark.parametrize("song", ["!!binary AAE=", "!!binary Gw==", '"\\e[31m"', '"\\x7f"'])
def test_a_song_that_is_bytes_or_control_characters_is_an_error_not_a_playlist(
        tmp_path, song) -> None:
    """`!!binary` once made a song of raw bytes that reached the writers (a traceback)."""
    ws = WorkspaceBuilder(tmp_path / "ws")
    ws.volume("v1")
    ws.write("volumes/v1/alpha.md", "---\ntitle: Alpha\nappraisal: 1\njukebox:\n"
                                    f"  - artist: A\n    song: {song}\n---\n\nAn essay.\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", "--only", "playlists", "--root", str(ws.root),
                                      "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    (error,) = [line for line in result.output.splitlines() if ": error: " in line]
    assert error.startswith("volumes/v1/alpha.md:6: error: ")
    assert "tag '!!binary'" in error or "control character" in error
    assert not out.exists() or not any(out.iterdir())


def test_songs_and_artists_are_kept_as_written(tmp_path) -> None:
    ws = WorkspaceBuilder(tmp_path / "ws")
    ws.volume("v1")
    ws.write("volumes/v1/alpha.md", "---\ntitle: Alpha\nappraisal: 1\njukebox:\n"
                                    "  - artist: 0110\n    song: 1:42\n  - artist: NO\n"
                                    "    song: yes\n---\n\nAn essay.\n")
    text = files(ws.root)["v1-playlist.txt"].decode("utf-8")
    assert "0110 - 1:42" in text and "NO - yes" in text
