"""The import report as JSON (`--report json`), for scripts: the same facts as the text report,
one object per input file, with line numbers wherever the text report has them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from anthology.importer.report import Entry, FileReport, summary, table_rows

FORMAT_VERSION = 1


def _entry(entry: Entry) -> dict[str, Any]:
    data: dict[str, Any] = {"label": entry.label}
    if entry.passed_over is not None:
        data["passed_over"] = entry.passed_over
        return data
    recognition = entry.recognition
    if recognition is None:
        return data
    review = recognition.review
    if review is None:
        data["skipped"] = recognition.skipped or "not a review"
        data["title"] = recognition.title
        return data
    data["review"] = {
        "title": review.title, "year": review.year, "appraisal": review.appraisal,
        "views": review.views, "critic": review.pen_name, "author": review.author,
        "facts": [{"label": f.label, "value": f.value} for f in review.facts],
        "jukebox": [{"artist": t.artist, "song": t.song} for t in review.jukebox],
        "judgement": review.judgement, "related": list(review.related),
        "essay_paragraphs": len(review.essay),
        "guests": [{"byline": g.byline, "paragraphs": len(g.paragraphs)} for g in review.guests],
        "url": review.url, "published": review.published.isoformat() if review.published else None,
        "tags": list(review.tags),
    }
    if entry.planned is not None:
        data["source"] = {"path": str(entry.planned.path), "outcome": entry.planned.outcome.name
                          .lower(), "says": entry.planned.outcome.value,
                          "note": entry.planned.note or None}
    data["warnings"] = [{"line": n.line or None, "message": n.message}
                        for n in recognition.notices]
    data["left_out"] = [{"line": d.number, "kind": d.kind.value, "text": d.text}
                        for d in recognition.dropped]
    data["images"] = list(entry.copied)
    return data


def report_json(files: Sequence[FileReport], dry_run: bool, notes: Sequence[str]) -> str:
    """The whole report as one JSON document."""
    document = {
        "format": FORMAT_VERSION,
        "dry_run": dry_run,
        "summary": summary(files, dry_run),
        "notes": list(notes),
        "table": [asdict(row) for row in table_rows(files)],
        "files": [{
            "path": str(file.path),
            "failed": file.failed,
            "error": file.error,
            "failures": [{"line": f.line, "message": f.message} for f in file.failures],
            "warnings": list(file.warnings),
            "note": file.note or None,
            "entries": [_entry(entry) for entry in file.entries],
        } for file in files],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
