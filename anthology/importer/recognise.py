"""Recognise a review in the lines of a saved page: a typed `ImportedReview`, plus every line that
was left out of it and why.

A review page has its parts in a fixed order (title, appraisal number, fact box, jukebox, essay,
judgement, guest essays, cross-links, signature, shop links, copyright, comments), but eight
years of posts changed the wording of every part. So lines are recognised by shape (a short
`Label: value` line, a numbered track with a quoted song, a name alone on a line) rather than
by exact text, and the position in the page decides what an ambiguous line is: a name after a
guest essay is its byline, after the critic's signature it is a commenter.

Nothing of value is dropped silently: essay paragraphs are always kept, and every line that is
not kept (a caption, an image file name, a share button) comes back as a `DroppedLine` with its
line number for the import report.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from urllib.parse import urlsplit

from anthology.facts import canonical_key


class Dropped(StrEnum):
    """Why a line is not in the review."""

    CAPTION = "caption"
    IMAGE = "image file name"
    CREDIT = "credit"
    BOILERPLATE = "boilerplate"
    PURCHASE = "purchase"
    SIGNATURE = "signature"
    COPYRIGHT = "copyright"
    COMMENT = "comment"


@dataclass(frozen=True)
class DroppedLine:
    number: int
    kind: Dropped
    text: str


@dataclass(frozen=True)
class Notice:
    """Something the author should check, at a line of the page (0: the page as a whole)."""

    line: int
    message: str


@dataclass(frozen=True)
class ImportedFact:
    """A fact-box entry with the author's own label, or a note with no label."""

    label: str | None
    value: str


@dataclass(frozen=True)
class ImportedTrack:
    artist: str
    song: str


@dataclass(frozen=True)
class ImportedGuest:
    byline: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class ImportedReview:
    """Everything recognised on one page, ready to be written as a review source."""

    title: str
    year: int | None = None
    appraisal: int | None = None
    views: str | None = None
    facts: tuple[ImportedFact, ...] = ()
    jukebox: tuple[ImportedTrack, ...] = ()
    judgement: str | None = None
    related: tuple[str, ...] = ()
    author: str | None = None
    pen_name: str | None = None
    essay: tuple[str, ...] = ()
    guests: tuple[ImportedGuest, ...] = ()
    url: str | None = None
    published: date | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recognition:
    """The outcome for one page: a review (None when the page is not one), what was left out,
    and what to check."""

    review: ImportedReview | None
    dropped: tuple[DroppedLine, ...] = ()
    notices: tuple[Notice, ...] = ()
    skipped: str | None = None
    title: str = ""


# --- Lines -------------------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_MD_IMAGE = re.compile(r"\[!\[[^\]]*\]\([^)]*\)\]\([^)]*\)|!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[(?P<text>[^\]]*)\]\((?P<href>[^)\s]*)(?:\s+\"[^\"]*\")?\)")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
_LINK_SCHEMES = {"http", "https", "mailto"}


@dataclass(frozen=True)
class Line:
    """One non-blank line: its number, its text for recognition and its Markdown for the essay.

    `block` numbers runs of lines with no blank line between them: a paragraph hard-wrapped over
    several lines is one block.
    """

    number: int
    raw: str
    text: str
    markdown: str
    block: int


def _tidy(text: str) -> str:
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


def plain_text(markdown: str) -> str:
    """The words of a Markdown line, for recognition: no links, emphasis, headings or escapes."""
    text = _MD_IMAGE.sub("", markdown)
    text = _MD_LINK.sub(lambda m: m["text"], text)
    text = re.sub(r"^\s*(?:#{1,6}\s+|>\s?)", "", text)
    text = _MD_EMPHASIS.sub(lambda m: m[2], text)
    text = _MD_EMPHASIS.sub(lambda m: m[2], text)
    return _tidy(_MD_ESCAPE.sub(r"\1", text))


_BLOCK_START = re.compile(r"^(#{1,6}\s|>|[-+*]\s|=+$|-+$)")
_ORDERED_START = re.compile(r"^(\d+)\.(\s)")


def text_to_markdown(text: str) -> str:
    """A plain-text paragraph as Markdown that renders the same words (a censored "s**t" stays
    asterisks; a paragraph opening "1995. " stays a paragraph, not a list)."""
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([`*_])", r"\\\1", text)
    text = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)
    text = _ORDERED_START.sub(r"\1\\.\2", text)
    return "\\" + text if _BLOCK_START.match(text) else _no_fence(text)


def _no_fence(markdown: str) -> str:
    """A paragraph opening with ':::' would read as a guest-essay fence; an entity keeps it."""
    return "&#58;" + markdown[1:] if markdown.startswith(":::") else markdown


def clean_markdown(markdown: str) -> str:
    """A converted Markdown line made safe for a book: no remote images, no relative links
    (which would point at files), no raw HTML tags."""
    text = _MD_IMAGE.sub("", markdown)

    def link(match: re.Match[str]) -> str:
        href = match["href"]
        if href.startswith("#") or urlsplit(href).scheme.lower() in _LINK_SCHEMES:
            return match[0]
        return match["text"]

    text = _MD_LINK.sub(link, text)
    text = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)
    return _no_fence(_tidy(text))


def split_lines(text: str, markdown: bool) -> list[Line]:
    """Number the non-blank lines of a page; `markdown` says the page is Markdown already."""
    lines: list[Line] = []
    block, gap = 0, True
    for number, raw in enumerate(text.split("\n"), start=1):
        if not _tidy(raw) or (markdown and not plain_text(raw) and not _MD_IMAGE.search(raw)):
            gap = True
            continue
        if gap and lines:
            block += 1
        gap = False
        if markdown:
            lines.append(Line(number, raw, plain_text(raw), clean_markdown(raw), block))
        else:
            lines.append(Line(number, raw, _tidy(raw), text_to_markdown(_tidy(raw)), block))
    return lines


# --- Shapes of lines ---------------------------------------------------------------------------

_APOSTROPHE_S = r"\s*[’'‘`´]\s*s\s+"
_TITLE_YEAR = re.compile(r"^(?P<title>.+?)\s*[(\[](?P<year>18[7-9]\d|19\d\d|20\d\d)[)\]]\s*$")
_APPRAISAL = re.compile(
    rf"^(?:(?P<pen>.+?){_APOSTROPHE_S})?appraisal\s*(?:#|no\.?|number)?\s*(?P<number>\d+)\s*$",
    re.IGNORECASE)
_VIEWS = re.compile(r"^(?:number\s+of\s+)?(?:views|viewings|times\s+(?:viewed|seen|watched))"
                    r"\s*:\s*(?P<views>.+)$", re.IGNORECASE)
_JUDGEMENT = re.compile(
    rf"^(?:(?P<pen>.+?){_APOSTROPHE_S})?(?:final\s+)?(?:judge?ment|verdict|rating)"
    r"\s*[:\-–—]?\s*(?P<score>\d+(?:\.\d+)?)\s*(?:/|out\s+of)\s*(?P<scale>\d+)\s*\.?$",
    re.IGNORECASE)
_FACT = re.compile(r"^(?P<label>[^\W\d_][\w’'()&./\- ]{0,40}?)\s*:\s*(?P<value>\S.*)$")
_FACT_DASH = re.compile(r"^(?P<label>[^\W\d_][\w’'()&./ ]{0,40}?)\s+[–—-]\s+(?P<value>\S.*)$")
_LABEL_JOINERS = {"of", "by", "in", "the", "and", "&", "de", "to", "per", "for", "a"}
_NOTE = re.compile(
    r"^(?:(?:loosely\s+)?based\s+(?:on|upon)|adapted\s+from|inspired\s+by|from\s+the\s+\w+|"
    r"(?:a\s+)?remake\s+of|(?:a\s+)?sequel\s+to|(?:a\s+)?prequel\s+to|original\s+title|"
    r"also\s+known\s+as|a\.?k\.?a\.?\b|released\s+as|winner\s+of|nominated\s+for)", re.IGNORECASE)
_MUSIC_SIGNS = "♩♪♫♬🎵🎶🎧🎼"
_JUKEBOX_WORDS = re.compile(r"\b(?:jukebox|juke box|playlist|soundtrack|mixtape|mix tape|"
                            r"listening|audio|tracks?|songs?|tunes|music)\b", re.IGNORECASE)
_TRACK_NUMBER = re.compile(r"^(?:\[\s*\d{1,3}\s*\]|\(\s*\d{1,3}\s*\)|#\s*\d{1,3}\s*[.:)]?|"
                           r"\d{1,3}\s*[.):](?!\d)|[-*•·]\s)\s*")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•·]|\d{1,3}[.)])\s+\S")
_QUOTES_OPEN = "“\"„«"
_QUOTES_CLOSE = "”\"»“"
_SONG_LAST = re.compile(rf"^(?P<artist>.+?)\s*[,:\-–—]?\s*[{_QUOTES_OPEN}]"
                        rf"(?P<song>[^{_QUOTES_OPEN}{_QUOTES_CLOSE}]+)[{_QUOTES_CLOSE}]\s*[.,]?$")
_SONG_LAST_SINGLE = re.compile(r"^(?P<artist>.+?)\s*[,:\-–—]?\s+(?:‘(?P<curly>.+)’|'(?P<song>.+)')"
                               r"\s*[.,]?$")
_SONG_FIRST = re.compile(rf"^[{_QUOTES_OPEN}‘'](?P<song>.+?)[{_QUOTES_CLOSE}’']\s*"
                         r"(?:[,\-–—]\s*|by\s+)(?P<artist>.+)$", re.IGNORECASE)
_DASH = re.compile(r"^(?P<artist>.+?)\s+[-–—]+\s+(?P<song>.+)$")
_COLON = re.compile(r"^(?P<artist>[^:]+?)\s*:\s+(?P<song>.+)$")
_SENTENCE_END = re.compile(r"[.!?…:;][\"'’”)\]*_]*$")
_IMAGE_EXT = r"(?:jpe?g|png|gif|webp|bmp|tiff?|svg|avif|heic)"
_IMAGE_FILE = re.compile(rf"^[\w\-.%~@()+, ]*[\w\-~@()]\.{_IMAGE_EXT}$", re.IGNORECASE)
_GLUED_FILE = re.compile(rf"^(?P<file>(?:\\.|[\w\-.%~@()+])+?\.{_IMAGE_EXT})"
                         r"(?P<rest>\s*[“\"‘'(]?[^\W\d_].*)$", re.IGNORECASE)
_CREDIT = re.compile(
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
_COMMENTS_START = re.compile(r"^(?:\d+\s+(?:comments?|responses?|replies|thoughts?\s+on)\b|"
                             r"comments?\s*(?:\(\d+\))?\s*:?$|one (?:comment|response|thought)\b)",
                             re.IGNORECASE)
_INDENTED_NUMBER = re.compile(r"^\s{2,}\d+[.)]\s+\S")
_RELATED = re.compile(
    r"^read(?:\s+(?:my|our|the)\s+(?:appraisal|review)\s+of)?\s*:?\s+(?P<title>.+?)"
    r"(?:\s*[(\[](?:18|19|20)\d\d[)\]])?(?:\s+(?:appraisals?|reviews?))?\s*[.!]?$",
    re.IGNORECASE)
_SIGNATURE_TITLE = re.compile(r"^(?:the\s+)?(?:keeper|guardian|custodian|editor|editor-in-chief|"
                              r"founder|curator|creator|owner|master|host|proprietor)\b",
                              re.IGNORECASE)
_NAME_PREFIX = re.compile(r"^(?:[-–—~]+\s*|by\s+)", re.IGNORECASE)
_NAME_PARTICLES = {"de", "da", "di", "du", "del", "della", "der", "den", "van", "von", "la",
                   "le", "bin", "al", "y", "st.", "mc", "dos", "das"}


def words(text: str) -> int:
    return len(text.split())


def is_paragraph(text: str) -> bool:
    """Prose: a sentence, or long enough to be one cut short."""
    return words(text) >= 12 or bool(_SENTENCE_END.search(text))


def fact_of(text: str, known_only: bool = False) -> ImportedFact | None:
    """A `Label: value` line with a short, capitalised label; labels are kept as written."""
    if _JUDGEMENT.match(text) or _APPRAISAL.match(text):
        return None
    match = _FACT.match(text)
    if match is None:
        match = _FACT_DASH.match(text)
        if match is None or canonical_key(match["label"]) is None:
            return None
    label, value = match["label"].strip(), match["value"].strip()
    parts = label.split()
    if len(parts) > 5 or not all(p[0].isupper() or p[0] == "(" or p.lower() in _LABEL_JOINERS
                                 for p in parts):
        return None
    if canonical_key(label) is None and (
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
    return text.strip().strip(_QUOTES_OPEN + _QUOTES_CLOSE + "‘’'").strip()


def track_of(text: str) -> tuple[ImportedTrack | None, bool]:
    """(track, numbered): the artist and song of a jukebox line; (None, True) when the line is
    numbered like a track but cannot be split."""
    number = _TRACK_NUMBER.match(text)
    rest = _tidy(text[number.end():] if number else text)
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


def _same_title(text: str, title: str) -> bool:
    def key(value: str) -> str:
        return re.sub(r"[\W_]+", " ", value.casefold()).strip()

    return bool(title) and key(_TITLE_YEAR.sub(r"\g<title>", text)) == key(title)


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
            _MD_IMAGE.search(line.raw) and not text):
        return Dropped.IMAGE
    if words(text) <= 15 and _CREDIT.search(text) and not text.endswith(("!", "?")) and (
            not text.endswith(".") or re.search(r"courtesy|credit|©", text, re.IGNORECASE)):
        return Dropped.CREDIT
    return None


# --- Regions of a page -------------------------------------------------------------------------

@dataclass
class _Findings:
    """What recognition has found so far; private to this module, frozen into a Recognition."""

    title: str = ""
    title_line: int = 1
    year: int | None = None
    appraisal: int | None = None
    pen_name: str | None = None
    views: str | None = None
    facts: list[ImportedFact] = field(default_factory=list)
    jukebox: list[ImportedTrack] = field(default_factory=list)
    judgement: str | None = None
    related: list[str] = field(default_factory=list)
    author: str | None = None
    essay: list[str] = field(default_factory=list)
    last_essay_line: int = 0
    guests: list[ImportedGuest] = field(default_factory=list)
    dropped: list[DroppedLine] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    def drop(self, line: Line, kind: Dropped, text: str | None = None) -> None:
        self.dropped.append(DroppedLine(line.number, kind, text or line.raw.strip()))

    def notice(self, line: int, message: str) -> None:
        self.notices.append(Notice(line, message))


def read_header(lines: Sequence[Line], found: _Findings) -> int:
    """Title and year, appraisal number and pen name, number of views: the top of the page.
    Returns the index of the first line after them."""
    index = 0
    while index < len(lines) and (kind := strong_kind(lines[index])) is not None:
        found.drop(lines[index], kind)
        index += 1
    if index == len(lines):
        return index
    # The title line is the first "Title (Year)" line near the top; site names before it go.
    window = lines[index:index + 4]
    titled = next((i for i, line in enumerate(window) if _TITLE_YEAR.match(line.text)
                   and fact_of(line.text) is None), None)
    if titled is not None and (match := _TITLE_YEAR.match(window[titled].text)):
        for line in window[:titled]:
            if not _header_line(line, found):
                same = _same_title(line.text, match["title"])
                found.drop(line, Dropped.CAPTION if same else Dropped.BOILERPLATE)
        index += titled
        found.title, found.year = match["title"].strip(), int(match["year"])
    else:
        found.title = lines[index].text
    found.title_line = lines[index].number
    index += 1
    while index < len(lines):
        line = lines[index]
        if _header_line(line, found):
            pass
        elif _same_title(line.text, found.title):
            found.drop(line, Dropped.CAPTION)
        elif strong_kind(line) is Dropped.BOILERPLATE:
            found.drop(line, Dropped.BOILERPLATE)
        else:
            break
        index += 1
    return index


def _header_line(line: Line, found: _Findings) -> bool:
    if (match := _APPRAISAL.match(line.text)) and found.appraisal is None:
        found.appraisal = int(match["number"])
        found.pen_name = (match["pen"] or "").strip() or None
        return True
    if (match := _VIEWS.match(line.text)) and found.views is None:
        # The number of views opens the author's fact box: it stays there, as written.
        found.views = match["views"].strip()
        found.facts.append(ImportedFact(line.text.split(":", 1)[0].strip(), found.views))
        return True
    return False


def read_tracks(lines: Sequence[Line], index: int, found: _Findings) -> int:
    """The tracks under a jukebox heading, numbered `[1]`, `1)`, `1.` or not at all."""
    while index < len(lines):
        line = lines[index]
        track, numbered = track_of(line.text)
        short = words(line.text) <= 15 and (line.text.endswith(tuple(_QUOTES_CLOSE + "’'"))
                                            or not is_paragraph(line.text))
        if track is not None and (numbered or short):
            found.jukebox.append(track)
        elif numbered and 0 < words(line.text) <= 20 and not _SENTENCE_END.search(line.text):
            found.notice(line.number, f"track '{line.text}' could not be split into artist and "
                         "song (write it as Artist “Song”); it was left out of the jukebox")
        else:
            break
        index += 1
    return index


def read_boxes(lines: Sequence[Line], index: int, found: _Findings) -> int:
    """The fact box and the jukebox, in either order, up to the first essay paragraph."""
    after_jukebox = False
    while index < len(lines):
        line = lines[index]
        text = line.text
        fact = fact_of(text, known_only=after_jukebox)
        kind = strong_kind(line)
        if _header_line(line, found):
            index += 1
        elif is_jukebox_heading(text):
            after = read_tracks(lines, index + 1, found)
            if after == index + 1:
                break  # a heading-like line with no tracks: the essay's business
            after_jukebox, index = True, after
        elif fact is not None and (kind is None or canonical_key(fact.label or "")):
            found.facts.append(fact)
            index += 1
        elif kind is not None:
            found.drop(line, kind)
            index += 1
        elif _continues(found.facts, line, lines[index - 1] if index else None):
            last = found.facts[-1]
            found.facts[-1] = ImportedFact(last.label, f"{last.value} {text}")
            index += 1
        elif _is_note(lines, index, bool(found.facts)):
            found.facts.append(ImportedFact(None, text))
            index += 1
        elif not found.essay and _caption_in_box(lines, index):
            found.drop(line, Dropped.CAPTION)
            index += 1
        else:
            break
    return index


def _following(lines: Sequence[Line], index: int) -> str:
    return lines[index + 1].text if index + 1 < len(lines) else ""


def _is_note(lines: Sequence[Line], index: int, in_box: bool) -> bool:
    """An unlabelled line in the fact box ("Based on a novel by ..."): it says so, or it sits
    between facts (or just before the jukebox)."""
    text = lines[index].text
    following = _following(lines, index)
    if words(text) > 25:
        return False
    if _NOTE.match(text):
        return in_box or fact_of(following) is not None
    return in_box and words(text) <= 20 and not is_paragraph(text) and (
        fact_of(following) is not None or is_jukebox_heading(following))


def _continues(facts: Sequence[ImportedFact], line: Line, previous: Line | None) -> bool:
    """A fact value wrapped onto the next line ("Stars: A, B," then "C, D")."""
    return bool(facts and previous is not None and previous.block == line.block
                and facts[-1].value.endswith((",", "&", " and"))
                and words(line.text) <= 20 and ":" not in line.text)


def _caption_in_box(lines: Sequence[Line], index: int) -> bool:
    """A poster caption between the header and the fact box, or inside the box."""
    text = lines[index].text
    following = fact_of(_following(lines, index))
    return (not is_paragraph(text) and following is not None
            and canonical_key(following.label or "") is not None)


class _Phase(StrEnum):
    ESSAY = "essay"
    AFTER = "after the judgement"
    TAIL = "after the signature"


@dataclass
class _Body:
    """Where the reading of the body has got to."""

    phase: _Phase = _Phase.ESSAY
    has_judgement: bool = False
    pending: list[tuple[int, str]] = field(default_factory=list)
    paragraph: list[Line] = field(default_factory=list)


def _signature_at(lines: Sequence[Line], index: int, pen: str | None, title_alone: bool) -> int:
    """How many lines of the critic's signature start here (a name, then "Keeper of ...")."""
    text = lines[index].text
    if title_alone and _SIGNATURE_TITLE.match(text) and words(text) <= 10:
        return 1
    nxt = lines[index + 1].text if index + 1 < len(lines) else ""
    if is_name(text) and nxt and words(nxt) <= 10 and (
            _SIGNATURE_TITLE.match(nxt) or (pen and pen.casefold() in nxt.casefold())):
        return 2
    return 0


def _flush(found: _Findings, body: _Body) -> None:
    """End the paragraph being gathered: into the essay, a guest essay, or the comments."""
    if not body.paragraph:
        return
    first = body.paragraph[0]
    markdown = "\n".join(line.markdown for line in body.paragraph)
    if body.phase is _Phase.TAIL:
        for line in body.paragraph:
            found.drop(line, Dropped.COMMENT)
    elif body.phase is _Phase.AFTER:
        body.pending.append((first.number, markdown))
    else:
        found.essay.append(markdown)
        found.last_essay_line = body.paragraph[-1].number
    body.paragraph = []


def _glued_file(line: Line, found: _Findings) -> Line:
    """Split an image file name off the front of a paragraph it was glued to."""
    match = _GLUED_FILE.match(line.text)
    if match is None or words(match["rest"]) < 4:
        return line
    found.drop(line, Dropped.IMAGE, match["file"])
    md = _GLUED_FILE.match(line.markdown)
    markdown = md["rest"].strip() if md else text_to_markdown(match["rest"].strip())
    return Line(line.number, line.raw, match["rest"].strip(), markdown, line.block)


def read_body(lines: Sequence[Line], index: int, found: _Findings) -> None:
    """The essay, the judgement, guest essays with their bylines, and the page's tail."""
    body = _Body(has_judgement=any(_JUDGEMENT.match(line.text) for line in lines[index:]))
    while index < len(lines):
        line = _glued_file(lines[index], found)
        index = _body_line(lines, index, line, found, body)
    _flush(found, body)
    _end_guest(found, body)


def _body_line(lines: Sequence[Line], index: int, line: Line, found: _Findings,
               body: _Body) -> int:
    """Recognise one line of the body; returns the index of the next line to read."""
    text = line.text
    same_block = index + 1 < len(lines) and lines[index + 1].block == line.block
    alone = not same_block and (not body.paragraph)
    kind = strong_kind(line)
    if kind is not None:
        _flush(found, body)
        found.drop(line, kind)
        return index + 1
    if (related := _RELATED.match(text)) and words(text) <= 12 and not text.endswith("."):
        _flush(found, body)
        found.related.append(related["title"].strip())
        return index + 1
    if body.phase is not _Phase.ESSAY and (
            _INDENTED_NUMBER.match(line.raw) or (alone and _COMMENTS_START.match(text))):
        _flush(found, body)
        _end_guest(found, body)
        body.phase = _Phase.TAIL
        found.drop(line, Dropped.COMMENT)
        return index + 1
    if body.phase is _Phase.TAIL:
        body.paragraph.append(line)
        if not same_block:
            _flush(found, body)
        return index + 1
    # With a judgement on the page the signature follows it; without one (a page cut short),
    # only a name above a "Keeper of ..." line is taken for it.
    signs = body.phase is _Phase.AFTER or not body.has_judgement
    if not body.paragraph and signs and (signature := _signature_at(lines, index, found.pen_name,
                                                          body.phase is _Phase.AFTER)):
        _flush(found, body)
        _end_guest(found, body)
        if signature == 2:
            found.author = name_of(text)
        for line_ in lines[index:index + signature]:
            found.drop(line_, Dropped.SIGNATURE)
        body.phase = _Phase.TAIL
        return index + signature
    if body.phase is _Phase.ESSAY and (judgement := _JUDGEMENT.match(text)):
        _flush(found, body)
        score, scale = float(judgement["score"]), int(judgement["scale"])
        if scale > 0 and score <= scale:
            found.judgement = f"{judgement['score']}/{judgement['scale']}"
        else:
            found.notice(line.number, f"judgement '{text}' is outside its scale; it was left "
                         "out: write it in the source as a score such as 10/10")
        found.pen_name = found.pen_name or ((judgement["pen"] or "").strip() or None)
        body.phase = _Phase.AFTER
        return index + 1
    if alone and body.phase is _Phase.ESSAY and is_jukebox_heading(text):
        after = read_tracks(lines, index + 1, found)
        if after > index + 1:
            return after
    if alone and (_same_title(text, found.title)
                  or ("giphy" in text.casefold() and words(text) <= 4)):
        found.drop(line, Dropped.CAPTION)
        return index + 1
    if alone and body.phase is _Phase.AFTER and is_name(text):
        if body.pending:
            found.guests.append(ImportedGuest(name_of(text),
                                              tuple(md for _, md in body.pending)))
            body.pending = []
        else:
            found.author = found.author or name_of(text)
            found.drop(line, Dropped.SIGNATURE)
            body.phase = _Phase.TAIL
        return index + 1
    # A guest's own score is part of the guest essay, not a caption.
    guest_score = body.phase is _Phase.AFTER and _JUDGEMENT.match(text)
    if alone and not is_paragraph(text) and not _LIST_ITEM.match(line.raw) and not guest_score:
        found.drop(line, Dropped.CAPTION)
        return index + 1
    body.paragraph.append(line)
    if not same_block:
        _flush(found, body)
    return index + 1


def _end_guest(found: _Findings, body: _Body) -> None:
    """Paragraphs after the judgement with no byline before the signature stay the critic's."""
    if body.pending:
        found.notice(body.pending[0][0], f"{len(body.pending)} paragraph(s) after the judgement "
                     "have no byline, so they are not a guest essay: kept at the end of the essay")
        found.essay.extend(markdown for _, markdown in body.pending)
        body.pending = []


# --- The whole page ----------------------------------------------------------------------------

def recognise(text: str, *, markdown: bool = False) -> Recognition:
    """Recognise one page. `markdown` is True for text converted from HTML (a WordPress post),
    whose emphasis and links are kept; a saved plain-text page is escaped instead."""
    lines = split_lines(text, markdown)
    found = _Findings()
    if not lines:
        return Recognition(None, skipped="the page has no text")
    for line in lines:
        if line.text:  # images inside a paragraph: the words stay, the image is reported
            for image in _MD_IMAGE.finditer(line.raw):
                found.drop(line, Dropped.IMAGE, image[0])
    index = read_header(lines, found)
    index = read_boxes(lines, index, found)
    if found.appraisal is None and not any(canonical_key(f.label or "") for f in found.facts):
        return Recognition(None, skipped="not an appraisal: no 'Appraisal #' line and no fact "
                           "box (an editorial, a list or a Q&A?)", title=found.title)
    read_body(lines, index, found)
    _check(found)
    review = ImportedReview(
        title=found.title, year=found.year, appraisal=found.appraisal, views=found.views,
        facts=tuple(found.facts), jukebox=tuple(found.jukebox), judgement=found.judgement,
        related=tuple(dict.fromkeys(found.related)), author=found.author,
        pen_name=found.pen_name, essay=tuple(found.essay), guests=tuple(found.guests),
    )
    return Recognition(review, tuple(sorted(found.dropped, key=lambda d: d.number)),
                       tuple(found.notices), title=found.title)


def _check(found: _Findings) -> None:
    """Warn about what a complete appraisal has and this page lacks."""
    if found.year is None:
        found.notice(found.title_line, "no year found: the first line should read 'Title (Year)'")
    if not found.facts:
        found.notice(0, "no fact box found")
    if not found.essay:
        found.notice(0, "no essay paragraphs found")
    if found.judgement is None:
        last = found.essay[-1] if found.essay else ""
        if last and not _SENTENCE_END.search(plain_text(last)):
            found.notice(found.last_essay_line, "no judgement, and the last paragraph ends "
                         "mid-sentence: the page looks truncated; compare it with the blog")
        else:
            found.notice(0, "no judgement line found ('... Judgement: 8/10')")
