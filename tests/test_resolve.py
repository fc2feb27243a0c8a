from anthology.series.lint import lint
from anthology.series.resolve import (
    chapter_id,
    resolve_book,
    resolve_series,
    sort_title,
    title_key,
)
from anthology.workspace.problems import Problems
from anthology.workspace.volumes import load_workspace


def resolve(workspace, slug: str = "v1"):
    problems = Problems()
    ws = load_workspace(workspace.root, problems)
    book = resolve_book(ws, ws.volume(slug), problems)
    return book, [p.format(workspace.root) for p in problems]


def test_chapters_follow_appraisal_order_by_default(workspace) -> None:
    workspace.volume()
    workspace.review("b", title="Bravo", appraisal=20)
    workspace.review("a", title="Alpha", appraisal=30)
    workspace.review("c", title="Charlie", appraisal=10)
    book, problems = resolve(workspace)
    assert problems == []
    assert [c.title for c in book.chapters] == ["Charlie", "Bravo", "Alpha"]
    assert [c.number for c in book.chapters] == [1, 2, 3]


def test_order_by_title_ignores_articles_and_by_year(workspace) -> None:
    workspace.volume("v1", 'title = "T"\nauthor = "A"\ndate = 2026-01-01\norder = "title"\n')
    workspace.review("x", title="The Zebra", year=1950)
    workspace.review("y", title="An Apple", year=1970)
    workspace.review("z", title="Mango", year=1930)
    book, _ = resolve(workspace)
    assert [c.title for c in book.chapters] == ["An Apple", "Mango", "The Zebra"]
    workspace.volume("v1", 'title = "T"\nauthor = "A"\ndate = 2026-01-01\norder = "year"\n')
    book, _ = resolve(workspace)
    assert [c.year for c in book.chapters] == [1930, 1950, 1970]


def test_explicit_list_keeps_its_order(workspace) -> None:
    workspace.volume("v1", 'title = "T"\nauthor = "A"\ndate = 2026-01-01\n'
                           '[contents]\nreviews = ["c", "a", "b"]\n')
    for slug in "abc":
        workspace.review(slug, appraisal=1)
    book, _ = resolve(workspace)
    assert [c.id for c in book.chapters] == ["ch-c", "ch-a", "ch-b"]


def test_ordering_by_appraisal_needs_numbers(workspace) -> None:
    workspace.volume()
    workspace.review("a", title="Alpha")
    _, problems = resolve(workspace)
    assert problems == ["volumes/v1/a.md:2: error: volume 'v1' is ordered by appraisal number, "
                        "but this review has no 'appraisal'"]


def test_related_links_inside_across_and_missing(workspace) -> None:
    workspace.volume("v1")
    workspace.volume("v2", 'title = "Second Book"\nauthor = "A"\ndate = 2026-01-01\n')
    workspace.review("a", "v1", title="Alpha", appraisal=1,
                     related=["BRAVO", "Charlie's Angle", "Nowhere Film"])
    workspace.review("b", "v1", title="Bravo", appraisal=2)
    workspace.review("c", "v2", title="Charlie’s Angle", appraisal=3)
    book, problems = resolve(workspace)
    related = book.chapters[0].related
    assert [(r.title, r.chapter_id, r.volume, r.target, r.volume_title) for r in related] == [
        ("Bravo", "ch-b", None, None, None),
        ("Charlie’s Angle", None, "v2", "ch-c", "Second Book"),
        ("Nowhere Film", None, None, None, None),  # outside the series: its title, no page
    ]
    assert problems == ["volumes/v1/a.md:7: note: reference 'Nowhere Film' is to a film outside "
                        "the series: printed as its title, without a page [outside-reference]"]


def test_an_omnibus_links_to_its_own_copy_and_names_the_home_volume(workspace) -> None:
    workspace.volume("home", 'title = "Home"\nauthor = "A"\ndate = 2026-01-01\n')
    workspace.review("a", "home", title="Alpha", appraisal=1, related=["Bravo"])
    workspace.review("b", "home", title="Bravo", appraisal=2)
    workspace.volume("omni", 'title = "Omni"\nauthor = "A"\ndate = 2026-01-01\n'
                             '[contents]\nreviews = ["a"]\n')
    book, problems = resolve(workspace, "omni")
    assert problems == []
    assert book.chapters[0].related[0].volume_title == "Home"


def test_identifier_is_stable_and_isbn_wins(workspace) -> None:
    workspace.volume()
    workspace.review("a", appraisal=1)
    first, _ = resolve(workspace)
    second, _ = resolve(workspace)
    assert first.identifier == second.identifier
    assert first.identifier.startswith("urn:uuid:")
    workspace.volume("v1", 'title = "T"\nauthor = "A"\ndate = 2026-01-01\n'
                           '[identifiers]\nisbn_ebook = "978-0-306-40615-7"\n')
    book, _ = resolve(workspace)
    assert book.identifier == "urn:isbn:9780306406157"


def test_typography_applies_to_front_matter_strings(workspace) -> None:
    workspace.volume()
    workspace.review("a", title="It's \"Alive\"", appraisal=1,
                     facts=[{"Director": "James Whale"}, "Based on a novel -- loosely"],
                     jukebox=[{"artist": "The Cramps", "song": "Don't Eat Stuff"}])
    book, _ = resolve(workspace)
    chapter = book.chapters[0]
    assert chapter.title == "It’s “Alive”"
    assert chapter.facts[1].value == "Based on a novel – loosely"
    assert chapter.tracks[0].song == "Don’t Eat Stuff"


def test_ids_and_titles() -> None:
    assert chapter_id("1917") == "ch-1917"
    assert chapter_id("nosferatu") == "ch-nosferatu"
    assert title_key("Charlie’s  Angle!") == title_key("charlies angle")
    assert sort_title("The Zebra") == "zebra"


def series_messages(workspace) -> list[str]:
    problems = Problems()
    ws = load_workspace(workspace.root, problems)
    resolve_series(ws, problems)
    return [p.format(workspace.root) for p in problems]


def test_a_repeated_appraisal_number_is_an_error_when_building(workspace) -> None:
    workspace.volume("v1")
    workspace.volume("v2")
    workspace.review("a", "v1", title="Alpha", appraisal=7)
    workspace.review("b", "v1", title="Bravo", appraisal=8)
    workspace.review("c", "v2", title="Charlie", year=1950, appraisal=7)
    assert series_messages(workspace) == [
        "volumes/v2/c.md:4: error: appraisal #7 is also 'Alpha' (v1/a.md:3): give each review "
        "its own number [duplicate-appraisal]"]


def test_the_build_and_the_linter_report_it_alike(workspace) -> None:
    workspace.volume("v1")
    workspace.review("a", title="Alpha", appraisal=7)
    workspace.review("b", title="Bravo", appraisal=7)
    (built,) = series_messages(workspace)
    problems = Problems()
    lint(load_workspace(workspace.root, problems), problems=problems)
    assert [p.format(workspace.root) for p in problems if p.code == "duplicate-appraisal"] \
        == [built]
