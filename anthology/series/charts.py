"""The Numbers drawn: inline SVG charts, each in a figure with its caption and its data table.

A small SVG writer of our own rather than matplotlib, because what the book needs from a chart
is what matplotlib makes hard and what five simple forms (bars and a scatter) make easy:
- ink that follows the reader: every mark is `currentColor`, so a reading system's night mode
  (light text on dark) recolours the chart with the text; matplotlib writes fixed hex colours
  into style attributes that would have to be rewritten afterwards;
- accessibility: `role="img"`, a `<title>` and `<desc>` referenced by `aria-labelledby` and
  `aria-describedby`, and the visible table as the long description (`aria-details`), written
  where they belong instead of patched into another library's output;
- text as text, in the book's font: labels are `<text>` with a `font-family` attribute that the
  EPUB's stylesheet overrides with the reader's font (WeasyPrint, which reads no document CSS
  inside an inline SVG, uses the attribute);
- determinism by construction: no dates, no random ids (ids come from the chart's name), every
  coordinate formatted to two decimals, so two builds give the same bytes;
- no dependency: matplotlib with numpy, Pillow, fonttools and kiwisolver is tens of MB to draw
  rectangles.
No opacity is used, so the print edition (a PDF/X-1a file for one press) has no transparency:
bars are solid ink, dots are rings, grid lines are dotted. The EPUB stylesheet may soften them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from anthology.series.book import Appendix, Chapter
from anthology.series.numbers import Bar, GenreMean, Numbers, Point, count_numbers
from anthology.workspace.people import PeopleIndex
from anthology.workspace.volume_source import VolumeSource

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH = 480  # user units; on a 6 x 9 in page, 16 of them are about 10 pt
FONT = "EB Garamond, Georgia, serif"
FONT_SIZE = 16
SMALL = 14
INK = "currentColor"
CHAR = 0.5  # an average glyph's width, in ems, to size label columns (text is not measured)
LABELS = 0.6  # the most of a bar chart's width its labels take; longer ones end in "…"


def _n(value: float | Decimal | int) -> str:
    """A coordinate, always the same text for the same number."""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def element(name: str, attrs: dict[str, object], content: str = "") -> str:
    """One element, attributes in the order given; numbers formatted by `_n`."""
    parts = [name]
    for key, value in attrs.items():
        text = _n(value) if isinstance(value, float | Decimal) else str(value)
        parts.append(f'{key}="{_e(text)}"')
    head = " ".join(parts)
    return f"<{head}>{content}</{name}>" if content else f"<{head}/>"


def text(x: float, y: float, label: object, anchor: str = "middle", size: int = FONT_SIZE,
         **extra: object) -> str:
    attrs: dict[str, object] = {"x": float(x), "y": float(y), "font-size": size,
                                "text-anchor": anchor, **extra}
    return element("text", attrs, _e(label))


def line(x1: float, y1: float, x2: float, y2: float, cls: str, width: float = 1,
         dotted: bool = False) -> str:
    attrs: dict[str, object] = {"class": cls, "x1": float(x1), "y1": float(y1), "x2": float(x2),
                                "y2": float(y2), "stroke": INK, "stroke-width": float(width)}
    if dotted:
        attrs["stroke-dasharray"] = "1 3"
    return element("line", attrs)


@dataclass(frozen=True)
class Chart:
    """What every chart says about itself, besides its marks."""

    id: str
    title: str  # the SVG's accessible name
    desc: str  # its short description: what it shows and what stands out
    height: int

    def svg(self, marks: Sequence[str]) -> str:
        head = (element("title", {"id": f"{self.id}-title"}, _e(self.title))
                + element("desc", {"id": f"{self.id}-desc"}, _e(self.desc)))
        return element("svg", {
            "xmlns": SVG_NS, "class": "chart-svg", "viewBox": f"0 0 {WIDTH} {self.height}",
            "role": "img", "aria-labelledby": f"{self.id}-title",
            "aria-describedby": f"{self.id}-desc", "aria-details": f"{self.id}-table",
            "font-family": FONT, "fill": INK}, head + "".join(marks))


def _nice_top(value: float) -> tuple[int, int]:
    """An axis top at or above `value` and a tick step giving at most about six ticks."""
    top = max(int(value), 1)
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if top / step <= 6:
            return -(-top // step) * step, step
    step = 10 ** len(str(top // 6))
    return -(-top // step) * step, step


def column_chart(chart_id: str, title: str, desc: str, bars: Sequence[Bar]) -> str:
    """Vertical bars over categories (scores, decades), each with its count above it."""
    slot = (WIDTH - 60) / len(bars)
    longest = max(len(b.label) for b in bars) * CHAR * SMALL
    turn = longest > slot * 0.92  # labels too wide to sit side by side are turned
    bottom = 24 + (longest * 0.72 if turn else 0)
    height = round(240 + bottom)
    chart = Chart(chart_id, title, desc, height)
    base, top_y = height - bottom, 30
    top, step = _nice_top(max(b.count for b in bars))
    scale = (base - top_y) / top
    marks = []
    for tick in range(0, top + 1, step):
        y = base - tick * scale
        marks.append(line(48, y, WIDTH, y, "chart-grid", 0.6, dotted=tick > 0))
        marks.append(text(42, y + 4, tick, "end", SMALL, **{"class": "chart-tick"}))
    marks.append(text(4, 14, "Reviews", "start", SMALL, **{"class": "chart-axis-title"}))
    for index, bar in enumerate(bars):
        x = 60 + index * slot
        middle = x + slot / 2
        if bar.count:
            h = bar.count * scale
            marks.append(element("rect", {"class": "chart-bar", "x": x + slot * 0.15,
                                          "y": base - h, "width": slot * 0.7, "height": h}))
            marks.append(text(middle, base - h - 6, bar.count, size=SMALL,
                              **{"class": "chart-value"}))
        if turn:
            marks.append(text(middle + 4, base + 14, bar.label, "end", SMALL, **{
                "class": "chart-label", "transform": f"rotate(-45 {_n(middle + 4)} "
                                                     f"{_n(base + 14)})"}))
        else:
            marks.append(text(middle, base + 18, bar.label, size=SMALL,
                              **{"class": "chart-label"}))
    return chart.svg(marks)


def bar_chart(chart_id: str, title: str, desc: str, rows: Sequence[tuple[str, float, str]],
              axis_top: float | None = None) -> str:
    """Horizontal bars for named things (people, genres): (label, value, value as printed)."""
    fits = int((WIDTH * LABELS - 12) / (CHAR * FONT_SIZE))  # characters a label column holds
    label_width = min(max(len(r[0]) for r in rows), fits) * CHAR * FONT_SIZE + 12
    row = 26
    height = 20 + row * len(rows) + 8
    chart = Chart(chart_id, title, desc, height)
    left, right = label_width, WIDTH - 44
    top = axis_top or max(r[1] for r in rows) or 1
    marks = [line(left, 12, left, height - 8, "chart-axis", 1)]
    for index, (label, value, shown) in enumerate(rows):
        y = 20 + index * row
        w = (right - left) * value / top
        short = label if len(label) <= fits else label[:fits - 1].rstrip() + "\u2026"
        marks.append(text(left - 8, y + 13, short, "end", **{"class": "chart-label"}))
        marks.append(element("rect", {"class": "chart-bar", "x": float(left), "y": float(y),
                                      "width": float(w), "height": 18.0}))
        marks.append(text(left + w + 6, y + 14, shown, "start", SMALL,
                          **{"class": "chart-value"}))
    return chart.svg(marks)


def scatter_chart(chart_id: str, title: str, desc: str, points: Sequence[Point]) -> str:
    """Running time (across) against score out of 10 (up): one ring per review."""
    height = 300
    chart = Chart(chart_id, title, desc, height)
    left, right, top_y, base = 52, WIDTH - 16, 16, height - 48
    low = min(p.minutes for p in points) // 30 * 30
    high = max(-(-max(p.minutes for p in points) // 30) * 30, low + 30)
    step = 30 if (high - low) <= 180 else 60
    marks = []
    for score in range(0, 11, 2):
        y = base - (base - top_y) * score / 10
        marks.append(line(left, y, right, y, "chart-grid", 0.6, dotted=score > 0))
        marks.append(text(left - 8, y + 4, score, "end", SMALL, **{"class": "chart-tick"}))
    for minutes in range(low, high + 1, step):
        x = left + (right - left) * (minutes - low) / (high - low)
        marks.append(line(x, base, x, base + 5, "chart-axis", 1))
        marks.append(text(x, base + 20, minutes, size=SMALL, **{"class": "chart-tick"}))
    marks.append(text((left + right) / 2, height - 8, "Running time (minutes)", size=SMALL,
                      **{"class": "chart-axis-title"}))
    marks.append(text(14, (top_y + base) / 2, "Score out of 10", size=SMALL, **{
        "class": "chart-axis-title", "transform": f"rotate(-90 14 {_n((top_y + base) / 2)})"}))
    seen: dict[tuple[int, Decimal], int] = {}
    for point in points:
        # Reviews at the same place are set side by side, so each ring is seen.
        twin = seen[(point.minutes, point.score)] = seen.get((point.minutes, point.score), -1) + 1
        x = left + (right - left) * (point.minutes - low) / (high - low) + 6 * twin
        y = base - (base - top_y) * float(point.score) / 10
        marks.append(element("circle", {"class": "chart-dot", "cx": float(x), "cy": float(y),
                                        "r": 4.5, "fill": "none", "stroke": INK,
                                        "stroke-width": 1.5}))
    return chart.svg(marks)


def table(table_id: str, caption: str, head: Sequence[str],
          rows: Sequence[Sequence[object]]) -> str:
    """The chart's data, visible: the first column names the row, the rest are numbers."""
    cells = "".join(element("th", {"scope": "col"}, _e(h)) for h in head)
    body = "".join(
        "<tr>" + element("th", {"scope": "row"}, _e(r[0]))
        + "".join(element("td", {"class": "number"}, _e(v)) for v in r[1:]) + "</tr>"
        for r in rows)
    # In a block of its own, which print keeps whole: a caption is not kept with its table.
    return (f'<div class="chart-data-block"><table class="chart-data" id="{_e(table_id)}">'
            f"<caption>{_e(caption)}</caption>"
            f"<thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table></div>")


def figure(chart_id: str, heading: str, svg: str, caption: str, data: str) -> str:
    """A chart's section: heading, the figure (the SVG and its caption), the data table."""
    return (f'<section class="numbers-chart" id="{chart_id}" '
            f'aria-labelledby="{chart_id}-heading">'
            f'<h2 id="{chart_id}-heading">{_e(heading)}</h2>'
            f'<figure class="chart" id="{chart_id}-figure">{svg}'
            f'<figcaption id="{chart_id}-caption">{_e(caption)}</figcaption></figure>'
            f"{data}</section>")


def _reviews(count: int) -> str:
    return f"{count} review" if count == 1 else f"{count} reviews"


def _most(bars: Sequence[Bar]) -> Bar:
    return max(bars, key=lambda b: b.count)  # the first of equals: the lowest score, decade


def scores_section(prefix: str, numbers: Numbers) -> str | None:
    bars = numbers.scores
    if not bars:
        return None
    chart_id = f"{prefix}--scores"
    given = sum(b.count for b in bars)
    top = _most(bars)
    desc = (f"A bar chart of the {_reviews(given)} with a judgement, by score from "
            f"{bars[0].label} to {bars[-1].label}. The most common score is {top.label}, "
            f"given {top.count} times. Every figure is in the table that follows.")
    caption = f"Reviews by score: {_reviews(given)} with a judgement"
    caption += f"; {numbers.unscored} without one." if numbers.unscored else "."
    svg = column_chart(chart_id, "Reviews by score", desc, bars)
    data = table(f"{chart_id}-table", "Reviews by score, in figures", ("Score", "Reviews"),
                 [(b.label, b.count) for b in bars])
    return figure(chart_id, "The scores", svg, caption, data)


def decades_section(prefix: str, numbers: Numbers) -> str | None:
    bars = numbers.decades
    if not bars:
        return None
    chart_id = f"{prefix}--decades"
    dated = sum(b.count for b in bars)
    top = _most(bars)
    desc = (f"A bar chart of the {_reviews(dated)} with a year of release, by decade from the "
            f"{bars[0].label} to the {bars[-1].label}. The {top.label} have the most, "
            f"{top.count}. Every figure is in the table that follows.")
    caption = f"Reviews by decade of release: {_reviews(dated)}"
    caption += f"; {numbers.undated} without a year." if numbers.undated else "."
    svg = column_chart(chart_id, "Reviews by decade of release", desc, bars)
    data = table(f"{chart_id}-table", "Reviews by decade, in figures", ("Decade", "Reviews"),
                 [(b.label, b.count) for b in bars])
    return figure(chart_id, "The decades", svg, caption, data)


def people_section(prefix: str, name: str, who: str, bars: Sequence[Bar]) -> str | None:
    if not bars:
        return None
    chart_id = f"{prefix}--{name}"
    title = f"The most-reviewed {who}"
    desc = (f"A bar chart of the {who} named in the most reviews, {len(bars)} of them, from "
            f"{bars[0].label} with {_reviews(bars[0].count)} down to {bars[-1].label} with "
            f"{bars[-1].count}. Every figure is in the table that follows.")
    caption = (f"{title.capitalize()}: those named in at least two reviews, at most ten "
               "(equal counts in alphabetical order).")
    svg = bar_chart(chart_id, title, desc, [(b.label, b.count, str(b.count)) for b in bars])
    data = table(f"{chart_id}-table", f"{title.capitalize()}, in figures",
                 (who[:-1].capitalize(), "Reviews"), [(b.label, b.count) for b in bars])
    return figure(chart_id, title.capitalize().replace("The most-reviewed", "The"), svg,
                  caption, data)


def genres_section(prefix: str, numbers: Numbers) -> str | None:
    genres: Sequence[GenreMean] = numbers.genres
    if not genres:
        return None
    chart_id = f"{prefix}--genres"
    best, worst = genres[0], genres[-1]
    desc = (f"A bar chart of the mean score out of 10 of {len(genres)} genres, highest first: "
            f"{best.genre} at {best.mean} to {worst.genre} at {worst.mean}. The number of "
            "reviews of each is in the table that follows.")
    caption = "Mean score by genre, out of 10: a review of two genres counts in both"
    caption += (f"; {_reviews(numbers.genres_missing)} with a judgement but no genre."
                if numbers.genres_missing else ".")
    svg = bar_chart(chart_id, "Mean score by genre", desc,
                    [(g.genre, float(g.mean), str(g.mean)) for g in genres], axis_top=10)
    data = table(f"{chart_id}-table", "Mean score by genre, in figures",
                 ("Genre", "Reviews", "Mean score"), [(g.genre, g.reviews, g.mean)
                                                      for g in genres])
    return figure(chart_id, "The genres", svg, caption, data)


def running_section(prefix: str, numbers: Numbers) -> str | None:
    points, bands = numbers.points, numbers.bands
    if not points:
        return None
    chart_id = f"{prefix}--running-time"
    shortest = min(points, key=lambda p: p.minutes)
    longest = max(points, key=lambda p: p.minutes)
    desc = (f"A scatter plot of {_reviews(len(points))}, each a ring placed by running time "
            f"and score out of 10, from {shortest.title} at {shortest.minutes} minutes to "
            f"{longest.title} at {longest.minutes}. The table that follows gives the number "
            "of reviews and their scores in bands of ten minutes.")
    caption = "Running time against score"
    caption += (f": {_reviews(numbers.points_missing)} with a judgement but no running time "
                "are not shown." if numbers.points_missing else ".")
    svg = scatter_chart(chart_id, "Running time against score", desc, points)
    data = table(f"{chart_id}-table", "Running time against score, in bands of ten minutes",
                 ("Minutes", "Reviews", "Mean score", "Lowest", "Highest"),
                 [(b.label, b.reviews, b.mean, b.lowest, b.highest) for b in bands])
    return figure(chart_id, "Running time and score", svg, caption, data)



def numbers_xhtml(numbers: Numbers, prefix: str = "numbers") -> str:
    """The body of The Numbers: an opening line, then each chart that has data to show, and a
    sentence for each that has none (so nothing vanishes unexplained). Its ids are `prefix`
    (the appendix's id), "--" and a name, as ids inside any part of the book are."""
    sections = {
        "scores": scores_section(prefix, numbers),
        "decades": decades_section(prefix, numbers),
        "directors": people_section(prefix, "directors", "directors", numbers.directors),
        "actors": people_section(prefix, "actors", "actors", numbers.actors),
        "genres": genres_section(prefix, numbers),
        "running": running_section(prefix, numbers),
    }
    absent = {"scores": "No review has a judgement, so there is no chart of scores.",
              "decades": "No review has a year of release, so there is no chart of decades.",
              "directors": "No director is named in more than one review.",
              "actors": "No actor is named in more than one review.",
              "genres": "No review with a judgement names its genre.",
              "running": "No review with a judgement gives a running time."}
    opening = (f'<p class="numbers-intro">The figures of the {_reviews(numbers.reviews)} in '
               "this book, drawn from their judgements and fact boxes.</p>")
    notes = [f'<p class="numbers-note">{_e(absent[k])}</p>' for k, v in sections.items()
             if v is None]
    return opening + "".join(notes) + "".join(v for v in sections.values() if v)


NUMBERS_ID = "numbers"
NUMBERS_TITLE = "The Numbers"


def numbers_appendix(source: VolumeSource, chapters: Sequence[Chapter],
                     people: PeopleIndex | None = None) -> Appendix | None:
    """The Numbers as back matter of a volume whose volume.toml asks for it (`numbers =
    true`), drawn from its chapters in book order; `people` (people.toml) joins spellings."""
    if not source.numbers or not chapters:
        return None
    return Appendix("numbers", NUMBERS_ID, NUMBERS_TITLE,
                    numbers_xhtml(count_numbers(chapters, people), NUMBERS_ID))
