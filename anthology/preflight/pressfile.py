"""The checks a print service's own preflight makes of a PDF file: page boxes against the
trim, fonts embedded, the page count, the cover wrap's size and its total ink.

Limits are the services' published ones: KDP binds a paperback of 24 to 828 pages (776 on
cream paper), IngramSpark of 18 to 1,200; Lightning Source prints at most 240% total area
coverage; both take a TrimBox, and with bleed a BleedBox around it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf
from PIL import Image

from anthology.preflight.findings import Finding
from anthology.print import geometry
from anthology.print.geometry import BLEED, KDP_CREAM_MAX, POINTS, CoverWrap
from anthology.print.pdf import Profile

PAGE_LIMITS = {Profile(name): limits for name, limits in geometry.PAGE_LIMITS.items()}
TOTAL_INK = 240.0  # per cent, Lightning Source's limit for a cover
TOLERANCE = 0.5  # points
SAMPLE = 256  # images are averaged down to at most this many pixels a side first


def _size(box: object) -> tuple[float, float]:
    x0, y0, x1, y1 = (float(v) for v in box)  # type: ignore[attr-defined]
    return abs(x1 - x0), abs(y1 - y0)


def _near(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return all(abs(x - y) <= TOLERANCE for x, y in zip(a, b, strict=True))


def _inside(inner: object, outer: object) -> bool:
    a = [float(v) for v in inner]  # type: ignore[attr-defined]
    b = [float(v) for v in outer]  # type: ignore[attr-defined]
    return (min(a[0], a[2]) >= min(b[0], b[2]) - TOLERANCE
            and min(a[1], a[3]) >= min(b[1], b[3]) - TOLERANCE
            and max(a[0], a[2]) <= max(b[0], b[2]) + TOLERANCE
            and max(a[1], a[3]) <= max(b[1], b[3]) + TOLERANCE)


def _inches(size: tuple[float, float]) -> str:
    return f"{size[0] / POINTS:.3f} x {size[1] / POINTS:.3f} in"


def page_boxes(pdf: pikepdf.Pdf, trim: tuple[float, float], bleed: bool,
               profile: Profile) -> Finding:
    """Every page is the volume's trim: its TrimBox, and a MediaBox that adds the bleed on the
    outside edge (KDP's rule) when the volume asks for bleed in a press file."""
    want = (trim[0] * POINTS, trim[1] * POINTS)
    bled = bleed and profile.is_print
    edge = BLEED * POINTS
    media_want = (want[0] + edge, want[1] + 2 * edge) if bled else want
    faults = []
    for index, page in enumerate(pdf.pages):
        where = f"page {index + 1}"
        media = tuple(float(v) for v in page.mediabox)
        if not _near(_size(media), media_want):
            faults.append(f"{where}: MediaBox {_inches(_size(media))}, not "
                          f"{_inches(media_want)}")
        if "/TrimBox" not in page.obj:
            faults.append(f"{where}: no TrimBox")
        else:
            box = tuple(float(v) for v in page.obj.TrimBox)
            if not _near(_size(box), want):
                faults.append(f"{where}: TrimBox {_inches(_size(box))}, not {_inches(want)}")
            elif bled:
                left = media[0] + (0 if index % 2 == 0 else edge)  # bleed on the outside
                if not _near((box[0], box[1]), (left, media[1] + edge)):
                    faults.append(f"{where}: the TrimBox is not against the binding edge")
        if bled and ("/BleedBox" not in page.obj
                     or not _near(tuple(float(v) for v in page.obj.BleedBox), media)):
            faults.append(f"{where}: the BleedBox is not the page with its bleed")
        elif "/BleedBox" in page.obj and "/TrimBox" in page.obj and not _inside(
                page.obj.TrimBox, page.obj.BleedBox):
            faults.append(f"{where}: the TrimBox is not inside the BleedBox")
    figure = f"{_inches(want)} on {len(pdf.pages)} pages" + (", bleed" if bled else "")
    if faults:
        figure = f"{len(faults)} faults in {len(pdf.pages)} pages"
    limit = f"{_inches(want)} (volume.toml)" + (" + bleed" if bled else "")
    return Finding.judged("trim and boxes", figure, limit, not faults, float(len(faults)),
                          tuple(faults))


def _fonts(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.Font:
            yield obj


def _embedded(font: pikepdf.Dictionary) -> bool:
    if font.get("/Subtype") == pikepdf.Name.Type3:
        return True  # drawn by the file itself
    if font.get("/Subtype") == pikepdf.Name.Type0:
        return all(_embedded(d) for d in font.get("/DescendantFonts", []))
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(k in descriptor
                                          for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def fonts(pdf: pikepdf.Pdf) -> Finding:
    names = {}
    for font in _fonts(pdf):
        if font.get("/Subtype") not in (pikepdf.Name.CIDFontType0, pikepdf.Name.CIDFontType2):
            name = str(font.get("/BaseFont", "(unnamed)")).lstrip("/")
            names[name] = names.get(name, True) and _embedded(font)
    missing = sorted(n for n, ok in names.items() if not ok)
    figure = (f"{len(names)} fonts, all embedded" if not missing
              else f"{len(missing)} of {len(names)} fonts not embedded")
    return Finding.judged("fonts embedded", figure, "every font", not missing,
                          float(len(missing)), tuple(f"{n} is not embedded" for n in missing))


def page_count(count: int, profile: Profile, paper: str) -> Finding:
    if not profile.is_print:
        return Finding.judged("page count", f"{count} pages", "any (for reading)", True,
                              float(count))
    low, high = PAGE_LIMITS[profile]
    if profile is Profile.kdp and paper == "cream":
        high = KDP_CREAM_MAX
    faults = []
    if count % 2:
        faults.append(f"{count} pages: a printer binds an even count")
    if not low <= count <= high:
        faults.append(f"{count} pages: {profile.value} binds {low} to {high}")
    return Finding.judged("page count", f"{count} pages" + (", odd" if count % 2 else ", even"),
                          f"even, {low}\u2013{high} ({profile.value})", not faults,
                          float(count), tuple(faults))


def wrap_size(pdf: pikepdf.Pdf, trim: tuple[float, float], pages: int) -> Finding:
    """The wrap's spine is the interior's: a cover made for another page count is wrong. Its
    TrimBox is the cover once trimmed, its bleed all round."""
    page = pdf.pages[0]
    size = _size(page.mediabox)
    wraps = [CoverWrap(trim, pages, paper) for paper in ("white", "cream")]  # type: ignore
    fitting = [w for w in wraps if _near(size, (w.size[0] * POINTS, w.size[1] * POINTS))]
    faults = [] if fitting else [f"the wrap is {_inches(size)}: made for another page count "
                                 "or trim"]
    if fitting:
        trimmed = tuple(v * POINTS for v in fitting[0].trimmed)
        if "/TrimBox" not in page.obj:
            faults.append("the wrap has no TrimBox")
        elif not _near(_size(page.obj.TrimBox), trimmed):  # type: ignore[arg-type]
            faults.append(f"its TrimBox is {_inches(_size(page.obj.TrimBox))}, not "
                          f"{_inches(trimmed)}")  # type: ignore[arg-type]
    width, height = wraps[0].size
    return Finding.judged("cover wrap size", _inches(size),
                          f"{width:.3f} (cream {wraps[1].size[0]:.3f}) x {height:.3f} in, "
                          f"{pages} pages", not faults, round(size[0] / POINTS, 3),
                          tuple(faults))


# ---- ink --------------------------------------------------------------------------------

def _colour_ink(space: str, values: list[float]) -> float | None:
    """Total ink of one colour, in per cent; RGB as the build converts it (PIL's CMYK)."""
    if space == "cmyk" and len(values) == 4:
        return 100 * sum(values)
    if space == "rgb" and len(values) == 3:
        return 100 * sum(1 - v for v in values)
    if space == "gray" and len(values) == 1:
        return 100 * (1 - values[0])
    return None


_SPACES = {"/DeviceCMYK": "cmyk", "/DeviceRGB": "rgb", "/DeviceGray": "gray"}
_SETTERS = {"k": "cmyk", "K": "cmyk", "rg": "rgb", "RG": "rgb", "g": "gray", "G": "gray"}


def _image_ink(image: pikepdf.PdfImage) -> float | None:
    pil = image.as_pil_image()
    if pil.mode not in ("CMYK", "RGB", "L"):
        pil = pil.convert("RGB")
    if pil.mode == "RGB":
        pil = pil.convert("CMYK")  # as the build makes an Ingram cover's images
    pil.thumbnail((SAMPLE, SAMPLE), Image.Resampling.BOX)
    pixels = getattr(pil, "get_flattened_data", pil.getdata)()
    if pil.mode == "L":
        return 100 * (255 - min(pixels)) / 255
    return 100 * max(sum(p) for p in pixels) / 255


def _stream_inks(owner: pikepdf.Object, seen: set[tuple[int, int]]) -> Iterator[float]:
    spaces = {"fill": "", "stroke": ""}
    resources = owner.get("/Resources", pikepdf.Dictionary())
    xobjects = resources.get("/XObject", pikepdf.Dictionary())
    for operands, operator in pikepdf.parse_content_stream(owner):
        op = str(operator)
        if op in ("cs", "CS"):
            spaces["fill" if op == "cs" else "stroke"] = _SPACES.get(str(operands[0]), "")
        elif op in _SETTERS or op in ("sc", "scn", "SC", "SCN"):
            space = _SETTERS.get(op) or spaces["fill" if op.islower() else "stroke"]
            try:
                values = [float(v) for v in operands]
            except (TypeError, ValueError):
                continue  # a pattern's name
            ink = _colour_ink(space, values)
            if ink is not None:
                yield ink
        elif op == "Do" and str(operands[0]) in xobjects:
            xobject = xobjects[str(operands[0])]
            mark = xobject.objgen
            if mark in seen:
                continue
            seen.add(mark)
            if xobject.get("/Subtype") == pikepdf.Name.Image:
                try:
                    ink = _image_ink(pikepdf.PdfImage(xobject))
                except (pikepdf.PdfError, NotImplementedError, OSError, ValueError):
                    continue
                if ink is not None:
                    yield ink
            elif xobject.get("/Subtype") == pikepdf.Name.Form:
                yield from _stream_inks(xobject, seen)


def total_ink(pdf: pikepdf.Pdf) -> Finding:
    """The most ink any colour or image pixel of the cover puts down, C+M+Y+K in per cent."""
    inks = [ink for page in pdf.pages for ink in _stream_inks(page.obj, set())]
    most = max(inks, default=0.0)
    return Finding.judged("cover ink", f"{most:.0f}% at most", f"\u2264 {TOTAL_INK:.0f}% total",
                          most <= TOTAL_INK, round(most, 1))

