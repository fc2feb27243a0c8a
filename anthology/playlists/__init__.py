"""Playlists of the suggested audio jukeboxes: per volume and for the series, in book order.

Every appraisal suggests a few songs; a reader who wants to hear them needs them in a form a
player or a streaming service's importer reads. Each playlist is written five ways (see
`formats`): M3U8, XSPF, JSPF, CSV and plain "Artist - Title" lines. Nothing is looked up on
the network: a track is identified by what its source says (artist, song, an optional
MusicBrainz recording id), and the same books always give the same bytes.

Names, in the output folder: `<volume>-playlist.<ext>` for each volume with a jukebox, and
`series-playlist.<ext>` for the series (every volume of it, in series order; an omnibus,
which belongs to no series, repeats reviews and is left out). A workspace with several series
gets `series-<name>-playlist.<ext>` for each.
"""

from __future__ import annotations

from collections.abc import Sequence

from anthology.playlists.formats import render
from anthology.playlists.model import Entry, Playlist, series_playlists, volume_playlist
from anthology.series.book import Book

__all__ = ["Entry", "Playlist", "playlist_files", "series_files", "series_playlists",
           "volume_files", "volume_playlist"]


def volume_files(book: Book) -> list[tuple[str, bytes]]:
    """A volume's playlist files as (file name, bytes); none when it has no jukebox."""
    playlist = volume_playlist(book)
    return render(playlist) if playlist.entries else []


def series_files(books: Sequence[Book]) -> list[tuple[str, bytes]]:
    """The series playlists of `books` (those that belong to a series) as (file name, bytes)."""
    return [file for playlist in series_playlists(books) if playlist.entries
            for file in render(playlist)]


def playlist_files(books: Sequence[Book], series: bool = True) -> list[tuple[str, bytes]]:
    """Every playlist file of `books` as (file name, bytes), in a stable order: each volume's,
    then, when `series`, the series' of those of `books` in a series (pass every volume, or
    the series playlist is a partial one)."""
    files = [file for book in books for file in volume_files(book)]
    return files + series_files(books) if series else files
