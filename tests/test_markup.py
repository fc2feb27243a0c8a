from pathlib import Path

from PIL import Image

from anthology.markup import render_markdown, smarten
from anthology.problems import Problems


def render(text: str, root: Path, path: Path | None = None):
    problems = Problems()
    fragment = render_markdown(text, path or root / "r.md", 5, root, problems)
    return fragment, [p.format(root) for p in problems]


def test_smarten_plain_strings() -> None:
    assert smarten('It\'s "Dracula" -- by Stoker...') == "It’s “Dracula” – by Stoker…"
    assert smarten("M*A*S*H_1 [x] <b>") == "M*A*S*H_1 [x] <b>"
    assert smarten("1. Not a list") == "1. Not a list"
    assert smarten("- not a list") == "- not a list"
    assert smarten("Tom & Jerry") == "Tom & Jerry"


def test_markdown_becomes_xhtml_with_typography(tmp_path: Path) -> None:
    fragment, problems = render('He said "no" -- twice...\n\nLine  \nbreak & more', tmp_path)
    assert problems == []
    assert "<p>He said “no” – twice…</p>" in fragment.xhtml
    assert "<br/>" in fragment.xhtml
    assert "&amp; more" in fragment.xhtml


def test_raw_html_that_could_run_or_fetch_is_reported(tmp_path: Path) -> None:
    text = "Fine.\n\n<script>alert(1)</script>\n\n<iframe src='http://x'></iframe>\n"
    fragment, problems = render(text, tmp_path)
    assert problems == [
        "r.md:7: error: raw HTML <script> is not allowed in a review",
        "r.md:9: error: raw HTML <iframe> is not allowed in a review",
    ]
    assert "script" not in fragment.xhtml and "iframe" not in fragment.xhtml


def test_links(tmp_path: Path) -> None:
    fragment, problems = render(
        "[web](https://example.org) [bad](javascript:alert(1)) [file](other.md)", tmp_path)
    assert 'href="https://example.org"' in fragment.xhtml
    assert "javascript" not in fragment.xhtml
    assert len(problems) == 2


def test_images_must_be_local_real_and_described(tmp_path: Path) -> None:
    Image.new("RGB", (4, 3), "red").save(tmp_path / "still.png")
    (tmp_path / "fake.png").write_text("not an image")
    fragment, problems = render(
        "![A red still](still.png)\n\n![](still.png)\n\n![x](https://example.org/a.png)\n\n"
        "![x](../outside.png)\n\n![x](fake.png)\n", tmp_path)
    assert len(fragment.assets) == 2  # the same file twice, both kept in the text
    asset = fragment.assets[0]
    assert asset.media_type == "image/png"
    assert (asset.width, asset.height) == (4, 3)
    assert f'src="images/{asset.name}"' in fragment.xhtml
    assert problems == [
        "r.md:7: error: image 'still.png' needs alt text: ![what it shows](still.png)",
        "r.md:9: error: image 'https://example.org/a.png' is not a file in the project: "
        "remote images are never fetched; save it beside the review",
        "r.md:11: error: image '../outside.png' is outside the project",
        "r.md:13: error: image 'fake.png' does not exist or is not a PNG, JPEG or GIF file",
    ]


def test_essay_headings_sit_below_the_chapter(tmp_path: Path) -> None:
    fragment, _ = render("# Big\n\n## Smaller\n", tmp_path)
    assert "<h3>Big</h3>" in fragment.xhtml
    assert "<h3>Smaller</h3>" in fragment.xhtml
