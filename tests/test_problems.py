from pathlib import Path

from anthology.workspace.problems import Problem, Problems, Severity, did_you_mean


def test_format_is_path_line_severity_message(tmp_path: Path) -> None:
    problem = Problem(tmp_path / "volumes" / "a.md", 7, "bad thing")
    assert problem.format(tmp_path) == "volumes/a.md:7: error: bad thing"


def test_format_without_line_omits_it(tmp_path: Path) -> None:
    problem = Problem(tmp_path / "x.toml", 0, "oops", Severity.WARNING)
    assert problem.format(tmp_path) == "x.toml: warning: oops"


def test_problems_are_collected_and_sorted_by_file_then_line() -> None:
    problems = Problems()
    problems.error(Path("b.md"), 3, "late")
    problems.warning(Path("a.md"), 9, "warn")
    problems.error(Path("a.md"), 2, "early")
    assert [(p.path.name, p.line) for p in problems] == [("a.md", 2), ("a.md", 9), ("b.md", 3)]
    assert len(problems.errors) == 2
    assert len(problems.warnings) == 1


def test_did_you_mean_suggests_close_words_only() -> None:
    assert did_you_mean("titel", ["title", "year"]) == " (did you mean 'title'?)"
    assert did_you_mean("zzz", ["title", "year"]) == ""


def test_the_same_problem_is_recorded_once() -> None:
    problems = Problems()
    problems.warning(Path("a.md"), 3, "same")
    problems.warning(Path("a.md"), 3, "same")
    assert len(problems) == 1
