"""The five playlist files, each from a `Playlist`, as bytes (UTF-8, no dates, no ids that
change between runs, so two builds give the same bytes).

- M3U8 (extended M3U in UTF-8): `#EXTM3U`, a `#PLAYLIST:` title, then per track
  `#EXTINF:-1,Artist - Title` (-1: length unknown), `#EXTGRP:` with its film, and the
  location line every M3U entry needs. There is no audio file, so the location is honest
  about it: the recording's MusicBrainz page when the source gives its id, else the track's
  own name as a relative location, which a player matches against its library and which
  importers (that read `#EXTINF` anyway) ignore.
- XSPF 1 (valid against the XSPF 1 RELAX NG schema): title, creator, an annotation naming the
  film, appraisal and volume, and the MusicBrainz recording address as `identifier`. No
  `location`: XSPF lets a player resolve a track from its title and creator.
- JSPF: the same in JSON (XSPF's JSON form, as ListenBrainz reads it).
- CSV: `artist,title,film,appraisal,volume,position`, RFC 4180 (CRLF line ends).
- Text: one `Artist - Title` line a track, for paste-in importers.
"""

from __future__ import annotations

import csv
import io
import json

from lxml import etree

from anthology.playlists.model import Entry, Playlist

XSPF_NS = "http://xspf.org/ns/0/"


def render(playlist: Playlist) -> list[tuple[str, bytes]]:
    """(file name, bytes) of each format, in a fixed order."""
    return [(f"{playlist.stem}.m3u8", m3u8(playlist)), (f"{playlist.stem}.xspf", xspf(playlist)),
            (f"{playlist.stem}.jspf", jspf(playlist)), (f"{playlist.stem}.csv", table(playlist)),
            (f"{playlist.stem}.txt", lines(playlist))]


def _location(entry: Entry) -> str:
    """The entry's M3U location: its MusicBrainz page, else its name as a relative one (a
    slash would make a folder of "AC/DC", and a leading '#' a comment)."""
    if entry.identifier:
        return entry.identifier
    name = entry.line.replace("/", "\u2215").replace("\\", "\u2215")
    return f"./{name}" if name.startswith("#") else name


def m3u8(playlist: Playlist) -> bytes:
    out = ["#EXTM3U", f"#PLAYLIST:{playlist.title}",
           "# No audio files: each location is the recording's MusicBrainz page when known,",
           "# else the track's name, for a player to find in its own library."]
    for entry in playlist.entries:
        out += [f"#EXTINF:-1,{entry.line}", f"#EXTGRP:{entry.film}", _location(entry)]
    return ("\n".join(out) + "\n").encode("utf-8")


def _text(parent: etree._Element, tag: str, text: str) -> None:
    etree.SubElement(parent, f"{{{XSPF_NS}}}{tag}").text = text


def xspf(playlist: Playlist) -> bytes:
    root = etree.Element(f"{{{XSPF_NS}}}playlist", nsmap={None: XSPF_NS}, version="1")
    _text(root, "title", playlist.title)
    _text(root, "creator", playlist.creator)
    _text(root, "annotation", playlist.about)
    tracks = etree.SubElement(root, f"{{{XSPF_NS}}}trackList")
    for entry in playlist.entries:
        track = etree.SubElement(tracks, f"{{{XSPF_NS}}}track")
        if entry.identifier:
            _text(track, "identifier", entry.identifier)
        _text(track, "title", entry.song or entry.artist)
        if entry.song:
            _text(track, "creator", entry.artist)
        _text(track, "annotation", entry.annotation)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def jspf(playlist: Playlist) -> bytes:
    tracks = []
    for entry in playlist.entries:
        track: dict[str, object] = {"title": entry.song or entry.artist}
        if entry.song:
            track["creator"] = entry.artist
        track["annotation"] = entry.annotation
        if entry.identifier:
            track["identifier"] = [entry.identifier]
        tracks.append(track)
    document = {"playlist": {"title": playlist.title, "creator": playlist.creator,
                             "annotation": playlist.about, "track": tracks}}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


CSV_COLUMNS = ("artist", "title", "film", "appraisal", "volume", "position")


def table(playlist: Playlist) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in playlist.entries:
        writer.writerow([entry.artist if entry.song else entry.line, entry.song or "",
                         entry.film, "" if entry.appraisal is None else entry.appraisal,
                         entry.volume, entry.position])
    return buffer.getvalue().encode("utf-8")


def lines(playlist: Playlist) -> bytes:
    return "".join(f"{entry.line}\n" for entry in playlist.entries).encode("utf-8")

