"""What a playlist holds: every jukebox track of some books, in book order, with its film,
appraisal and volume. The writers in `formats` only serialise this."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from anthology.series.book import Book
from anthology.workspace.sources import slugify

MUSICBRAINZ_RECORDING = "https://musicbrainz.org/recording/"


@dataclass(frozen=True)
class Entry:
    """One jukebox track where it stands in a playlist: under its film, in its volume."""

    position: int  # 1-based, in this playlist
    artist: str
    song: str | None  # None for a track written as one line of text
    film: str  # the chapter's heading: "Nosferatu (1922)"
    appraisal: int | None
    volume: str  # the volume's title
    musicbrainz: str | None = None

    @property
    def line(self) -> str:
        """"Artist - Title", the form paste-in importers read; a one-line track as written."""
        return f"{self.artist} - {self.song}" if self.song else self.artist

    @property
    def identifier(self) -> str | None:
        return f"{MUSICBRAINZ_RECORDING}{self.musicbrainz}" if self.musicbrainz else None

    @property
    def annotation(self) -> str:
        """Where the song is suggested: "Nosferatu (1922), Appraisal #112, Silent Shadows"."""
        parts = [self.film]
        if self.appraisal is not None:
            parts.append(f"Appraisal #{self.appraisal}")
        return ", ".join([*parts, self.volume])


@dataclass(frozen=True)
class Playlist:
    stem: str  # the file name without its extension
    name: str  # the volume's or the series' title
    creator: str
    entries: tuple[Entry, ...]

    @property
    def title(self) -> str:
        return f"{self.name}: the jukebox"

    @property
    def about(self) -> str:
        return f"Every song of the suggested audio jukeboxes in {self.name}, in book order."


def _entries(books: Sequence[Book]) -> tuple[Entry, ...]:
    entries: list[Entry] = []
    for book in books:
        for chapter in book.chapters:
            for track in chapter.tracks:
                entries.append(Entry(len(entries) + 1, track.artist, track.song,
                                     chapter.heading, chapter.appraisal, book.title,
                                     track.musicbrainz))
    return tuple(entries)


def volume_playlist(book: Book) -> Playlist:
    return Playlist(f"{book.slug}-playlist", book.title, book.author,
                    _entries([book]))


def series_playlists(books: Sequence[Book]) -> list[Playlist]:
    """One playlist a series, its volumes in series order; books of no series are left out."""
    series: dict[str, list[Book]] = {}
    for book in books:
        if book.series is not None:
            series.setdefault(book.series.name, []).append(book)
    playlists = []
    for name, members in sorted(series.items()):
        members.sort(key=lambda b: (b.series.number if b.series else 0, b.slug))
        stem = "series-playlist" if len(series) == 1 else f"series-{slugify(name)}-playlist"
        playlists.append(Playlist(stem, name, members[0].author,
                                  _entries(members)))
    return playlists
