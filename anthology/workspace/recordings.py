"""MusicBrainz recording ids, as a review's jukebox may give them: the playlists carry them
as identifiers (nothing is ever looked up)."""

from __future__ import annotations

import re
import uuid

_RECORDING_URL = re.compile(r"^https?://(?:beta\.)?musicbrainz\.org/recording/(?P<id>[^/?#\s]+)/?$")


def check_recording(value: str) -> str:
    """A MusicBrainz recording id (a UUID, or the recording's musicbrainz.org address, as
    copied from the browser), in its canonical lower-case form."""
    match = _RECORDING_URL.match(value)
    text = match["id"] if match else value
    try:
        parsed = uuid.UUID(text)
    except ValueError:
        raise ValueError(f"'{value}' is not a MusicBrainz recording id (a UUID such as "
                         "'b1a9c0e9-d987-4042-ae91-78d6a3267d69')") from None
    if str(parsed) != text.lower():  # uuid.UUID also takes braces, "urn:uuid:" and no hyphens
        raise ValueError(f"'{value}' is not written as a MusicBrainz id: write "
                         f"'{parsed}'")
    return str(parsed)
