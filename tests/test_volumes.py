import pytest

from anthology.workspace.problems import Problems
from anthology.workspace.volumes import load_workspace, toml_key_lines, volume_reviews


def messages(workspace) -> list[str]:
    problems = Problems()
    load_workspace(workspace.root, problems)
    return [p.format(workspace.root) for p in problems]


def test_workspace_loads_volumes_and_reviews(workspace) -> None:
    workspace.volume("v1", 'title = "One"\nauthor = "A"\ndate = 2026-01-01\n'
                           'foreword = "foreword.md"\n')
    workspace.write("volumes/v1/foreword.md", "Hello.\n")
    workspace.review("alpha", "v1", appraisal=2)
    workspace.review("beta", "v1", appraisal=1)
    problems = Problems()
    ws = load_workspace(workspace.root, problems)
    assert not problems
    assert [v.slug for v in ws.volumes] == ["v1"]
    assert sorted(ws.reviews) == ["alpha", "beta"]
    assert ws.volumes[0].foreword == "Hello.\n"
    assert len(volume_reviews(ws.volumes[0], ws)) == 2


def test_an_omnibus_draws_reviews_from_other_folders(workspace) -> None:
    workspace.volume("v1")
    workspace.review("alpha", "v1")
    workspace.volume("v2", 'title = "Omnibus"\nauthor = "A"\ndate = 2026-01-01\n'
                           '[contents]\nreviews = ["alpha"]\n')
    problems = Problems()
    ws = load_workspace(workspace.root, problems)
    assert not problems
    omnibus = ws.volume("v2")
    assert [r.slug for r in volume_reviews(omnibus, ws)] == ["alpha"]


def test_listing_a_missing_review_names_the_line(workspace) -> None:
    workspace.volume("v1", 'title = "One"\nauthor = "A"\ndate = 2026-01-01\n\n'
                           '[contents]\nreviews = [\n  "alpha",\n  "alpah2",\n]\n')
    workspace.review("alpha", "v1")
    assert messages(workspace) == [
        "volumes/v1/volume.toml:8: error: review 'alpah2' does not exist "
        "(did you mean 'alpha'?)"
    ]


def test_bad_toml_and_bad_values(workspace) -> None:
    workspace.volume("v1", 'title = "One"\nauthor = \n')
    workspace.volume("v2", 'title = "Two"\nauthor = "A"\ndate = 2026-01-01\n'
                           '[series]\nname = "S"\nnumber = "two"\n')
    workspace.volume("v3", 'titel = "Three"\nauthor = "A"\ndate = 2026-01-01\n')
    found = messages(workspace)
    assert found[0].startswith("volumes/v1/volume.toml:2: error: invalid TOML:")
    assert found[1].startswith("volumes/v2/volume.toml:6: error: series.number:")
    assert "volumes/v3/volume.toml:1: error: unknown key 'titel' (did you mean 'title'?)" in found
    assert "volumes/v3/volume.toml:1: error: missing required key 'title'" in found


def test_front_matter_files_must_exist_inside_the_project(workspace) -> None:
    workspace.volume("v1", 'title = "One"\nauthor = "A"\ndate = 2026-01-01\n'
                           'foreword = "nope.md"\ndedication = "../../../etc/passwd"\n')
    assert messages(workspace) == [
        "volumes/v1/volume.toml:4: error: foreword file 'nope.md' does not exist",
        "volumes/v1/volume.toml:5: error: dedication '../../../etc/passwd' is outside the project",
    ]


def test_review_names_must_be_unique_across_volumes(workspace) -> None:
    workspace.volume("v1")
    workspace.volume("v2")
    workspace.review("alpha", "v1")
    workspace.review("alpha", "v2")
    assert messages(workspace) == [
        "volumes/v2/alpha.md:1: error: another review is also named 'alpha' (v1/alpha.md): "
        "review file names must be unique"
    ]


def test_no_volumes_folder(tmp_path) -> None:
    problems = Problems()
    load_workspace(tmp_path, problems)
    assert "no 'volumes/' folder here" in problems.errors[0].message


def test_toml_key_lines() -> None:
    lines = toml_key_lines('a = 1\n[series]\nname = "x"\n[identifiers]\nuuid = "u"\n')
    assert lines[("a",)] == 1
    assert lines[("series", "name")] == 3
    assert lines[("identifiers", "uuid")] == 5


def test_what_a_volume_folder_holds_but_no_build_reads_is_named(workspace) -> None:
    workspace.volume("v1")
    workspace.review("alpha", "v1")
    workspace.write("volumes/v1/beta.markdown", "---\ntitle: Beta\n---\n")
    workspace.write("volumes/v1/notes.docx", b"PK")
    workspace.write("volumes/v1/still.png", b"")
    workspace.write("volumes/v2/Volume.toml", 'title = "Two"\n')
    workspace.write("volumes/v3/gamma.md", "---\ntitle: Gamma\n---\n")
    assert messages(workspace) == [
        "volumes/v1/beta.markdown: warning: not read: review sources end in '.md' (rename it "
        "to 'beta.md')",
        "volumes/v1/notes.docx: warning: not read: a volume folder holds '.md' review "
        "sources, their images and volume.toml",
        "volumes/v2: warning: not read: the folder has no volume.toml: rename 'Volume.toml' "
        "to 'volume.toml'",
        "volumes/v3: warning: not read: the folder has no volume.toml: add a volume.toml to "
        "make it a volume",
    ]


def test_impossible_volume_values_are_errors_at_their_line(workspace) -> None:
    workspace.volume("v1", 'title = "One"\nauthor = "A"\ndate = 2200-01-01\n'
                           'rights = "a\\u0007b"\n[series]\nname = "S"\nnumber = 1000000000000\n')
    workspace.review("alpha", "v1")
    assert messages(workspace) == [
        "volumes/v1/volume.toml:4: error: rights: U+0007 (control character) cannot be "
        "printed: remove it",
    ]
    workspace.volume("v1", 'title = "One"\nauthor = "A"\ndate = 2200-01-01\n'
                           '[series]\nname = "S"\nnumber = 1000000000000\n')
    assert messages(workspace) == [
        "volumes/v1/volume.toml:3: error: date: 2200-01-01 is not a plausible date (years "
        "1800 to 2100)",
        "volumes/v1/volume.toml:6: error: series.number: input should be less than or equal "
        "to 999 (got 1000000000000)",
    ]


def test_sources_in_a_volume_sub_folder_are_named_not_dropped_silently(workspace) -> None:
    workspace.volume("v1")
    workspace.review("alpha", "v1", appraisal=1)
    workspace.write("volumes/v1/drafts/beta.md", "---\ntitle: Beta\n---\nText\n")
    workspace.write("volumes/v1/drafts/2019/Gamma.MD", "---\ntitle: Gamma\n---\nText\n")
    workspace.write("volumes/v1/images/README.md", "Where the stills come from.\n")
    workspace.write("volumes/v1/images/still.png", b"\x89PNG")
    workspace.write("volumes/v1/.git/notes.md", "hidden\n")
    hint = "not read: reviews are read from the volume's own folder, not its sub-folders " \
           "(move it into v1/ to include it)"
    assert messages(workspace) == [f"volumes/v1/drafts/2019/Gamma.MD: warning: {hint}",
                                   f"volumes/v1/drafts/beta.md: warning: {hint}"]


def test_a_sub_folder_of_many_sources_is_summed_up(workspace) -> None:
    workspace.volume("v1")
    workspace.review("alpha", "v1", appraisal=1)
    for n in range(25):
        workspace.write(f"volumes/v1/old/r{n:02}.md", "---\ntitle: R\n---\n")
    found = messages(workspace)
    assert len(found) == 21
    assert "volumes/v1/old: warning: not read: 5 more '.md' files in this sub-folder" in found


def test_a_linked_sub_folder_is_not_looked_into(workspace, tmp_path) -> None:
    workspace.volume("v1")
    workspace.review("alpha", "v1", appraisal=1)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\ntitle: S\n---\n")
    (workspace.root / "volumes/v1/linked").symlink_to(outside)
    assert messages(workspace) == []


def test_a_draft_review_is_left_out_unless_drafts_are_asked_for(workspace) -> None:
    workspace.volume("v1")
    workspace.review("a", "v1", title="Alpha", appraisal=1)
    path = workspace.review("b", "v1", title="Beta", appraisal=2)
    path.write_text(path.read_text().replace("title: Beta", "title: Beta\ndraft: true"))
    problems = Problems()
    ws = load_workspace(workspace.root, problems)
    assert [r.slug for r in volume_reviews(ws.volumes[0], ws)] == ["a"]
    assert [p.format(workspace.root) for p in problems] == [
        "volumes/v1/b.md: note: a draft (draft: true): left out of the books; build --drafts "
        "puts it in"]
    ws = load_workspace(workspace.root, Problems(), drafts=True)
    assert sorted(r.slug for r in volume_reviews(ws.volumes[0], ws)) == ["a", "b"]


@pytest.mark.parametrize("written", ["yes", "1", "on", "maybe"])
def test_draft_is_true_or_false_as_written(workspace, written: str) -> None:
    workspace.volume("v1")
    path = workspace.review("a", "v1", title="Alpha", appraisal=1)
    path.write_text(path.read_text().replace("title: Alpha", f"title: Alpha\ndraft: {written}"))
    problems = Problems()
    load_workspace(workspace.root, problems)
    assert [p.message for p in problems.errors] == [
        f"draft: '{written}' is not true or false: write draft: true, or leave it out"]
