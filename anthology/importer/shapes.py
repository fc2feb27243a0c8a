"""Shapes of single lines: a fact, a track, a jukebox heading, a name, site furniture.

Each predicate looks at one line only; where a line sits in the page is the business of
`head` and `body`.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from anthology.importer.lines import MD_IMAGE, Line, clean_markdown, tidy
from anthology.importer.model import Dropped, ImportedFact, ImportedTrack
from anthology.workspace.facts import canonical_key

_APOSTROPHE_S = r"\s*[’'‘`´]\s*s\s+"
TITLE_YEAR = re.compile(r"^(?P<title>.+?)\s*[(\[](?P<year>18[7-9]\d|19\d\d|20\d\d)[)\]]\s*$")
APPRAISAL = re.compile(
    rf"^(?:(?P<pen>.+?){_APOSTROPHE_S})?appraisal\s*(?:#|no\.?|number)?\s*(?P<number>\d+)\s*$",
    re.IGNORECASE)
VIEWS = re.compile(r"^(?:number\s+of\s+)?(?:views|viewings|times\s+(?:viewed|seen|watched))"
                    r"\s*:\s*(?P<views>.+)$", re.IGNORECASE)
JUDGEMENT = re.compile(
    rf"^(?:(?P<pen>.+?){_APOSTROPHE_S})?(?:final\s+)?(?:judge?ment|verdict|rating)"
    r"\s*[:\-–—]?\s*(?P<score>\d+(?:\.\d+)?)\s*(?:/|out\s+of)\s*(?P<scale>\d+)\s*\.?$",
    re.IGNORECASE)
_FACT = re.compile(r"^(?P<label>[^\W\d_][\w’'()&./\- ]{0,40}?)\s*:\s*(?P<value>\S.*)$")
_FACT_DASH = re.compile(r"^(?P<label>[^\W\d_][\w’'()&./ ]{0,40}?)\s+[–—-]\s+(?P<value>\S.*)$")
_LABEL_JOINERS = {"of", "by", "in", "the", "and", "&", "de", "to", "per", "for", "a"}
NOTE = re.compile(
    r"^(?:(?:loosely\s+)?based\s+(?:on|upon)|adapted\s+from|inspired\s+by|from\s+the\s+\w+|"
    r"(?:a\s+)?remake\s+of|(?:a\s+)?sequel\s+to|(?:a\s+)?prequel\s+to|original\s+title|"
    r"also\s+known\s+as|a\.?k\.?a\.?\b|released\s+as|winner\s+of|nominated\s+for)", re.IGNORECASE)
_MUSIC_SIGNS = "♩♪♫♬🎵🎶🎧🎼"
_JUKEBOX_WORDS = re.compile(r"\b(?:jukebox|juke box|playlist|soundtrack|mixtape|mix tape|"
                            r"listening|audio|tracks?|songs?|tunes|music)\b", re.IGNORECASE)
_TRACK_NUMBER = re.compile(r"^(?:\[\s*\d{1,3}\s*\]|\(\s*\d{1,3}\s*\)|#\s*\d{1,3}\s*[.:)]?|"
                           r"\d{1,3}\s*[.):](?!\d)|[-*•·]\s)\s*")
LIST_ITEM = re.compile(r"^\s*(?:[-*+•·]|\d{1,3}[.)])\s+\S")
_QUOTES_OPEN = "“\"„«"
QUOTES_CLOSE = "”\"»“"
_SONG_LAST = re.compile(rf"^(?P<artist>.+?)\s*[,:\-–—]?\s*[{_QUOTES_OPEN}]"
                        rf"(?P<song>[^{_QUOTES_OPEN}{QUOTES_CLOSE}]+)[{QUOTES_CLOSE}]\s*[.,]?$")
_SONG_LAST_SINGLE = re.compile(r"^(?P<artist>.+?)\s*[,:\-–—]?\s+(?:‘(?P<curly>.+)’|'(?P<song>.+)')"
                               r"\s*[.,]?$")
_SONG_FIRST = re.compile(rf"^[{_QUOTES_OPEN}‘'](?P<song>.+?)[{QUOTES_CLOSE}’']\s*"
                         r"(?:[,\-–—]\s*|by\s+)(?P<artist>.+)$", re.IGNORECASE)
_DASH = re.compile(r"^(?P<artist>.+?)\s+[-–—]+\s+(?P<song>.+)$")
_COLON = re.compile(r"^(?P<artist>[^:]+?)\s*:\s+(?P<song>.+)$")
SENTENCE_END = re.compile(r"[.!?…:;][\"'’”)\]*_]*$")
_IMAGE_EXT = r"(?:jpe?g|png|gif|webp|bmp|tiff?|svg|avif|heic)"
_IMAGE_FILE = re.compile(rf"^[\w\-.%~@()+, ]*[\w\-~@()]\.{_IMAGE_EXT}$", re.IGNORECASE)
GLUED_FILE = re.compile(rf"^(?P<file>(?:\\.|[\w\-.%~@()+])+?\.{_IMAGE_EXT})"
                         r"(?P<rest>\s*[“\"‘'(]?[^\W\d_].*)$", re.IGNORECASE)
# An image's name used as its caption: "rivers_of_grue_poster (12)", "still-02 (3)".
_IMAGE_NAME = re.compile(r"^(?=[\w.\-]*[_\-])[\w.\-]{3,}(?:\s*\(\d{1,4}\))?$|"
                         r"^[\w.\-]+\s*\(\d{1,4}\)$")
_CREDIT = re.compile(
    r"^(?:designed|illustrated|painted|drawn|photographed|edited|artwork|art|poster|gif|"
    r"header|banner|title card|image|images)\s+(?:by|courtesy\s+of)\s+\S|"
    r"^(?:(?:cover|poster|key|featured?|header|banner|title)\s+)?"
    r"(?:art(?:work)?|illustrations?|images?|photos?(?:graphs?)?|pictures?|gifs?|stills?|"
    r"designs?|paintings?|drawings?|screenshots?|screen\s?caps?|posters?)\s+"
    r"(?:by|courtesy(?:\s+of)?|credits?|©|from|via|source)\b"
    r"|^(?:(?:image|photo|art|picture|gif|poster)\s+)?(?:credits?|courtesy|source)\s*[:\-–]"
    r"|^(?:artist|illustrator|photographer|artwork)\s*:|^via\s+\S+$", re.IGNORECASE)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)\s|copyright\b)|©|\ball rights reserved\b", re.IGNORECASE)
_PURCHASE = re.compile(
    r"\bclick here to (?:purchase|buy|order)\b|^(?:click here|purchase|buy|order|available|"
    r"get (?:it|your copy)|pre-?order)\b.*\b(?:purchase|buy|order|amazon|copy|here|now|store|"
    r"shop|paperback|kindle|hardback|volumes?|vol\.)", re.IGNORECASE)
_BOILERPLATE = tuple(re.compile(pattern, re.IGNORECASE) for pattern in (
    r"^share this\s*:?$", r"^like this\s*:?$", r"^(?:like\s+)?loading\s*[.…]*$",
    r"^related(?:\s+(?:posts|articles|reviews))?\s*:?$", r"^click to (?:share|print|email|tweet)\b",
    r"^share (?:on|via|to)\b", r"^share\s*:?$",
    r"^(?:tweet|pin(?: it)?|email|print|facebook|twitter|reddit|tumblr|pinterest|linkedin|"
    r"whatsapp|telegram|pocket|more|x|like|reblog)$",
    r"\bif you (?:like|liked|enjoyed) what you(?:[’']ve| have) (?:seen|read)\b",
    r"\bfeel free to share your thoughts\b", r"\bthis site uses akismet\b",
    r"\blearn how your comment data is processed\b", r"^leave a (?:reply|comment)\b",
    r"^cancel reply$", r"^post navigation$", r"^(?:previous|next)\s+(?:post|article|entry)\b",
    r"^(?:posted|published|filed)\s+(?:in|on|under|by)\b", r"^tagged\s*:?", r"^tags\s*:",
    r"^categories\s*:", r"^subscribe\b", r"^follow (?:us|me|this|the)\b", r"^notify me of\b",
    r"^save my name, email\b", r"^you must be logged in\b", r"^skip to (?:content|main)\b",
    r"^search(?: for)?\s*:?$", r"^(?:proudly\s+)?powered by\b", r"^blog at wordpress\.com",
    r"^read more\b", r"^continue reading\b", r"^\d+\s+(?:likes?|shares?|views)$",
    r"^(?:enter your|your) email\b", r"^join \d+ other\b", r"^advertisements?$",
    r"^report this ad$", r"^privacy & cookies\b", r"^share your thoughts\b",
))
COMMENTS_START = re.compile(r"^(?:\d+\s+(?:comments?|responses?|replies|thoughts?\s+on)\b|"
                             r"comments?\s*(?:\(\d+\))?\s*:?$|one (?:comment|response|thought)\b)",
                             re.IGNORECASE)
INDENTED_NUMBER = re.compile(r"^\s{2,}\d+[.)]\s+\S")
RELATED = re.compile(
    r"^read(?:\s+(?:my|our|the)\s+(?:appraisal|review)\s+of)?\s*:?\s+(?P<title>.+?)"
    r"(?:\s*[(\[](?:18|19|20)\d\d[)\]])?(?:\s+(?:appraisals?|reviews?))?\s*[.!]?$",
    re.IGNORECASE)
SIGNATURE_TITLE = re.compile(r"^(?:the\s+)?(?:keeper|guardian|custodian|editor|editor-in-chief|"
                              r"founder|curator|creator|owner|master|host|proprietor)\b",
                              re.IGNORECASE)
_NAME_PREFIX = re.compile(r"^(?:[-–—~]+\s*|by\s+)", re.IGNORECASE)
_NAME_PARTICLES = {"de", "da", "di", "du", "del", "della", "der", "den", "van", "von", "la",
                   "le", "bin", "al", "y", "st.", "mc", "dos", "das"}


def words(text: str) -> int:
    return len(text.split())


def is_paragraph(text: str) -> bool:
    """Prose: a sentence, or long enough to be one cut short."""
    return words(text) >= 12 or bool(SENTENCE_END.search(text))


def fact_of(text: str, known_only: bool = False) -> ImportedFact | None:
    """A `Label: value` line with a short, capitalised label; labels are kept as written."""
    if JUDGEMENT.match(text) or APPRAISAL.match(text):
        return None
    match = _FACT.match(text)
    if match is None:
        match = _FACT_DASH.match(text)
        if match is None or canonical_key(match["label"]) is None:
            return None
    label, value = match["label"].strip(), match["value"].strip()
    parts = label.split()
    known = canonical_key(label) is not None
    # A known label is one in any case ("Release date", "BUDGET"); an unknown one must look
    # like a label, capitalised, or a sentence with a colon would pass for a fact.
    if len(parts) > 5 or (not known and not all(
            p[0].isupper() or p[0] == "(" or p.lower() in _LABEL_JOINERS for p in parts)):
        return None
    if not known and (
            known_only or words(value) > 40 or (words(value) > 8 and is_paragraph(value))):
        return None
    return ImportedFact(label, value)


def is_jukebox_heading(text: str) -> bool:
    """"Suggested Audio Jukebox ♫", "Soundtrack:", "♫ The Playlist" and the like."""
    core = text.strip(_MUSIC_SIGNS + " :-–—*")
    if not core:
        return any(sign in text for sign in _MUSIC_SIGNS)
    if ":" in core or core[-1] in ".!?" or words(core) > 6:
        return False
    return bool(_JUKEBOX_WORDS.search(core))


def _unquote(text: str) -> str:
    return text.strip().strip(_QUOTES_OPEN + QUOTES_CLOSE + "‘’'").strip()


def track_of(text: str) -> tuple[ImportedTrack | None, bool]:
    """(track, numbered): the artist and song of a jukebox line; (None, True) when the line is
    numbered like a track but cannot be split."""
    number = _TRACK_NUMBER.match(text)
    rest = tidy(text[number.end():] if number else text)
    numbered = number is not None
    if not rest:
        return None, numbered
    for pattern in (_SONG_LAST, _SONG_LAST_SINGLE, _SONG_FIRST, _DASH, _COLON):
        match = pattern.match(rest)
        if match is None:
            continue
        song = match.groupdict().get("curly") or match["song"]
        artist, song = _unquote(match["artist"]).rstrip(",:;-–— "), _unquote(song)
        if artist and song and words(artist) <= 10:
            return ImportedTrack(artist, song), numbered
    return None, numbered


def track_text(text: str) -> str:
    """A track line without its number, for a track kept whole."""
    number = _TRACK_NUMBER.match(text)
    return tidy(text[number.end():] if number else text)


def is_name(text: str) -> bool:
    """A person's name alone on a line: two to five capitalised words ("Emilie Flory")."""
    parts = _NAME_PREFIX.sub("", text).split()
    if not 2 <= len(parts) <= 5 or len(text) > 60:
        return False
    for index, part in enumerate(parts):
        if not all(c.isalpha() or c in ".-’'" for c in part):
            return False
        if not part[0].isupper() and (index == 0 or part.lower() not in _NAME_PARTICLES):
            return False
    return True


def name_of(text: str) -> str:
    return _NAME_PREFIX.sub("", text).strip()


def same_title(text: str, title: str) -> bool:
    def key(value: str) -> str:
        return re.sub(r"[\W_]+", " ", value.casefold()).strip()

    return bool(title) and key(TITLE_YEAR.sub(r"\g<title>", text)) == key(title)


def _image_name(text: str) -> bool:
    """One token with an underscore or a hyphen (and perhaps a count): never a word of prose."""
    core = re.sub(r"\s*\(\d{1,4}\)$", "", text)
    return bool(_IMAGE_NAME.match(text)) and (
        "_" in core or (text != core and "-" in core) or bool(re.search(r"\d", core)))


def strong_kind(line: Line) -> Dropped | None:
    """Lines that are never prose wherever they appear: site furniture, shop links, images."""
    text = line.text
    if words(text) <= 30 and any(p.search(text) for p in _BOILERPLATE):
        return Dropped.BOILERPLATE
    if words(text) <= 30 and _COPYRIGHT.search(text):
        return Dropped.COPYRIGHT
    if words(text) <= 25 and _PURCHASE.search(text):
        return Dropped.PURCHASE
    if (_IMAGE_FILE.match(text) and words(text) <= 8) or (
            MD_IMAGE.search(line.raw) and not text) or _image_name(text):
        return Dropped.IMAGE
    if words(text) <= 15 and _CREDIT.search(text) and not text.endswith(("!", "?")) and (
            not text.endswith(".") or re.search(r"courtesy|credit|©", text, re.IGNORECASE)):
        return Dropped.CREDIT
    return None


_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<href>[^)\s]*)(?:\s+\"[^\"]*\")?\)")


def dropped_links(markdown: str) -> list[tuple[str, str]]:
    """(words, address) of each link in a converted line that `clean_markdown` leaves out
    (its words stay): the import report says so, as nothing may be lost unreported."""
    found = []
    for match in _LINK.finditer(MD_IMAGE.sub("", markdown)):
        if "](" not in clean_markdown(match[0]):
            found.append((tidy(match["text"])[:80], unquote(match["href"])[:80]))
    return found
