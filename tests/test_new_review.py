"""`anthology new`: a review started with the next number, left out of the books as a draft
until the author removes the mark, and never written over another."""

from __future__ import annotations

import pytest

from anthology.workspace.new_review import NewReviewError, new_review, split_title
from anthology.workspace.problems import Problems
from anthology.workspace.volumes import load_workspace, volume_reviews


def test_a_title_with_its_year_is_split() -> None:
    assert split_title("Nosferatu (1922)") == ("Nosferatu", 1922)
    assert split_title("  The  Thing ") == ("The Thing", None)
    with pytest.raises(NewReviewError):
        split_title("\x1b[2J")


def test_a_new_review_takes_the_next_number_and_stays_out_of_the_books(workspace) -> None:
    workspace.volume("v1")
    workspace.volume("v2")
    workspace.review("a", "v1", title="Alpha", appraisal=7)
    workspace.review("b", "v2", title="Beta", appraisal=12)
    made = new_review(workspace.root, "The Lighthouse (2019)")
    assert (made.appraisal, made.volume, made.path.name) == (13, "v2", "the-lighthouse.md")
    problems = Problems()
    ws = load_workspace(workspace.root, problems)
    assert problems.errors == [] and [p.severity.value for p in problems] == ["note"]
    review = ws.reviews["the-lighthouse"]
    assert (review.meta.title, review.meta.year, review.meta.draft) == ("The Lighthouse", 2019,
                                                                       True)
    assert [r.slug for r in volume_reviews(ws.volume("v2"), ws)] == ["b"]
    assert "#   - Running Time: " in made.path.read_text()
    # The fact box's labels, once uncommented and filled in, are facts the model knows.
    text = made.path.read_text().replace("# facts:", "facts:").replace(
        "#   - Director: ", "  - Director: Robert Eggers").replace("draft: true", "draft: false")
    made.path.write_text(text)
    ws = load_workspace(workspace.root, Problems())
    assert [f.key for f in ws.reviews["the-lighthouse"].meta.facts] == ["director"]


def test_a_second_film_of_the_same_title_gets_its_year_and_none_is_overwritten(
        workspace) -> None:
    workspace.volume("v1")
    workspace.review("the-thing", "v1", title="The Thing", appraisal=1)
    made = new_review(workspace.root, "The Thing (2011)", volume="v1")
    assert made.path.name == "the-thing-2011.md"
    with pytest.raises(NewReviewError, match=r"reviewed already, in v1/the-thing-2011\.md"):
        new_review(workspace.root, "The Thing (2011)")
    with pytest.raises(NewReviewError, match="no volume 'v9'"):
        new_review(workspace.root, "Alien (1979)", volume="v9")
