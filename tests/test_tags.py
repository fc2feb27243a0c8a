"""The digital PDF, joined from pieces, is tagged: one consistent structure tree (PDF/UA-1)."""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name
from pypdf import PdfReader

from anthology.print.pdf import Profile
from anthology.print.pieces import PieceCache, write_pieced
from tests.conftest import VOLUME_TOML
from tests.test_pdf import book_and_theme

pytestmark = pytest.mark.e2e


def marked_content(stream_owner) -> list[int]:
    """The MCIDs a page's (or form's) content marks, read from its operators."""
    found = []
    for operands, operator in pikepdf.parse_content_stream(stream_owner):
        if str(operator) == "BDC" and isinstance(operands[1], Dictionary) \
                and "/MCID" in operands[1]:
            found.append(int(operands[1].MCID))
    return found


PAINTING = {"Tj", "TJ", "'", '"', "Do", "f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "sh",
            "BI"}


def unmarked_painting(stream_owner) -> list[str]:
    """Operators that paint outside any marked content: PDF/UA wants every mark on a page
    either tagged or an artifact."""
    depth, found = 0, []
    for _operands, operator in pikepdf.parse_content_stream(stream_owner):
        name = str(operator)
        if name in ("BDC", "BMC"):
            depth += 1
        elif name == "EMC":
            depth -= 1
        elif name in PAINTING and depth == 0:
            found.append(name)
    return found


def tree_references(root) -> tuple[Counter, dict, list]:
    """Walk the tree from its root: every (page, MCID) an element holds, the element holding
    it, and every annotation an object reference points to."""
    refs: Counter = Counter()
    owner: dict = {}
    annotations: list = []
    stack = list(root.K) if isinstance(root.K, Array) else [root.K]
    seen = set()
    while stack:
        element = stack.pop()
        if element.objgen in seen:
            continue
        seen.add(element.objgen)
        assert element.Type == Name.StructElem and "/S" in element
        kids = element.get("/K", Array())
        for kid in kids if isinstance(kids, Array) else [kids]:
            if isinstance(kid, int):
                key = (element.Pg.objgen, int(kid))
                refs[key] += 1
                owner[key] = element
            elif kid.get("/Type") == Name.MCR:
                key = (kid.get("/Pg", element.get("/Pg")).objgen, int(kid.MCID))
                refs[key] += 1
                owner[key] = element
            elif kid.get("/Type") == Name.OBJR:
                annotations.append((kid.Obj.objgen, element))
            else:
                assert kid.P.objgen == element.objgen  # each child points to its parent
                stack.append(kid)
    return refs, owner, annotations


def check_structure(path: Path, lang: str = "en") -> dict:
    """An independent reading of the structure tree; returns figures for the assertions."""
    with pikepdf.open(path) as pdf:
        root = pdf.Root.StructTreeRoot
        assert pdf.Root.MarkInfo.Marked is True
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.Root.Lang) == lang
        refs, owner, objrs = tree_references(root)
        parents = pikepdf.NumberTree(root.ParentTree)
        keys, marked = set(), 0
        for page in pdf.pages:
            mcids = marked_content(page)
            marked += len(mcids)
            assert unmarked_painting(page) == []
            assert len(mcids) == len(set(mcids))
            for form in page.obj.get("/Resources", {}).get("/XObject", {}).values():
                if form.get("/Subtype") == Name.Form and "/StructParents" not in form:
                    assert marked_content(form) == []  # stamped folios are artifacts
            if "/StructParents" not in page.obj:
                assert not mcids
                continue
            key = int(page.obj.StructParents)
            assert key not in keys
            keys.add(key)
            mapping = parents[key]
            for mcid in mcids:
                # Each MCID is referenced exactly once, by the element the ParentTree names.
                assert refs[(page.obj.objgen, mcid)] == 1
                assert mapping[mcid].objgen == owner[(page.obj.objgen, mcid)].objgen
        pages = {p.obj.objgen for p in pdf.pages}
        assert {page for page, _ in refs} <= pages
        assert sum(refs.values()) == marked  # no element points at content that is not there
        links = [(a, p) for p in pdf.pages for a in p.obj.get("/Annots", [])]
        tied = dict(objrs)
        for annotation, page in links:
            assert annotation.objgen in tied
            assert str(tied[annotation.objgen].S) == "/Link"
            assert parents[int(annotation.StructParent)].objgen \
                == tied[annotation.objgen].objgen
            assert "/Contents" in annotation
            assert page.obj.Tabs == Name.S
        assert len(keys) + len(links) == int(root.ParentTreeNextKey)
        title = str(pdf.open_metadata().get("dc:title", ""))
        # A link annotation sits in the Link element that holds the link's text.
        alone = sum(1 for _, element in objrs
                    if all(isinstance(k, Dictionary) and k.get("/Type") == Name.OBJR
                           for k in element.K))
        return {"marked": marked, "links": len(links), "title": title,
                "labels": "/PageLabels" in pdf.Root, "alone": alone}


def test_joined_digital_pdf_has_one_valid_structure_tree(workspace, tmp_path) -> None:
    workspace.volume(toml=VOLUME_TOML + 'foreword = "foreword.txt"\n')
    workspace.write("volumes/v1/foreword.txt", "A few words before. " * 40 + "\n")
    workspace.review("a", title="Alpha", appraisal=1, related=["Beta"],
                     body="See [the studio](https://example.org/). " + "Words run on. " * 500)
    workspace.review("b", title="Beta", appraisal=2, related=["Alpha"],
                     body="Shorter words. " * 200)
    book, theme = book_and_theme(workspace)
    result = write_pieced(book, theme, tmp_path / "d.pdf", Profile.digital, PieceCache(None),
                          1)
    figures = check_structure(result.path)
    assert figures["marked"] > 100 and figures["links"] >= 3
    assert figures["alone"] == 0
    assert figures["title"] == "Test Volume"
    info = subprocess.run(["pdfinfo", str(result.path)], capture_output=True, text=True,
                          check=True).stdout
    assert "Tagged:          yes" in info and "PDF version:     1.7" in info
    # The page labels are still the printed folios.
    assert figures["labels"]
    assert PdfReader(result.path).page_labels == list(result.page_map.labels)
    with pikepdf.open(result.path) as pdf:
        assert "pdfuaid:part" in str(pdf.Root.Metadata.read_bytes())


def test_print_interiors_are_not_tagged(workspace, tmp_path) -> None:
    workspace.volume()
    workspace.review("a", appraisal=1, body="Words. " * 100)
    book, theme = book_and_theme(workspace)
    result = write_pieced(book, theme, tmp_path / "k.pdf", Profile.kdp, PieceCache(None), 1)
    with pikepdf.open(result.path) as pdf:
        assert "/StructTreeRoot" not in pdf.Root
