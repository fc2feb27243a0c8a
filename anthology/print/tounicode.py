"""Text that copies and searches right from fonts embedded whole.

With `full_fonts`, WeasyPrint writes each font's ToUnicode map from the font's character map
alone, so glyphs only OpenType features reach (the "ft" and "fi" ligatures, small capitals,
old-style figures) map to nothing: a reader, a store's search inside the book or a screen
reader gets "Af er Midnight". A subset font has no such gap (WeasyPrint records what every
drawn glyph stood for), so only the missing glyphs are added here, each given the text of the
glyphs it is substituted for in the font's GSUB table.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import unicodedata

import pikepdf
from fontTools.ttLib import TTFont

# Whose text a glyph reached by several features takes: a small capital stands for the
# lower-case letter it replaces (smcp), not the capital (c2sc), which comes last.
PREFERRED = ("liga", "dlig", "hlig", "clig", "smcp", "onum", "lnum", "pnum", "tnum", "calt",
             "ccmp", "locl")
LAST = ("c2sc", "pcap", "c2pc")
_ENTRY = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
# The ligature glyphs a font's character map gives presentation forms ("\ufb00" for ff): text
# is searched and read as its letters.
LIGATURE_FORMS = range(0xFB00, 0xFB07)


def _letters(text: str) -> str:
    if len(text) == 1 and ord(text) in LIGATURE_FORMS:
        return unicodedata.normalize("NFKC", text)
    return text


def complete_to_unicode(pdf: pikepdf.Pdf, whole_fonts: bool = True) -> int:
    """Add the glyphs reached through OpenType features to every Type0 font's ToUnicode map
    whose font program is embedded; returns how many maps changed. Font programs shared by
    several fonts (one per piece) are read once. Subset fonts (`whole_fonts=False`) lack no
    glyph, so their programs are not read (most of a digital rebuild's time otherwise); their
    ligatures are still spelt out."""
    changed = 0
    rewritten: dict[tuple[bytes, bytes], bytes] = {}
    for font in _type0_fonts(pdf):
        program = _program(font)
        if program is None or "/ToUnicode" not in font:
            continue
        old = font.ToUnicode.read_bytes()
        key = (hashlib.sha256(program.read_raw_bytes()).digest(), hashlib.sha256(old).digest())
        if key not in rewritten:
            texts = glyph_texts(program.read_bytes()) if whole_fonts else {}
            rewritten[key] = _merged(old, texts)
        new = rewritten[key]
        if new != old:
            font.ToUnicode = pdf.make_indirect(pikepdf.Stream(pdf, new))
            changed += 1
    return changed


def _type0_fonts(pdf: pikepdf.Pdf):
    for obj in pdf.objects:
        if (isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.Font
                and obj.get("/Subtype") == pikepdf.Name.Type0):
            yield obj


def _program(font: pikepdf.Dictionary) -> pikepdf.Stream | None:
    """The embedded font program, when glyph ids are the character codes (Identity)."""
    if font.get("/Encoding") != pikepdf.Name("/Identity-H"):
        return None
    descendant = font.DescendantFonts[0]
    mapping = descendant.get("/CIDToGIDMap", pikepdf.Name.Identity)
    descriptor = descendant.get("/FontDescriptor")
    if mapping != pikepdf.Name.Identity or descriptor is None:
        return None
    for key in ("/FontFile2", "/FontFile3"):
        if key in descriptor:
            return descriptor[key]
    return None


def _merged(old: bytes, texts: dict[int, str]) -> bytes:
    """The CMap with every glyph of `texts` it lacks added; its own entries are kept (a
    ligature's presentation form spelt out)."""
    present: dict[int, str] = {}
    for block in _BFCHAR.findall(old):
        for code, text in _ENTRY.findall(block):
            present[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
    spelt = {gid: _letters(text) for gid, text in present.items()}
    missing = {gid: text for gid, text in texts.items() if gid not in present}
    if not missing and spelt == present:
        return old
    return _cmap({**spelt, **missing})


def _cmap(mapping: dict[int, str]) -> bytes:
    entries = sorted(mapping.items())
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def",
             b"1 begincodespacerange", b"<0000> <ffff>", b"endcodespacerange"]
    for start in range(0, len(entries), 100):
        batch = entries[start:start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [f"<{gid:04x}> <{text.encode('utf-16-be').hex()}>".encode()
                  for gid, text in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


@functools.lru_cache(maxsize=16)
def glyph_texts(program: bytes) -> dict[int, str]:
    """Every glyph id of the font that stands for some text: from the character map, then
    through single, alternate and ligature substitutions until nothing more is reached."""
    font = TTFont(io.BytesIO(program), lazy=True)
    order = font.getGlyphOrder()
    names: dict[str, str] = {}
    for code, name in sorted(font.getBestCmap().items()):
        names.setdefault(name, _letters(chr(code)))
    if "GSUB" in font:
        lookups = _lookups_in_order(font["GSUB"].table)
        while _substitute(lookups, names):
            pass
    ids = {name: index for index, name in enumerate(order)}
    return {ids[name]: text for name, text in names.items() if name in ids and text}


def _lookups_in_order(gsub) -> list:
    """The GSUB lookups, those of the preferred features first, every one once."""
    if gsub.LookupList is None:
        return []
    records = gsub.FeatureList.FeatureRecord if gsub.FeatureList else []

    def rank(record) -> tuple[int, str]:
        tag = record.FeatureTag
        if tag in PREFERRED:
            return PREFERRED.index(tag), tag
        return (len(PREFERRED) + (tag in LAST)), tag
    indices: list[int] = []
    for record in sorted(records, key=rank):
        indices += [i for i in record.Feature.LookupListIndex if i not in indices]
    indices += [i for i in range(len(gsub.LookupList.Lookup)) if i not in indices]
    return [gsub.LookupList.Lookup[i] for i in indices]


def _substitute(lookups: list, names: dict[str, str]) -> bool:
    """One pass over the lookups; True when a glyph got its text."""
    grew = False

    def give(glyph: str, text: str) -> None:
        nonlocal grew
        if glyph not in names:
            names[glyph] = text
            grew = True
    for lookup in lookups:
        for table in lookup.SubTable:
            kind = lookup.LookupType
            if kind == 7:
                kind, table = table.ExtensionLookupType, table.ExtSubTable
            if kind == 1:
                for source, target in table.mapping.items():
                    if source in names:
                        give(target, names[source])
            elif kind == 3:
                for source, targets in table.alternates.items():
                    for target in targets if source in names else ():
                        give(target, names[source])
            elif kind == 4:
                for first, ligatures in table.ligatures.items():
                    for ligature in ligatures:
                        parts = [first, *ligature.Component]
                        if all(p in names for p in parts):
                            give(ligature.LigGlyph, "".join(names[p] for p in parts))
    return grew
