"""References between reviews: related lists and `[[...]]` in essays, across volumes."""

import re

from anthology.series.references import volume_label
from anthology.series.resolve import resolve_series
from anthology.workspace.problems import Problems
from anthology.workspace.volumes import load_workspace

V1 = 'title = "Silent"\nauthor = "A"\ndate = 2026-01-01\n[series]\nname = "S"\nnumber = 1\n'
V2 = ('title = "Later"\nauthor = "A"\ndate = 2026-01-01\nstore = "https://shop.example/later"\n'
      '[series]\nname = "S"\nnumber = 2\n')


def series(workspace):
    problems = Problems()
    ws = load_workspace(workspace.root, problems)
    books = {b.slug: b for b in resolve_series(ws, problems)}
    return books, [p.format(workspace.root) for p in problems], problems


def two_volumes(workspace, essay: str) -> None:
    workspace.volume("v1", V1)
    workspace.volume("v2", V2)
    workspace.review("nosferatu", "v1", title="Nosferatu", appraisal=1,
                     aka=["Nosferatu, eine Symphonie des Grauens"], body=essay)
    workspace.review("haxan", "v1", title="Häxan", appraisal=2)
    workspace.review("carnival", "v2", title="Carnival of Souls", appraisal=3,
                     body="Compare [[nosferatu]] and [[Nosferatu, Eine Symphonie des "
                          "Grauens|Murnau's film]].\n")


def test_essay_references_resolve_here_and_in_another_volume(workspace) -> None:
    two_volumes(workspace, "Like [[haxan]], unlike [[Carnival of Souls]], and `[[code]]`.\n")
    books, problems, _ = series(workspace)
    assert problems == []
    essay = books["v1"].chapters[0].essay
    assert '<a class="xref" data-ref="haxan"><cite>Häxan</cite></a>' in essay
    assert '<a class="xref" data-ref="carnival"><cite>Carnival of Souls</cite></a>' in essay
    assert "<code>[[code]]</code>" in essay
    refs = {r.slug: r for r in books["v1"].chapters[0].references}
    assert refs["haxan"].chapter_id == "ch-haxan"
    carnival = refs["carnival"]
    assert (carnival.volume, carnival.target, carnival.volume_label, carnival.store) == (
        "v2", "ch-carnival", "Vol. II", "https://shop.example/later")
    later = books["v2"].chapters[0]
    assert [r.slug for r in later.references] == ["nosferatu"]  # the same review, once
    assert "Murnau’s film</a>" in later.essay


def test_a_near_miss_is_an_error_and_a_film_outside_the_series_a_note(workspace) -> None:
    two_volumes(workspace, "First line.\n\nThen [[Nosferatoo]] and [[Zzyzx Road]].\n")
    books, problems, found = series(workspace)
    assert problems == [
        "volumes/v1/nosferatu.md:10: error: reference 'Nosferatoo' names no review; "
        "did you mean 'Nosferatu'? [unknown-reference]",
        "volumes/v1/nosferatu.md:10: note: reference 'Zzyzx Road' is to a film outside the "
        "series: printed as its title, without a page [outside-reference]",
    ]
    assert {p.code for p in found} == {"unknown-reference", "outside-reference"}
    # The film outside prints as its title, in italics, and links nowhere.
    assert "<cite>Zzyzx Road</cite>" in books["v1"].chapters[0].essay
    assert "Zzyzx" not in str(books["v1"].chapters[0].references)
    assert "Nosferatoo" in books["v1"].chapters[0].essay  # the words stay


def test_a_review_in_no_volume_is_named_as_such(workspace) -> None:
    workspace.volume("v1", V1 + '[contents]\nreviews = ["a"]\n')
    workspace.review("a", "v1", title="Alpha", appraisal=1, related=["Orphan"])
    workspace.review("orphan", "v1", title="Orphan", appraisal=2)
    _, problems, _ = series(workspace)
    assert problems == ["volumes/v1/a.md:5: error: reference 'Orphan' is in no volume "
                        "[unknown-reference]"]


def test_volume_label(workspace) -> None:
    workspace.volume("v1", V1.replace("number = 1", "number = 14"))
    workspace.review("a", "v1", appraisal=1)
    problems = Problems()
    ws = load_workspace(workspace.root, problems)
    assert volume_label(ws.volume("v1")) == "Vol. XIV"


def test_films_outside_the_series_print_as_titles_without_a_page(workspace) -> None:
    """What an imported "Read X Appraisal" link becomes when the series does not hold X: the
    book builds, the related list names the film, nothing links or cites a page."""
    workspace.volume("v1", V1)
    workspace.review("a", "v1", title="Alpha", appraisal=1,
                     related=["Teetering on the Edge", "Beta"],
                     body="As in [[Another Film Entirely|that other film]], and [[The Marsh]].")
    workspace.review("b", "v1", title="Beta", appraisal=2)
    books, problems, found = series(workspace)
    assert [p.severity.value for p in found] == ["note", "note", "note"]
    assert not [p for p in problems if ": error:" in p]
    chapter = books["v1"].chapters[0]
    assert [r.title for r in chapter.related] == ["Teetering on the Edge", "Beta"]
    outside = chapter.related[0]
    assert (outside.slug, outside.chapter_id, outside.volume) == ("", None, None)
    assert "that other film" in chapter.essay and "Another Film" not in chapter.essay
    assert "<cite>The Marsh</cite>" in chapter.essay


def test_words_that_are_the_title_by_another_name_are_set_as_a_title(workspace) -> None:
    """`[[The Cabinet of Dr. Caligari|Caligari]]` prints "*Caligari* (p. 5)", as any other
    reference to a title does; words that are not a title stay roman."""
    workspace.volume("v1", V1)
    workspace.review("caligari", "v1", title="The Cabinet of Dr. Caligari", appraisal=1,
                     aka=["Das Cabinet des Dr. Caligari"])
    workspace.review("haxan", "v1", title="Häxan", appraisal=2)
    workspace.review("a", "v1", title="Alpha", appraisal=3,
                     body="[[The Cabinet of Dr. Caligari|Caligari]], [[Haxan|Häxan]], "
                          "[[Caligari|Das Cabinet]], [[Haxan|the Danish witch film]], "
                          "[[The Cabinet of Dr. Caligari|the film]], "
                          "[[The Cabinet of Dr. Caligari|The]] and [[Zzyzx Road|Zzyzx]].\n")
    books, problems, _ = series(workspace)
    assert not [p for p in problems if ": error:" in p]
    essay = books["v1"].chapters[2].essay
    links = re.findall(r'<a data-ref="\w+" class="xref">(.*?)</a>', essay)
    assert links == ["<cite>Caligari</cite>", "<cite>Häxan</cite>", "<cite>Das Cabinet</cite>",
                     "the Danish witch film", "the film", "The"]  # small words alone are no title
    assert "<cite>Zzyzx</cite>" in essay  # a film outside the series, by a short title
