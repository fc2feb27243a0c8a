"""The soundtrack appendix: every jukebox track in book order, under its film, and the artists.

Each film's tracks are listed with the page of its jukebox (a link in the EPUB), so a reader can
go from a song to the review that suggests it; the artist list gathers each artist's songs with
their films. In the omnibus the soundtrack is the series': the tracks of every numbered volume,
a film this book does not print named with its volume ("I: 14"), as in the series index.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Sequence

from anthology.series.book import Appendix, TrackLine
from anthology.series.indexes import Locator, Place
from anthology.workspace.collation import letter_groups, title_key

TITLE = "The Soundtrack"
SEPARATOR = "\u00a0–"  # between artist and song, as the jukebox has it (chapter.xhtml)


def _locator(place: Place) -> str:
    """The page of the film's jukebox: a locator as the indexes write one."""
    return Locator(place, f"{place.chapter.id}--jukebox", span=False).xhtml()


def _song(track: TrackLine) -> str:
    if not track.song:
        return ""
    lang = f' lang="{track.lang}" xml:lang="{track.lang}"' if track.lang else ""
    return f' <span class="song"{lang}>“{html.escape(track.song, quote=False)}”</span>'


def _film(place: Place) -> str:
    year = f" ({place.chapter.year})" if place.chapter.year else ""
    return f"<cite>{html.escape(place.chapter.title, quote=False)}</cite>{year}"


def soundtrack_appendix(places: Sequence[Place], series: bool) -> Appendix | None:
    """The appendix over `places` (in book order), or None when no film has a jukebox."""
    films = [p for p in places if p.chapter.tracks]
    if not films:
        return None
    parts = []
    if series:
        parts.append('<p class="index-key">Page numbers alone refer to this book; a numeral '
                     "before a page names another volume of the series.</p>")
    items = []
    for place in films:
        tracks = "".join(f'<li><span class="artist">{html.escape(t.artist, quote=False)}</span>'
                         f"{SEPARATOR if t.song else ''}{_song(t)}</li>"
                         for t in place.chapter.tracks)
        items.append(f'<li class="soundtrack-film"><span class="index-term">{_film(place)}'
                     f"</span>, {_locator(place)}<ol class=\"tracks\">{tracks}</ol></li>")
    parts.append('<section class="soundtrack-films" aria-labelledby="soundtrack--films">'
                 '<h2 id="soundtrack--films">Film by Film</h2>'
                 f'<ul class="index-entries">{"".join(items)}</ul></section>')
    by_artist: dict[str, list[tuple[TrackLine, Place]]] = defaultdict(list)
    for place in films:
        for track in place.chapter.tracks:
            by_artist[track.artist].append((track, place))
    groups = []
    for number, (letter, artists) in enumerate(
            letter_groups(by_artist, lambda a: title_key(a)), start=1):
        entries = []
        for artist in artists:
            songs = "".join(f'<li class="index-entry">{_song(t).strip() or "(untitled)"}: '
                            f"{_film(p)}, {_locator(p)}</li>" for t, p in by_artist[artist])
            entries.append(f'<li class="index-entry"><span class="index-term">'
                           f'{html.escape(artist, quote=False)}</span>'
                           f'<ul class="index-subentries">{songs}</ul></li>')
        groups.append(f'<section class="index-group" aria-labelledby="soundtrack--{number}">'
                      f'<h3 id="soundtrack--{number}">{html.escape(letter)}</h3>'
                      f'<ul class="index-entries">{"".join(entries)}</ul></section>')
    parts.append('<section class="soundtrack-artists" aria-labelledby="soundtrack--artists">'
                 '<h2 id="soundtrack--artists">Artists</h2>' + "".join(groups) + "</section>")
    body = f'<div class="index-columns">{"".join(parts)}</div>'
    return Appendix("soundtrack", "soundtrack", TITLE, body)
