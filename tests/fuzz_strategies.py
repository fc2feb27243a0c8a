"""Hypothesis strategies for random workspaces (issue 14): review sources, volume files and
stylesheets, from plausible to broken, written as bytes into a folder.

Values come from small grammars of what an author (or an attacker) might write, mixed with
the characters and fragments that broke the project before: NUL and control characters,
non-characters, impossible dates, huge numbers, paths that climb out, remote URLs, raw HTML.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date

import yaml
from hypothesis import strategies as st
from PIL import Image

NASTY = ("\x00", "\x07", "\x1b", "\x0b", "\ufffe", "\uffff", "\ufeff", "\u202e", "\ufffd",
         "&#0;", "&#1;", "&#xFFFE;", "&amp;", "&lt;", "--", "---", "...", '"', "'", "<", ">",
         "&", "]]>", "{{ x }}", "{% if %}", "::: guest", ":::", "*", "_", "`", "[", "](", "|",
         "\\", "#", "> ", "- ", "1. ", "[^1]", "\t", "\r", "\u00e9", "\U0001f3ac", "\u05e9")
WORDS = ("film", "shadow", "stair", "Nosferatu", "reel", "the", "a", "score", "1922", "Ada")
DATES = ("2024-02-30", "2024-13-01", "0000-01-01", "9999-12-31", "2200-01-01", "2026-03-01",
         "1922-03-04", "2024-01-01 25:00:00", "2019-10-31T10:00:00Z")
YAML_TOKENS = ("*a", "&a x", "!!binary aGk=", "!!python/name:os.system", "!shout x", "[", "]",
               "{", "}", "~", "null", "yes", "no", ".inf", ".nan", "0x1F", "1e400", "? ", "<<",
               "|", ">-", "'", '"', "#", ": ", "- ")
KEYS = ("title", "year", "appraisal", "views", "facts", "jukebox", "judgement", "related",
        "author", "url", "published", "tags")
IMAGE_SOURCES = ("still.png", "../v1/still.png", "gone.png", "../../../../etc/passwd",
                 "/etc/passwd", "file:///etc/passwd", "http://example.org/x.png",
                 "//example.org/x.png", "data:image/png;base64,iVBORw0KGgo=", "still%00.png",
                 "%2e%2e/%2e%2e/%2e%2e/etc/passwd", "still.png?x=1", "still.png#frag", "")
HREFS = ("https://example.org/", "http://example.org/", "mailto:a@example.org", "#top",
         "file:///etc/passwd", "javascript:alert(1)", "data:text/html,x", "../alpha.md",
         "/etc/passwd", "ftp://example.org/", "")
TAGS = ("span", "em", "div", "p", "a", "img", "table", "td", "script", "style", "iframe",
        "svg", "object", "blockquote", "h1", "sup", "base", "meta", "form", "math", "video")
ATTRIBUTES = ("class", "id", "style", "onclick", "onerror", "href", "src", "srcset", "alt",
              "background", "lang", "title", "xmlns", "data-x")
CSS_URLS = ("http://example.org/x.png", "https://example.org/f.woff2", "file:///etc/passwd",
            "../../../../etc/passwd", "/etc/passwd", "data:image/png;base64,iVBORw0KGgo=",
            "still.png", "../fonts/x.ttf", "")
FILE_NAMES = ("alpha", "beta", "gamma", "cover", "toc", "nav", "ncx", "css0", "titlepage",
              "copyright", "1917", "r-1917", "Alpha", "caf\u00e9", "a b", "README", "foreword")

text = st.text(max_size=12)
word = st.one_of(st.sampled_from(WORDS), st.sampled_from(NASTY), text)
sentence = st.lists(word, min_size=1, max_size=5).map(" ".join)
scalar = st.one_of(
    sentence, st.integers(-(10**15), 10**15), st.integers(), st.floats(), st.booleans(),
    st.none(), st.dates(), st.sampled_from(DATES), st.sampled_from(("8/10", "7.5/10", "11/10",
                                                                     "1/0", "ten", "10")))
value = st.recursive(scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(sentence, st.sampled_from(KEYS)),
                                                 inner, max_size=3)), max_leaves=12)


@st.composite
def raw_yaml(draw) -> str:
    """Front matter written by hand: keys and unquoted values, so YAML reads dates, aliases,
    tags and flow brackets where it finds them."""
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        key = draw(st.one_of(st.sampled_from(KEYS), st.sampled_from(("directer", "Title", "<<")),
                             text))
        parts = draw(st.lists(st.one_of(st.sampled_from(YAML_TOKENS), st.sampled_from(DATES),
                                        word), max_size=4))
        indent = draw(st.sampled_from(("", "", "  ", "\t")))
        lines.append(f"{indent}{key}: {' '.join(parts)}")
        if draw(st.booleans()):
            lines += [f"  - {draw(sentence)}: {draw(word)}"
                      for _ in range(draw(st.integers(0, 3)))]
    return "\n".join(lines) + "\n"


def dumped(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


# Plausible text: any printable character, quotes, markup and typography, but none of the
# characters a book cannot hold (those are refused, and the random workspaces try them).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufdd0-\ufdef\ufffe\uffff]")
clean_word = st.one_of(
    st.sampled_from(WORDS), st.sampled_from(tuple(n for n in NASTY if not _UNPRINTABLE.search(n))),
    st.text(st.characters(exclude_categories=("Cc", "Cs", "Cn", "Co")), max_size=12))
clean_sentence = st.lists(clean_word, min_size=1, max_size=5).map(" ".join)
named = st.builds(lambda w, rest: f"{w} {rest}", st.sampled_from(WORDS), clean_sentence)
plausible_front = st.fixed_dictionaries(
    {"title": named, "appraisal": st.integers(0, 10_000)},
    optional={
        "year": st.integers(1870, 2100),
        "views": named,
        "facts": st.lists(st.one_of(st.dictionaries(named, st.one_of(named, st.lists(
            named, min_size=1, max_size=3)), min_size=1, max_size=1), named), max_size=5),
        "jukebox": st.lists(st.fixed_dictionaries({"artist": named, "song": named}),
                            max_size=3),
        "judgement": st.sampled_from(("8/10", "7.5/10", "10/10", "0/5")),
        "related": st.lists(st.sampled_from(("Alpha", "Beta", "Gamma", "Nowhere")), max_size=3),
        "author": named,
        "url": st.sampled_from(HREFS),
        "published": st.dates(date(1900, 1, 1), date(2100, 12, 31)),
        "tags": st.lists(named, max_size=3),
    })
any_front = st.one_of(
    raw_yaml(),
    st.dictionaries(st.one_of(st.sampled_from(KEYS), text), value, max_size=8).map(dumped),
    plausible_front.map(dumped),
    value.map(dumped))


SAFE_TAGS = ("span", "em", "strong", "sup", "sub", "small", "cite", "q", "abbr", "code")
SAFE_ATTRIBUTES = ("class", "lang", "title", "dir")


@st.composite
def html_fragment(draw, plausible: bool = False) -> str:
    tag = draw(st.sampled_from(SAFE_TAGS if plausible else TAGS))
    names = SAFE_ATTRIBUTES if plausible else ATTRIBUTES
    values = clean_word if plausible else st.one_of(st.sampled_from(HREFS), word)
    attributes = "".join(f' {draw(st.sampled_from(names))}="{draw(values)}"'
                         for _ in range(draw(st.integers(0, 3))))
    inner = draw(clean_sentence if plausible else sentence)
    if plausible:
        return f"<{tag}{attributes}>{inner}</{tag}>"
    return draw(st.sampled_from((f"<{tag}{attributes}>{inner}</{tag}>", f"<{tag}{attributes}>",
                                 f"<{tag}{attributes}/>", f"</{tag}>")))


PLAUSIBLE_KINDS = (0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 12, 12)


@st.composite
def markdown_block(draw, plausible: bool = False) -> str:
    """One block of a review's body; `plausible` keeps to what a careful author writes (with
    any characters in it), so the case reaches rendering."""
    kind = draw(st.sampled_from(PLAUSIBLE_KINDS) if plausible else st.integers(0, 13))
    sentence_ = clean_sentence if plausible else sentence
    line = draw(sentence_)
    if kind == 0:
        return "#" * draw(st.integers(1, 7)) + " " + line
    if kind == 1:
        return "> " * draw(st.integers(1, 8 if plausible else 40)) + line
    if kind == 2:
        return "\n".join("    " * draw(st.integers(0, 6)) + draw(st.sampled_from(("- ", "1. ")))
                         + draw(sentence_) for _ in range(draw(st.integers(1, 4))))
    if kind == 3:
        if plausible:
            return f"![{draw(named)}](still.png)"
        alt = draw(st.one_of(st.just(""), sentence))
        return f"![{alt}]({draw(st.sampled_from(IMAGE_SOURCES))})"
    if kind == 4:
        href = draw(st.sampled_from(HREFS[:3] if plausible else HREFS))
        return f"[{line}]({href})"
    if kind == 5:
        return " ".join(draw(st.lists(html_fragment(plausible), min_size=1, max_size=4)))
    if kind == 6:
        byline = draw(named if plausible else st.one_of(st.just(""), sentence))
        closing = ":::" if plausible else draw(st.sampled_from((":::", ":::", "", "::: guest x")))
        return f"::: guest {byline}\n{draw(sentence_)}\n{closing}"
    if kind == 7:
        cell = clean_word if plausible else word
        cells = draw(st.lists(cell, min_size=1, max_size=3))
        return ("| " + " | ".join(cells) + " |\n|" + "---|" * len(cells) + "\n| "
                + " | ".join(draw(st.lists(cell, min_size=1, max_size=3))) + " |")
    if kind == 8:
        return f"{line}[^n]\n\n[^n]: {draw(sentence_)}"
    if kind == 9:
        return draw(st.sampled_from(('<!DOCTYPE x [<!ENTITY e "boom">]>\n\n&e;',
                                     '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;',
                                     "<!-- a comment -->", "<?xml-stylesheet href='x'?>",
                                     "<![CDATA[ x ]]>")))
    if kind == 10:
        return "```\n" + line + "\n```"
    if kind == 11:
        return draw(st.sampled_from(("*", "_", "`", "[", "<em>", "<", "&"))) * draw(
            st.integers(1, 300))
    return line


def body(plausible: bool = False) -> st.SearchStrategy[str]:
    return st.lists(markdown_block(plausible), max_size=5).map("\n\n".join)


ENCODINGS = ("utf-8", "utf-8", "utf-8", "utf-8", "bom", "crlf", "cr", "utf-16", "latin-1",
             "truncated")


def encode(source: str, how: str) -> bytes:
    if how == "bom":
        return b"\xef\xbb\xbf" + source.encode("utf-8", "surrogatepass")
    if how == "crlf":
        return source.replace("\n", "\r\n").encode("utf-8", "surrogatepass")
    if how == "cr":
        return source.replace("\n", "\r").encode("utf-8", "surrogatepass")
    if how == "utf-16":
        return source.encode("utf-16", "surrogatepass")
    if how == "latin-1":
        return source.encode("latin-1", "replace")
    data = source.encode("utf-8", "surrogatepass")
    return data[: len(data) * 2 // 3] if how == "truncated" else data


@st.composite
def review_bytes(draw, plausible: bool = False) -> bytes:
    """A review file: front matter and a body, or something that only looks like one."""
    if not plausible and draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=300))
    front = draw(plausible_front.map(dumped) if plausible else any_front)
    opening, closing = ("---", "---") if plausible else draw(st.sampled_from(
        (("---", "---"), ("---", "---"), ("---", "---"), ("---", ""), ("", "---"),
         ("--- ", "..."))))
    source = f"{opening}\n{front}{closing}\n\n{draw(body(plausible))}\n"
    return encode(source, "utf-8" if plausible else draw(st.sampled_from(ENCODINGS)))


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | date):
        return str(value) if not isinstance(value, date) else value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    text = str(value)
    escaped = "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}"
                      if ord(c) < 0x10000 else f"\\U{ord(c):08x}" for c in text)
    return f'"{escaped}"'


toml_scalar = st.one_of(sentence, st.integers(-(10**13), 10**13), st.booleans(),
                        st.dates(), st.sampled_from(DATES))


@st.composite
def volume_toml(draw, plausible: bool = False) -> bytes:
    """A volume.toml: in `plausible` mode every value valid in kind (any text in the strings)."""
    if plausible:
        keys = {"title": named, "author": named, "language": st.sampled_from(("en", "en-GB")),
                "date": st.dates(date(1980, 1, 1), date(2100, 12, 31))}
        optional = {"subtitle": named, "publisher": named, "rights": named,
                    "order": st.sampled_from(("appraisal", "title", "year"))}
    else:
        keys = {"title": sentence, "author": sentence, "language": st.sampled_from(
                    ("en", "en-GB", "de", "x", "english!", "")),
                "date": st.one_of(st.dates(date(1900, 1, 1), date(2100, 12, 31)),
                                  st.dates(), st.sampled_from(DATES), sentence)}
        optional = {"subtitle": sentence, "publisher": sentence, "rights": sentence,
                    "order": st.sampled_from(("appraisal", "title", "year", "list", "random")),
                    "foreword": st.sampled_from(("foreword.md", "../../../etc/passwd",
                                                 "/etc/passwd", "nowhere.md", "still.png")),
                    "cover": st.sampled_from(("still.png", "../../../etc/passwd", "alpha.md",
                                              "gone.jpg"))}
    lines = [f"{k} = {toml_value(draw(s))}" for k, s in keys.items()
             if plausible or draw(st.integers(0, 5))]
    for k, s in optional.items():
        if draw(st.integers(0, 3)) == 0:
            lines.append(f"{k} = {toml_value(draw(s))}")
    if draw(st.booleans()):
        number = draw(st.integers(1, 50) if plausible
                      else st.one_of(st.integers(1, 50), st.integers(-5, 10**13)))
        lines += ["[series]", f"name = {toml_value(draw(named))}", f"number = {number}"]
    if not plausible and draw(st.integers(0, 3)) == 0:
        lines.insert(draw(st.integers(0, len(lines))), draw(st.one_of(
            text, st.sampled_from(("[", "x = ", '"', "[[a]]", "a.b = 1", "= 3",
                                   "rights = " + "[" * 50 + "]" * 50)))))
    data = "\n".join(lines) + "\n"
    return encode(data, "utf-8" if plausible else draw(st.sampled_from(ENCODINGS)))


@st.composite
def stylesheet(draw) -> bytes:
    rules = [f"{draw(st.sampled_from(('p', 'body', '.never-used', 'h1', '@font-face')))} "
             f"{{ {draw(st.sampled_from(('background', 'src', 'color', 'content')))}: "
             f"url({draw(st.sampled_from(CSS_URLS))}); }}" for _ in range(draw(st.integers(0, 3)))]
    if draw(st.booleans()):
        rules.append(f'@import url("{draw(st.sampled_from(CSS_URLS))}");')
    return draw(st.one_of(st.just("\n".join(rules).encode()), st.binary(max_size=100)))


def tiny_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (100, 100, 100)).save(out, "PNG")
    return out.getvalue()


PNG = tiny_png()


@dataclass(frozen=True)
class Files:
    """A workspace as relative paths and bytes; `outside` links point out of it."""

    files: dict[str, bytes]
    outside_links: tuple[str, ...] = field(default=())


@st.composite
def workspace(draw, plausible: bool = False) -> Files:
    """One or two volumes of one to three reviews, maybe an image, a foreword, a stylesheet,
    and (not plausible) a review that is a symlink out of the workspace."""
    files: dict[str, bytes] = {}
    links: list[str] = []
    names = iter(draw(st.lists(st.sampled_from(FILE_NAMES), min_size=4, max_size=4,
                               unique_by=lambda n: n.lower()))) if plausible else None
    for index in range(1 + (draw(st.integers(0, 3)) == 0)):
        folder = "v1" if index == 0 else draw(st.sampled_from(("v2", "Vol 3", "cover", "v1")))
        toml_name = "volume.toml" if plausible else draw(st.sampled_from(
            ("volume.toml",) * 8 + ("Volume.toml", "")))
        if toml_name:
            files[f"volumes/{folder}/{toml_name}"] = draw(volume_toml(plausible))
        for _ in range(draw(st.integers(1, 2))):
            name = next(names) if names else draw(st.sampled_from(FILE_NAMES))
            suffix = ".md" if plausible else draw(st.sampled_from((".md",) * 6 + (".markdown",)))
            files[f"volumes/{folder}/{name}{suffix}"] = draw(review_bytes(plausible))
        if plausible or draw(st.booleans()):
            files[f"volumes/{folder}/still.png"] = PNG if plausible or draw(
                st.integers(0, 3)) else PNG[:40]
        if not plausible and draw(st.booleans()):
            files[f"volumes/{folder}/foreword.md"] = draw(body()).encode("utf-8", "surrogatepass")
        if not plausible and draw(st.integers(0, 7)) == 0:
            links.append(f"volumes/{folder}/smuggled.md")
    if not plausible and draw(st.integers(0, 3)) == 0:
        files["styles/css/local.css"] = draw(stylesheet())
    return Files(files, tuple(links))
