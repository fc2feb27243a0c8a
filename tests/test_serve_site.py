"""What each URL of the preview renders (anthology.serve.site): the EPUB's own documents, only
what was rendered, problems for the overlay, and re-rendering only what changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from anthology.render.documents import EPUB_STYLESHEETS, render_epub_documents
from anthology.series.resolve import resolve_book
from anthology.serve.documents import Memo
from anthology.serve.site import (
    LIVE_URL,
    READER_MARGINS,
    Renderer,
    page_chapter,
    respond,
    segments,
    status,
)
from anthology.serve.state import Live, Proof, Snapshot, kept_proofs
from anthology.serve.watch import SourceFilter
from anthology.starter import create_workspace
from anthology.workspace.problems import Problems
from anthology.workspace.theme import Theme
from anthology.workspace.volumes import load_workspace

VOLUME = "first-volume"
CHAPTER = f"/v/{VOLUME}/ch-vampyr.xhtml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    create_workspace(tmp_path / "ws")
    return (tmp_path / "ws").resolve()


@pytest.fixture
def renderer(root: Path) -> Renderer:
    return Renderer(root)


def first(renderer: Renderer) -> Snapshot:
    return renderer.refresh(Snapshot(0, renderer.root))


def review(root: Path) -> Path:
    return root / "volumes" / VOLUME / "vampyr.md"


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


def test_a_chapter_is_the_epubs_own_document_plus_the_live_script(root, renderer) -> None:
    snapshot = first(renderer)
    problems = Problems()
    workspace = load_workspace(root, problems)
    book = resolve_book(workspace, workspace.volumes[0], problems)
    theme = Theme.for_workspace(root)
    names = [f"css/{i:02d}-{p.name}"
             for i, p in enumerate(theme.stylesheets(*EPUB_STYLESHEETS))]
    epub = {d.name: d.xhtml for d in render_epub_documents(book, theme, names)}
    volume = snapshot.volume(VOLUME)
    assert dict(volume.documents) == epub  # every document, byte for byte
    served = respond(snapshot, CHAPTER)
    assert served.status == 200
    assert served.content_type.startswith("application/xhtml+xml")
    script = f'{READER_MARGINS}<script src="{LIVE_URL}"></script>\n'
    assert served.body.decode() == epub["ch-vampyr.xhtml"].replace("</head>",
                                                                   script + "</head>", 1)


def test_the_series_its_contents_and_the_books_files(root, renderer) -> None:
    snapshot = first(renderer)
    index = respond(snapshot, "/").body.decode()
    assert "First Volume" in index and CHAPTER in index
    assert respond(snapshot, f"/v/{VOLUME}/").location == f"/v/{VOLUME}/toc.xhtml"
    toc = respond(snapshot, f"/v/{VOLUME}/toc.xhtml").body.decode()
    assert 'href="ch-vampyr.xhtml"' in toc
    css = respond(snapshot, f"/v/{VOLUME}/css/00-book.css")
    theme = Theme.for_workspace(root)
    assert css.body == theme.find("css", "book.css").read_bytes()
    assert css.content_type.startswith("text/css")
    cover = respond(snapshot, f"/v/{VOLUME}/images/cover.jpg")
    assert cover.status == 200 and cover.body[:2] == b"\xff\xd8"
    assert respond(snapshot, LIVE_URL).status == 200


def test_an_image_is_served_by_its_name_in_the_book(root, renderer) -> None:
    Image.new("RGB", (40, 30), "red").save(root / "volumes" / VOLUME / "still.png")
    append(review(root), "![A red still](still.png)")
    snapshot = first(renderer)
    asset = snapshot.volume(VOLUME).book.assets[0]
    served = respond(snapshot, f"/v/{VOLUME}/images/{asset.name}")
    assert served.status == 200 and served.content_type == "image/png"
    assert served.body == (root / "volumes" / VOLUME / "still.png").read_bytes()
    assert respond(snapshot, f"/v/{VOLUME}/images/still.png").status == 404


@pytest.mark.parametrize("url", [
    "/v/first-volume/../../../etc/passwd",
    "/v/first-volume/%2e%2e/%2e%2e/etc/passwd",
    "/v/first-volume/%2E%2E%2F%2E%2E%2Fvolume.toml",
    "/v/first-volume/css/..%2f..%2fvampyr.md",
    "/v/first-volume/./ch-vampyr.xhtml",
    "/v/first-volume/vampyr.md",
    "/v/first-volume/volume.toml",
    "/volumes/first-volume/vampyr.md",
    "/v/first-volume/css/book.css",
    "/v/first-volume/images/../../vampyr.md",
    "/v/first-volume/fonts/EBGaramond12-Regular.otf",  # this volume embeds no fonts
    "/v/nothing/toc.xhtml",
    "/v/first-volume/ch-vampyr.xhtml%00",
    "/v/first-volume/%ff.xhtml",
    "/_anthology/proof/abc/1.png",
    "/_anthology/../volumes/first-volume/vampyr.md",
    "http://example.com/",
    "/etc/passwd",
])
def test_nothing_but_what_it_rendered(renderer, url: str) -> None:
    assert respond(first(renderer), url).status == 404


def test_segments_refuse_climbing_whatever_the_encoding() -> None:
    assert segments("/v/a/ch-b.xhtml?x=1") == ("v", "a", "ch-b.xhtml")
    for climbing in ("/a/../b", "/a/%2e%2e/b", "/a/%2E./b", "/a/.%2e/b", "/a/%2e", "/a\\..\\b"):
        assert segments(climbing) is None, climbing


def test_a_yaml_error_is_listed_and_the_last_good_page_stays(root, renderer) -> None:
    snapshot = first(renderer)
    append(review(root), "A sentence the author has just appended.")
    snapshot = renderer.refresh(snapshot)
    text = review(root).read_text(encoding="utf-8")
    review(root).write_text(text.replace("year: 1932", "year: [1932"), encoding="utf-8")
    broken = renderer.refresh(snapshot)
    report = json.loads(status(broken, CHAPTER).body)
    assert len(report["errors"]) == 1
    assert report["errors"][0].startswith(f"volumes/{VOLUME}/vampyr.md:4: error: invalid YAML")
    assert report["page"] == "ok"
    assert "A sentence the author has just appended." in respond(broken, CHAPTER).body.decode()
    review(root).write_text(text.replace("year: 1932", "year: 1933"), encoding="utf-8")
    fixed = renderer.refresh(broken)
    assert json.loads(status(fixed, CHAPTER).body)["errors"] == []
    assert "(1933)" in respond(fixed, CHAPTER).body.decode()


def test_a_broken_template_never_stops_the_preview(root, renderer) -> None:
    snapshot = first(renderer)
    templates = root / "styles" / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    (templates / "chapter.xhtml").write_text("<section>{% if %}</section>", encoding="utf-8")
    append(review(root), "Written while the template was unreadable.")
    broken = renderer.refresh(snapshot)
    assert len(broken.errors) == 1 and "template" in broken.errors[0]
    assert respond(broken, CHAPTER).status == 200  # the last good page
    shutil.rmtree(templates)
    fixed = renderer.refresh(broken)
    assert fixed.errors == []
    assert "Written while the template was unreadable." in respond(fixed, CHAPTER).body.decode()


def test_a_removed_review_is_gone_from_the_site(root, renderer) -> None:
    snapshot = first(renderer)
    (root / "volumes" / VOLUME / "the-phantom-carriage.md").unlink()
    # Vampyr refers to it: now a film outside the series, named without a page (a note).
    after = renderer.refresh(snapshot)
    assert "outside-reference" in {p.code for p in after.problems}
    assert after.errors == []
    page = f"/v/{VOLUME}/ch-the-phantom-carriage.xhtml"
    assert respond(after, page).status == 404
    assert json.loads(status(after, page).body)["page"] == "gone"


def test_an_edit_re_renders_only_that_chapter(root, renderer) -> None:
    snapshot = first(renderer)
    documents, markdown = renderer.documents.memo, renderer.markdown.memo
    other = snapshot.volume(VOLUME).documents["ch-the-phantom-carriage.xhtml"]
    before = (documents.misses, markdown.misses)
    append(review(root), "One more line.")
    after = renderer.refresh(snapshot)
    # The edited chapter's document, and the few that may show anything of the book (cover,
    # title page, copyright, contents, foreword); never another chapter's.
    assert documents.misses - before[0] == 1 + 5
    assert markdown.misses - before[1] == 1  # the edited review's essay
    assert after.volume(VOLUME).documents["ch-the-phantom-carriage.xhtml"] is other
    old_jobs, new_jobs = snapshot.volume(VOLUME).proof_jobs, after.volume(VOLUME).proof_jobs
    assert new_jobs["ch-the-phantom-carriage"] is old_jobs["ch-the-phantom-carriage"]
    assert new_jobs["ch-vampyr"].key != old_jobs["ch-vampyr"].key


def test_memo_forgets_what_a_refresh_did_not_use() -> None:
    memo: Memo[str, int] = Memo()
    assert memo.get("a", lambda: 1) == 1
    memo.sweep()
    assert memo.get("a", lambda: 2) == 1 and memo.get("b", lambda: 3) == 3
    memo.sweep()
    memo.get("b", lambda: 4)
    memo.sweep()
    assert memo.get("a", lambda: 5) == 5  # "a" was not used in the last round


def test_proof_status_and_pages(renderer) -> None:
    snapshot = first(renderer)
    assert page_chapter(snapshot, CHAPTER) == (VOLUME, "ch-vampyr")
    assert page_chapter(snapshot, f"/v/{VOLUME}/toc.xhtml") is None
    key = snapshot.volume(VOLUME).proof_jobs["ch-vampyr"].key
    made = snapshot.with_proof(key, Proof("ready", (VOLUME, "ch-vampyr"), (b"png1", b"png2")))
    proof = json.loads(status(made, CHAPTER).body)["proof"]
    assert proof["state"] == "ready" and not proof["stale"]
    assert proof["pages"] == [f"/_anthology/proof/{key}/1.png", f"/_anthology/proof/{key}/2.png"]
    assert respond(made, proof["pages"][1]).body == b"png2"
    assert respond(made, f"/_anthology/proof/{key}/3.png").status == 404
    assert respond(made, f"/_anthology/proof/{key}/0.png").status == 404


def test_an_old_proof_is_shown_until_the_new_one_is_made(root, renderer) -> None:
    snapshot = first(renderer)
    old = snapshot.volume(VOLUME).proof_jobs["ch-vampyr"].key
    snapshot = snapshot.with_proof(old, Proof("ready", (VOLUME, "ch-vampyr"), (b"old",), made=1))
    append(review(root), "A change that moves the layout.")
    after = renderer.refresh(snapshot)
    assert old in after.proofs  # kept: the newest ready proof of the chapter
    proof = json.loads(status(after, CHAPTER).body)["proof"]
    assert proof["state"] == "none" and proof["stale"]
    assert proof["pages"] == [f"/_anthology/proof/{old}/1.png"]
    assert kept_proofs({"gone": Proof("queued", (VOLUME, "x"))}, {}) == {}


def test_live_swaps_whole_snapshots_and_wakes_waiters(root) -> None:
    live = Live(Snapshot(0, root))
    same = live.publish(lambda s: s)
    assert same.version == 0
    assert live.wait_newer(0, timeout=0.01) is None
    newer = live.publish(lambda s: s.with_proof("k", Proof("queued", ("v", "c"))))
    assert newer.version == 1 and live.wait_newer(0, timeout=0.01) is newer
    live.stop()
    assert live.wait_newer(1, timeout=5) is None


def test_the_watcher_sees_sources_only(root) -> None:
    seen = SourceFilter(root)
    from watchfiles import Change
    assert seen(Change.modified, str(root / "volumes" / VOLUME / "vampyr.md"))
    assert seen(Change.added, str(root / "styles" / "css" / "local.css"))
    assert not seen(Change.modified, str(root / "build" / ".cache" / "pieces" / "x.pdf"))
    assert not seen(Change.modified, str(root / "volumes" / VOLUME / ".vampyr.md.swp"))
    assert not seen(Change.modified, str(root / "volumes" / VOLUME / "vampyr.md~"))
    assert not seen(Change.modified, "/etc/passwd")


def test_a_volume_that_embeds_fonts_serves_them_by_their_epub_names(root, renderer) -> None:
    toml = root / "volumes" / VOLUME / "volume.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[epub]\nembed_fonts = true\n",
                    encoding="utf-8")
    snapshot = first(renderer)
    volume = snapshot.volume(VOLUME)
    assert list(volume.stylesheets)[:2] == ["css/00-fonts.css", "css/01-epub-fonts.css"]
    assert 'href="css/00-fonts.css"' in volume.documents["ch-vampyr.xhtml"]
    font = respond(snapshot, f"/v/{VOLUME}/fonts/EBGaramond12-Regular.otf")
    theme = Theme.for_workspace(root)
    assert font.status == 200
    assert font.body == theme.find("fonts", "EBGaramond12-Regular.otf").read_bytes()
    assert respond(snapshot, f"/v/{VOLUME}/fonts/OFL.txt").status == 404


def test_an_edited_stylesheet_is_announced_to_the_page(root, renderer) -> None:
    snapshot = first(renderer)
    before = json.loads(status(snapshot, CHAPTER).body)["styles"]
    local = root / "styles" / "css" / "local.css"
    local.write_text(local.read_text(encoding="utf-8") + "\nh1 { color: navy; }\n",
                     encoding="utf-8")
    after = renderer.refresh(snapshot)
    assert json.loads(status(after, CHAPTER).body)["styles"] != before
    css = respond(after, f"/v/{VOLUME}/css/02-local.css").body.decode()
    assert "color: navy" in css


@pytest.mark.parametrize("breaking", ["volume.toml", "volumes/"])
def test_a_volume_that_cannot_be_read_keeps_its_last_pages(root, renderer, breaking) -> None:
    snapshot = first(renderer)
    if breaking == "volume.toml":
        (root / "volumes" / VOLUME / "volume.toml").write_text('title = "Unclosed\n',
                                                             encoding="utf-8")
    else:
        shutil.move(root / "volumes", root / "elsewhere")
    broken = renderer.refresh(snapshot)
    assert broken.errors
    assert respond(broken, CHAPTER).status == 200


def test_what_the_author_silenced_is_not_shown(root, renderer) -> None:
    """As in check and build (docs/lint.md): a silenced code is neither over the page nor in
    the terminal's log."""
    path = review(root)
    path.write_text(path.read_text(encoding="utf-8").replace("May 6, 1932", "Mai 66, 1932"),
                    encoding="utf-8")
    assert any("[unreadable-fact]" in line for line in first(renderer).warnings)
    (root / "anthology.toml").write_text('[lint]\nignore = ["unreadable-fact"]\n',
                                         encoding="utf-8")
    assert first(renderer).warnings == []
