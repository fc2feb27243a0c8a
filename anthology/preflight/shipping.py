"""What to upload where: preflight's closing list, from the files a build made and what
preflight found in them. A destination a row (a store's e-book, a printer's paperback or
hardcover, the distributors' ONIX feed), with each volume's files and whether they are ready.
Reads no file but their names, presence and age."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from anthology.preflight import run as press
from anthology.preflight.findings import Status
from anthology.print.pdf import Profile
from anthology.workspace.publishing import Store

# Where each store's e-book goes, by the name its service goes by.
STORE_SERVICES = {
    Store.kindle: "Amazon KDP, Kindle eBook",
    Store.apple: "Apple Books",
    Store.kobo: "Kobo Writing Life",
    Store.google: "Google Play Books",
    Store.nook: "Barnes & Noble Press",
}
ANY_STORE = "any other store (Draft2Digital, IngramSpark's e-book)"
PRINT_SERVICES = {
    Profile.kdp: "Amazon KDP, paperback",
    Profile.ingram: "IngramSpark, paperback",
    Profile.ingram_hardcover: "IngramSpark, hardcover",
}
ONIX = "distributors and libraries (ONIX 3.0)"


class Readiness(StrEnum):
    ready = "ready"
    failed = "fix first"  # a check of one of its files failed
    not_built = "not built"
    stale = "older than its sources"


@dataclass(frozen=True)
class Upload:
    """One destination's files for one volume (or, for the ONIX feed, the series)."""

    destination: str
    volume: str
    files: tuple[str, ...]
    readiness: Readiness
    note: str = ""  # what to run, or which file to use instead

    def as_dict(self) -> dict[str, object]:
        return {"destination": self.destination, "volume": self.volume,
                "files": list(self.files), "readiness": self.readiness.value,
                "note": self.note}


@dataclass(frozen=True)
class Volume:
    """A volume's files as preflight found them."""

    slug: str
    epub: str | None  # the generic EPUB; None when the digital profile was not checked
    editions: dict[Store, str]  # the store editions `build --stores` writes of it
    prints: dict[Profile, tuple[str, ...]]  # each checked printer's interior and covers
    unbuilt: dict[Profile, str]  # each printer's not built: the command that builds it
    failed: frozenset[str]  # files with a failed check
    editions_command: str = ""  # what builds the store editions, when they are not built


def uploads(volumes: Sequence[Volume], out: Path, onix: Sequence[Path] = (),
            onix_stale: bool = False, isbns: bool = True) -> list[Upload]:
    """The destinations, in a publisher's order (e-books, print, the feed), each volume's files
    for it. A store without its own edition built takes the generic EPUB, saying so. The feed
    only when a volume has an ISBN (`isbns`): ONIX lists books by it."""
    found = []
    ebooks = [v for v in volumes if v.epub is not None]
    for store, service in STORE_SERVICES.items():
        for volume in ebooks:
            own = volume.editions.get(store)
            if own and (out / own).is_file():
                found.append(_upload(service, volume, (own,)))
            elif own:
                found.append(Upload(service, volume.slug, (own,), Readiness.not_built,
                                    f"run {volume.editions_command}"))
            else:
                found.append(_upload(service, volume, (volume.epub,), "the generic EPUB: "
                                     "this store's edition would be the same"))
    found += [_upload(ANY_STORE, v, (v.epub,)) for v in ebooks]
    for profile, service in PRINT_SERVICES.items():
        for volume in volumes:
            if profile in volume.prints:
                found.append(_upload(service, volume, volume.prints[profile]))
            elif profile in volume.unbuilt:
                found.append(Upload(service, volume.slug, (), Readiness.not_built,
                                    f"run {volume.unbuilt[profile]}"))
    if onix:
        found += [Upload(ONIX, "series", tuple(p.name for p in onix),
                         Readiness.stale if onix_stale else Readiness.ready,
                         "run anthology onix again" if onix_stale else "")]
    elif isbns:
        found.append(Upload(ONIX, "series", (), Readiness.not_built, "run anthology onix"))
    return found


def _upload(service: str, volume: Volume, files: tuple[str, ...], note: str = "") -> Upload:
    failed = [f for f in files if f in volume.failed]
    if failed:
        return Upload(service, volume.slug, files, Readiness.failed,
                      f"a check of {', '.join(failed)} failed")
    return Upload(service, volume.slug, files, Readiness.ready, note)


EDITIONS = "store editions"  # how preflight's list of what is not built names them


def plan(pairs: Sequence[tuple[press.Subject, Profile]], not_built: Sequence[dict],
         rows: Sequence[press.Row], out: Path) -> list[Upload]:
    """What to upload where, for the volumes preflight was asked about: `pairs` were checked
    (giving `rows`), `not_built` lists what was not (volume, profiles, command)."""
    subjects = list({id(s): s for s, _ in pairs}.values())
    missing = {(item["volume"], name): str(item["command"])
               for item in not_built for name in item["profiles"]}
    slugs = {s.book.slug for s in subjects} | {v for v, _ in missing}
    by_slug = {s.book.slug: s for s, _ in pairs}
    volumes = []
    for slug in sorted(slugs, key=[*by_slug, *sorted(slugs)].index):
        subject = by_slug.get(slug)
        checked = {p for s, p in pairs if s.book.slug == slug}
        editions = {} if subject is None else {
            store: path.name for store, path in press.editions(subject.book, out)}
        epub = f"{slug}.epub" if Profile.digital in checked else None
        prints = {p: tuple(n.path.name for n in press.needed(subject, p, out))
                  for p in checked if p.is_print} if subject else {}
        unbuilt = {Profile(name): command for (v, name), command in missing.items()
                   if v == slug and name != EDITIONS}
        failed = frozenset(r.file for r in rows
                           if r.volume == slug and r.finding.status is Status.failed)
        volumes.append(Volume(slug, epub, editions, prints, unbuilt, failed,
                              missing.get((slug, EDITIONS), "")))
    # The feed carries page counts from the interiors: older than one, it is out of date.
    feeds = sorted(out.glob("*-onix.xml"))
    inputs = [*(subjects[0].sources if subjects else ()),
              *(out / files[0] for v in volumes for files in v.prints.values())]
    oldest = min((p.stat().st_mtime for p in feeds), default=0.0)
    stale = any(p.is_file() and p.stat().st_mtime > oldest for p in inputs) if feeds else False
    isbns = any(s.book.isbn_ebook or s.book.isbn_print or s.book.isbn_hardcover
                for s in subjects)
    return uploads(volumes, out, feeds, stale, isbns)
