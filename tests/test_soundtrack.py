"""The soundtrack appendix: every track in book order under its film, and the artists."""

from __future__ import annotations

import re

from anthology.series.resolve import resolve_series
from anthology.workspace.problems import Problems
from anthology.workspace.volumes import load_workspace

V1 = ('title = "Silent"\nauthor = "A"\ndate = 2026-01-01\nsoundtrack = true\n'
      '[series]\nname = "S"\nnumber = 1\n')
OMNI = ('title = "Best Of"\nauthor = "A"\ndate = 2026-01-01\nsoundtrack = true\n'
        '[contents]\nreviews = ["b"]\n')


def books(workspace):
    problems = Problems()
    found = {b.slug: b for b in resolve_series(load_workspace(workspace.root, problems),
                                               problems)}
    assert not problems.errors
    return found


def collection(workspace) -> None:
    workspace.volume("v1", V1)
    workspace.review("a", "v1", title="Alpha", year=1920, appraisal=1,
                     jukebox=[{"artist": "The Zombies", "song": "Time of the Season"},
                              {"artist": "Édith Piaf", "song": "Hymne à l'amour", "lang": "fr"}])
    workspace.review("b", "v1", title="Bravo", year=1930, appraisal=2,
                     jukebox=[{"artist": "Air", "song": "La femme d'argent", "lang": "fr"}])
    workspace.review("c", "v1", title="Charlie", appraisal=3)  # no jukebox


def test_tracks_by_film_in_book_order_each_with_its_jukebox_page(workspace) -> None:
    collection(workspace)
    soundtrack = books(workspace)["v1"].appendices[0]
    assert (soundtrack.kind, soundtrack.id, soundtrack.title) == ("soundtrack", "soundtrack",
                                                                 "The Soundtrack")
    films = re.findall(r'<li class="soundtrack-film"><span class="index-term"><cite>(\w+)'
                       r'</cite>[^<]*</span>, <a class="locator" data-locator="([^"]+)"',
                       soundtrack.xhtml)
    assert films == [("Alpha", "ch-a--jukebox"), ("Bravo", "ch-b--jukebox")]
    artists = re.findall(r'<span class="artist">([^<]+)</span>', soundtrack.xhtml)
    assert artists == ["The Zombies", "Édith Piaf", "Air"]
    assert '<span class="song" lang="fr" xml:lang="fr">“Hymne à l’amour”</span>' in \
        soundtrack.xhtml
    # An en dash parts artist and song, as in the jukebox.
    assert ('<span class="artist">Air</span>\u00a0– <span class="song" lang="fr" '
            'xml:lang="fr">“La femme d’argent”</span>') in soundtrack.xhtml


def test_artists_in_index_order_with_their_songs_and_films(workspace) -> None:
    collection(workspace)
    soundtrack = books(workspace)["v1"].appendices[0].xhtml
    artists = soundtrack.split('id="soundtrack--artists"')[1]
    headings = re.findall(r'<span class="index-term">([^<]+)</span>', artists)
    assert headings == ["Air", "Édith Piaf", "The Zombies"]  # "The" is not filed under T
    assert re.findall(r"<h3 [^>]*>(\w)</h3>", artists) == ["A", "E", "Z"]


def test_the_omnibus_soundtrack_is_the_series(workspace) -> None:
    collection(workspace)
    workspace.volume("omni", OMNI)
    soundtrack = books(workspace)["omni"].appendices[0].xhtml
    keys = re.findall(r'data-locator="([^"]+)"(?: data-volume="(\w+)")?', soundtrack)
    # Series order; the review the omnibus holds by its own page, the other by its volume.
    assert keys[:2] == [("v1#ch-a--jukebox", "I"), ("ch-b--jukebox", "")]


def test_no_soundtrack_unless_asked_or_without_tracks(workspace) -> None:
    workspace.volume("v1", V1.replace("soundtrack = true\n", ""))
    workspace.review("a", "v1", title="Alpha", appraisal=1,
                     jukebox=[{"artist": "Air", "song": "Playground Love"}])
    assert books(workspace)["v1"].appendices == ()
    workspace.volume("v1", V1)
    workspace.review("a", "v1", title="Alpha", appraisal=1)
    assert books(workspace)["v1"].appendices == ()
