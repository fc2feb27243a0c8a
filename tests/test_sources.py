from pathlib import Path

import pytest

from anthology.workspace.problems import Problems
from anthology.workspace.sources import load_review, load_yaml, slugify, split_guest_essays


def load(path: Path) -> tuple[object, list[str]]:
    problems = Problems()
    review = load_review(path, problems)
    return review, [p.format(path.parent) for p in problems]


def test_a_full_review_loads(workspace) -> None:
    path = workspace.write("volumes/v1/leaving.md", """\
        ---
        title: Leaving Las Vegas
        year: 1995
        appraisal: 573
        views: Three
        facts:
          - Director: Mike Figgis
          - Based on a novel by John O'Brien
        jukebox:
          - artist: Sting
            song: Angel Eyes
        judgement: 10/10
        related: [Teetering, Garden State]
        published: 2018-02-14
        tags: [drama]
        ---

        First paragraph.

        ::: guest Emilie Flory
        A guest's essay.
        :::
        """)
    review, problems = load(path)
    assert problems == []
    assert review.slug == "leaving"
    assert review.meta.appraisal == 573
    assert str(review.meta.judgement) == "10/10"
    assert [r.title for r in review.related] == ["Teetering", "Garden State"]
    assert [r.line for r in review.related] == [13, 13]
    assert review.essay.strip() == "First paragraph."
    assert len(review.guests) == 1
    assert review.guests[0].byline == "Emilie Flory"
    assert review.guests[0].markdown == "A guest's essay."
    assert review.guests[0].line == 21


def test_unknown_key_names_its_line_and_a_suggestion(workspace) -> None:
    path = workspace.write("volumes/v1/x.md", "---\ntitle: X\nyaer: 1999\n---\nText\n")
    _, problems = load(path)
    assert problems == ["x.md:3: error: unknown key 'yaer' (did you mean 'year'?)"]


def test_wrong_type_and_missing_title_are_reported_together(workspace) -> None:
    path = workspace.write("volumes/v1/x.md", "---\nyear: soon\njudgement: ten\n---\nText\n")
    _, problems = load(path)
    assert "x.md:2: error: missing required key 'title'" in problems
    assert any(p.startswith("x.md:2: error: year:") for p in problems)
    assert "x.md:3: error: judgement: judgement 'ten' is not a score: write it like 8/10 or " \
           "7.5/10" in problems


def test_fact_errors_point_at_the_fact(workspace) -> None:
    path = workspace.write("volumes/v1/x.md", """\
        ---
        title: X
        facts:
          - Director: A
          - Genre: B
            Budget: C
        ---
        Text
        """)
    _, problems = load(path)
    assert problems == ["x.md:5: error: facts: fact 2 must have exactly one label, found 2: "
                        "start each fact with its own '- '"]


def test_bad_yaml_gives_the_line(workspace) -> None:
    path = workspace.write("volumes/v1/x.md", "---\ntitle: X\nfacts: [a, b\nyear: 1\n---\n")
    _, problems = load(path)
    assert len(problems) == 1
    assert problems[0].startswith("x.md:")
    assert "invalid YAML" in problems[0]


def test_duplicate_keys_are_errors(workspace) -> None:
    path = workspace.write("volumes/v1/x.md", "---\ntitle: X\ntitle: Y\n---\nText\n")
    _, problems = load(path)
    assert problems == ["x.md:3: error: 'title' is given twice"]


def test_not_utf8_names_the_line(workspace) -> None:
    path = workspace.write("volumes/v1/x.md", "---\ntitle: X\n---\nCaf\xe9\n".encode("latin-1"))
    _, problems = load(path)
    assert problems == ["x.md:4: error: not UTF-8 text (byte 0xe9): save the file as UTF-8"]


def test_missing_and_unclosed_front_matter(workspace) -> None:
    a = workspace.write("volumes/v1/a.md", "title: X\n")
    b = workspace.write("volumes/v1/b.md", "---\ntitle: X\n")
    assert "no front matter" in load(a)[1][0]
    assert "front matter is not closed" in load(b)[1][0]


def test_empty_file(workspace) -> None:
    path = workspace.write("volumes/v1/a.md", "\n")
    assert load(path)[1] == ["a.md:1: error: empty file"]


def test_crlf_and_bom_are_accepted(workspace) -> None:
    path = workspace.write("volumes/v1/a.md", "\ufeff---\r\ntitle: X\r\n---\r\nText\r\n".encode())
    review, problems = load(path)
    assert problems == []
    assert review.essay.strip() == "Text"


def test_guest_block_problems() -> None:
    problems = Problems()
    split_guest_essays("a\n::: guest\nb\n", 10, Path("x.md"), problems)
    messages = [p.format() for p in problems]
    assert "x.md:11: error: a guest essay needs a byline: '::: guest Name'" in messages
    assert "x.md:11: error: guest essay is not closed: add a ':::' line after it" in messages
    problems = Problems()
    split_guest_essays("::: gust X\n:::\n", 1, Path("x.md"), problems)
    assert [p.format() for p in problems] == [
        "x.md:1: error: unknown block '::: gust' (did you mean 'guest'?)",
        "x.md:2: error: ':::' closes no block",
    ]


def test_yaml_lines_map_keys_and_items() -> None:
    data, lines = load_yaml("a: 1\nb:\n  - x\n  - y\n", Path("f"), 2, Problems())
    assert data == {"a": "1", "b": ["x", "y"]}
    assert lines[("a",)] == 2
    assert lines[("b", 1)] == 5


def test_slugify() -> None:
    assert slugify("Häxan") == "haxan"
    assert slugify("D.O.A. (1950)") == "d-o-a-1950"
    assert slugify("!!!") == "review"


def front(text: str, body: str = "An essay.\n") -> str:
    return f"---\n{text}\n---\n\n{body}"


BILLION_LAUGHS = "title: X\n" + "".join(
    f"{k}: &{k} [{', '.join([f'*{p}'] * 9) if p else 'lol'}]\n"
    for p, k in zip(["", "a", "b", "c", "d", "e", "f"], "abcdefg", strict=True))


def test_hostile_front_matter_is_refused_with_its_line(workspace) -> None:
    cases = {
        "date.md": (front("title: X\npublished: 2024-02-30"), "a.md:3: error: published: "
                    "'2024-02-30' is not a date in the calendar: day is out of range for month"),
        "escaped.md": (front('title: "bell \\a here"'), ":2: error: U+0007 (control character)"),
        "deep.md": (front("title: X\nx: " + "[" * 5000 + "]" * 5000), ":3: error: invalid YAML"),
        "nested.md": (front("title: X\nx: " + "[" * 40 + "]" * 40),
                      ":3: error: front matter is nested more than 32 levels deep"),
        "laughs.md": (front(BILLION_LAUGHS), "error: front matter is more than 50 aliases"),
        "alias.md": (front("title: X\ntags: &t [Drama]\nrelated: *t"), None),
        "facts.md": (front("title: X\nfacts:\n" + "".join(f"  - L{i}: v\n" for i in range(150))),
                     ":3: error: facts: 150 facts are more than a fact box holds (at most 100)"),
        "title.md": (front("title: " + "T" * 400), ":2: error: title: string should have at "
                     "most 300 characters"),
        "raw.md": (front("title: X", "ok\n\nnot \x07 ok\n"), ":7: error: column 5: U+0007"),
        "long.md": (front("title: X", "word " * 5000), ":5: error: line is longer than"),
    }
    for name, (text, expected) in cases.items():
        review, problems = load(workspace.write(f"volumes/v1/{name}", text))
        if expected is None:
            assert review is not None and problems == [], name
        else:
            assert review is None, name
            assert any(expected.replace("a.md", name) in p for p in problems), (name, problems)


def test_a_review_that_is_a_pipe_or_a_link_out_is_not_read(workspace, tmp_path) -> None:
    import os

    folder = workspace.root / "volumes" / "v1"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "pipe.md")
    (tmp_path / "secret.md").write_text(front("title: Secret"))
    (folder / "link.md").symlink_to(tmp_path / "secret.md")
    assert load(folder / "pipe.md")[1] == [
        "pipe.md: error: not read: the file is not a regular file (a pipe, socket or device)"]
    assert load(folder / "link.md")[1] == [
        "link.md: error: not read: the file is outside the workspace (through '..' or a "
        "symbolic link)"]


def test_values_are_read_as_written_whatever_yaml_1_1_makes_of_them(workspace) -> None:
    path = workspace.write("volumes/v1/x.md", front("""\
title: 1917
year: 1931
appraisal: 0110
views: 2024-02-30
facts:
  - Aspect Ratio: 16:9
  - Running Time: 1:42
  - Code: 0110
  - Country of Origin: NO
  - Colour: yes
  - Sound: off
  - Budget: 1.5e+6
  - Stars: [NO, 0x1F, 1:2]
  - 1.50
  - Empty: ""
jukebox:
  - artist: TRUE
    song: 3:10
tags: [1917, yes]
related: ["null", 12]"""))
    review, problems = load(path)
    assert problems == ["x.md:16: error: facts: fact 'Empty' has no value"]
    path.write_text(path.read_text().replace('  - Empty: ""\n', ""))
    review, problems = load(path)
    assert problems == []
    meta = review.meta
    assert (meta.title, meta.year, meta.appraisal, meta.views) == ("1917", 1931, 110,
                                                                   "2024-02-30")
    assert [f.value for f in meta.facts] == ["16:9", "1:42", "0110", "NO", "yes", "off",
                                             "1.5e+6", "NO, 0x1F, 1:2", "1.50"]
    assert (meta.jukebox[0].artist, meta.jukebox[0].song) == ("TRUE", "3:10")
    assert meta.related == ("null", "12")
    assert meta.tags == ("1917", "yes")


def test_a_bare_null_is_still_nothing(workspace) -> None:
    _, problems = load(workspace.write("volumes/v1/x.md", front("title: X\ntags: [null]")))
    assert problems == ["x.md:3: error: tags.0: input should be a valid string"]
    review, problems = load(workspace.write("volumes/v1/y.md", front("title: X\nyear: ~")))
    assert problems == [] and review.meta.year is None


def test_typed_keys_refuse_what_is_not_plainly_their_type(workspace) -> None:
    path = workspace.write("volumes/v1/x.md", front(
        "title: X\nyear: 32:30\nappraisal: yes\njudgement: 8\npublished: 1 March 2024"))
    _, problems = load(path)
    assert problems == [
        "x.md:3: error: year: '32:30' is not a whole number: write the year as digits, "
        "e.g. 1931",
        "x.md:4: error: appraisal: 'yes' is not a whole number: write the appraisal number "
        "as digits, e.g. 112",
        "x.md:5: error: judgement: judgement 8 has no scale: write it as 8/10",
        "x.md:6: error: published: '1 March 2024' is not a date: write it as YYYY-MM-DD, "
        "e.g. 2024-03-01",
    ]
    for bad in ("1e3", "0x7B1", "1950.0", "+inf"):
        _, problems = load(workspace.write("volumes/v1/x.md", front(f"title: X\nyear: {bad}")))
        assert len(problems) == 1 and problems[0].startswith("x.md:3: error: year: "), bad


@pytest.mark.parametrize(("value", "shown"), [
    ("!!binary AAE=", "!!binary"),
    ("!!python/object/apply:os.system ['true']", "!!python/object/apply:os.system"),
    ("!!str 16:9", "!!str"),
    ("!!int 3", "!!int"),
    ("! plain", "!"),
    ("!local x", "!local"),
    ("!!set {a, b}", "!!set"),
    ("!<tag:example.com,2000:x> y", "tag:example.com,2000:x"),
    ("!e%1B x", "!e\\x1b"),
])
def test_tags_are_refused_at_their_line(workspace, value: str, shown: str) -> None:
    path = workspace.write("volumes/v1/x.md", front(f"title: X\nappraisal: 3\nviews: {value}"))
    review, problems = load(path)
    assert review is None
    assert problems == [f"x.md:4: error: the tag '{shown}' is not allowed: front matter "
                        "values are plain text; remove it"]


def test_every_tag_is_named_and_nothing_else_is_read(workspace) -> None:
    path = workspace.write("volumes/v1/x.md", front(
        "title: !!binary AAE=\njukebox:\n  - !!map\n    artist: A\n    song: !!binary Gw=="))
    _, problems = load(path)
    assert [p.split(": error: ")[0] for p in problems] == ["x.md:2", "x.md:4", "x.md:6"]


@pytest.mark.parametrize(("escaped", "code"), [
    ("\\e", "U+001B (control character)"), ("\\x7f", "U+007F (control character)"),
    ("\\x85", "U+0085 (control character)"), ("\\U0001FFFE", "U+1FFFE (non-character)"),
    ("\\U0010FFFF", "U+10FFFF (non-character)"), ("\\uFDD0", "U+FDD0 (non-character)"),
    ("\\U0008FFFF", "U+8FFFF (non-character)"),
])
def test_escaped_characters_no_book_can_carry_are_errors(workspace, escaped, code) -> None:
    path = workspace.write("volumes/v1/x.md", front(f'title: "Gam{escaped}ma"'))
    assert load(path)[1] == [f"x.md:2: error: {code} (character 4 of the value) cannot be "
                             "printed: remove it"]


def test_raw_non_characters_in_the_text_are_errors(workspace) -> None:
    path = workspace.write("volumes/v1/x.md", front("title: X", "A \U0001fffe B \U0010ffff.\n"))
    assert load(path)[1] == ["x.md:5: error: column 3: U+1FFFE (non-character) cannot be "
                             "printed or put in an EPUB: delete it",
                             "x.md:5: error: column 7: U+10FFFF (non-character) cannot be "
                             "printed or put in an EPUB: delete it"]


def test_a_title_of_zero_width_characters_is_blank(workspace) -> None:
    path = workspace.write("volumes/v1/x.md", front('title: "\\u200b\\u200c\\u200d\\u2060"'))
    assert load(path)[1] == ["x.md:2: error: title is blank: it holds only invisible "
                             "characters (such as zero-width spaces); write the text to print"]
    path = workspace.write("volumes/v1/x.md", front('title: X\naka: ["\\u00ad"]'))
    assert load(path)[1] == ["x.md:3: error: aka.0 is blank: it holds only invisible "
                             "characters (such as zero-width spaces); write the text to print"]
