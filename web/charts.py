"""Geometry of the report's charts, as plain data; templates/reports/_charts.html draws it as inline SVG.

Everything here is arithmetic on the stored assessment: no HTML, no Flask.
Colours are set as SVG attributes rather than CSS so the charts look the
same in the browser, on paper and in WeasyPrint's PDF.
"""
from __future__ import annotations

import base64
import math
from dataclasses import dataclass

from .owners import owner_kind, owner_label

__all__ = ["Rect", "Text", "Line", "Pattern", "Chart", "Label", "score_chart", "hours_chart", "stack_chart",
           "svg_data_uri", "PALETTE"]

# The team blue, AWS amber and an internal party's lilac; every cell and band also says its owner in words.
PALETTE = {
    "team": "#cfe0f5", "team_edge": "#1f5fa8", "aws": "#ffe2ad", "aws_edge": "#9a5b00",
    "party": "#e6d8f5", "party_edge": "#5b3a8c", "other": "#e3e6ea", "other_edge": "#5f6770",
    "bar": "#1f5fa8", "ruled_out": "#9aa3ad", "over": "#b42318", "ink": "#1b1f24", "grid": "#d0d5db",
}
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
# The width of the PDF's text column (A4 less 12 mm margins each side) in points; static/css/print.css sets it.
PRINT_WIDTH_PT = (210 - 2 * 12) / 25.4 * 72
# DejaVu Sans's ascent and the height of its line (ascent and descent), in em.
_ASCENT_EM, _LINE_EM = 0.928, 1.164


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    stroke: str = "none"


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"
    size: float = 12
    weight: str = "normal"
    fill: str = PALETTE["ink"]


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = PALETTE["grid"]
    width: float = 1
    dash: str = ""


@dataclass(frozen=True)
class Pattern:
    """Diagonal stripes of two colours, for a layer two owners share."""

    id: str
    first: str
    second: str


@dataclass(frozen=True)
class Label:
    """A chart's text as a line of HTML over the drawing: its place in percent of the chart, its size in points."""

    text: str
    style: str
    bold: bool


@dataclass(frozen=True)
class Chart:
    """One SVG: its id (for aria-labelledby), accessible title and description, size and shapes.

    print_share is the part of the PDF's text column the chart is printed across.
    """

    id: str
    title: str
    desc: str
    width: float
    height: float
    rects: tuple[Rect, ...]
    texts: tuple[Text, ...]
    lines: tuple[Line, ...]
    striped: tuple[Rect, ...] = ()  # shared layers, filled with one of the patterns
    patterns: tuple[Pattern, ...] = ()
    print_share: float = 1.0

    @property
    def font(self) -> str:
        return FONT

    def labels(self) -> tuple[Label, ...]:
        """The texts as lines of HTML placed over the drawing as the PDF prints it.

        WeasyPrint lays SVG text out letter by letter and a line of HTML at once, and a column of texts evenly
        spaced (the layer names of a stack, say) is one block of lines: the PDF draws the shapes as an image and
        sets the texts over it as HTML.
        """
        return tuple(self._label(column) for column in _columns(self.texts))

    def _label(self, column: tuple[Text, ...]) -> Label:
        first = column[0]
        pitch = column[1].y - first.y if len(column) > 1 else first.size
        half_leading = (pitch - _LINE_EM * first.size) / 2
        top = 100 * (first.y - half_leading - _ASCENT_EM * first.size) / self.height
        unit_pt = PRINT_WIDTH_PT * self.print_share / self.width
        left, right = _span(first.anchor, 100 * first.x / self.width,
                            100 * max(_text_width(t.text, t.size, _EM_BOLD) for t in column) / self.width)
        across = f"left:{_pct(left)}%;right:{_pct(100 - right)}%;text-align:{_ALIGN[first.anchor]}"
        font = f"font-size:{_pct(first.size * unit_pt)}pt;line-height:{_pct(pitch * unit_pt)}pt;color:{first.fill}"
        return Label("\n".join(t.text for t in column), f"{across};top:{_pct(top)}%;{font}", first.weight == "bold")


_ALIGN = {"start": "left", "middle": "center", "end": "right"}


def _span(anchor: str, x: float, room: float) -> tuple[float, float]:
    """Left and right edge, in percent, of a box that holds a label of at most room anchored at x.

    Sizing the box, rather than letting it shrink to its text, spares WeasyPrint measuring the text twice.
    """
    if anchor == "end":
        return 0, x
    if anchor == "middle":
        return x - room, x + room
    return x, 100


def _columns(texts: tuple[Text, ...]) -> list[tuple[Text, ...]]:
    """The texts in runs that share a place across and a style, each run evenly spaced down the chart."""
    runs: list[list[Text]] = []
    latest: dict[tuple, list[Text]] = {}
    for t in texts:
        key = (t.x, t.anchor, t.size, t.weight, t.fill)
        run = latest.get(key)
        if run is None or not _continues(run, t):
            run = latest[key] = []
            runs.append(run)
        run.append(t)
    return [tuple(run) for run in runs]


def _continues(run: list[Text], t: Text) -> bool:
    if t.y <= run[-1].y:
        return False
    return len(run) < 2 or math.isclose(t.y - run[-1].y, run[1].y - run[0].y)


def _pct(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _num(value: float) -> str:
    return f"{value:g}"


def _nice_top(value: float) -> tuple[float, float]:
    """A round axis end at or above value, and its tick step (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0, 0.25
    magnitude = 10 ** math.floor(math.log10(value / 4))
    step = next(m * magnitude for m in (1, 2, 5, 10) if value / (m * magnitude) <= 5)
    return math.ceil(value / step - 1e-9) * step, step


# Service names end at label_w (at least _LABEL_W, more for long names), bars run _SPAN from 8 beyond it, and
# _VALUE_ROOM after the bars leaves room for the value after the longest bar ("97.9 (ruled out)", "86 h (56 over)").
_LABEL_W, _SPAN, _VALUE_ROOM, _ROW, _BAR = 236, 316, 160, 30, 16


def _bar_geometry(ranking: list[dict]) -> tuple[float, float, float, float]:
    """label_w, left and right end of the bars, and the chart's width, for these services' names."""
    longest = max((len(f"{e['rank']}. {e['name']}") for e in ranking), default=0)
    label_w = max(_LABEL_W, math.ceil(0.62 * 12 * longest))
    left = label_w + 8
    return label_w, left, left + _SPAN, left + _SPAN + _VALUE_ROOM


def score_chart(ranking: list[dict]) -> Chart:
    """Scores from 0 to 100 as horizontal bars; a ruled-out service gets no bar, only the words "ruled out"."""
    top = 8
    rects, texts, lines = [], [], []
    label_w, left, right, chart_w = _bar_geometry(ranking)
    span = right - left
    for i, entry in enumerate(ranking):
        y = top + i * _ROW
        texts.append(Text(label_w, y + 13, f"{entry['rank']}. {entry['name']}", anchor="end"))
        if not entry["eligible"]:
            texts.append(Text(left + 6, y + 13, "ruled out by a hard limit", size=11))
            continue
        width = span * max(0.0, min(entry["score"], 100.0)) / 100
        rects.append(Rect(left, y + 1, width, _BAR, PALETTE["bar"]))
        texts.append(Text(left + width + 6, y + 13, f"{entry['score']:.1f}", weight="bold"))
    bottom = top + len(ranking) * _ROW
    for tick in range(0, 101, 25):
        x = left + span * tick / 100
        lines.append(Line(x, top - 4, x, bottom))
        texts.append(Text(x, bottom + 14, str(tick), anchor="middle", size=11))
    summary = "; ".join(f"{e['name']} {e['score']:.1f}" if e["eligible"] else f"{e['name']} ruled out" for e in ranking)
    return Chart("chart-score", "Score out of 100 for each service", summary, chart_w, bottom + 22,
                 tuple(rects), tuple(texts), tuple(lines))


def hours_chart(ranking: list[dict], capacity: float, chart_id: str = "chart-hours") -> Chart:
    """Each service's team-owned hours a month as a bar, with the team's stated hours as a dashed line."""
    top = 24
    biggest = max([capacity] + [e["burden_hours_per_month"] for e in ranking])
    axis_end, step = _nice_top(biggest * 1.05)
    label_w, left, right, chart_w = _bar_geometry(ranking)
    span = right - left

    def x_of(hours: float) -> float:
        return left + span * hours / axis_end

    rects, texts, lines = [], [], []
    for i, entry in enumerate(ranking):
        y = top + i * _ROW
        burden = entry["burden_hours_per_month"]
        texts.append(Text(label_w, y + 13, f"{entry['rank']}. {entry['name']}", anchor="end"))
        within = min(burden, capacity)
        rects.append(Rect(left, y + 1, x_of(within) - left, _BAR, PALETTE["bar"]))
        if burden > capacity:
            rects.append(Rect(x_of(capacity), y + 1, x_of(burden) - x_of(capacity), _BAR, PALETTE["over"]))
            label = f"{_num(burden)} h ({_num(round(burden - capacity, 2))} over)"
        else:
            label = f"{_num(burden)} h"
        texts.append(Text(x_of(burden) + 6, y + 13, label, weight="bold"))
    bottom = top + len(ranking) * _ROW
    tick = 0.0
    while tick <= axis_end + 1e-9:
        lines.append(Line(x_of(tick), top - 4, x_of(tick), bottom))
        texts.append(Text(x_of(tick), bottom + 14, _num(round(tick, 6)), anchor="middle", size=11))
        tick += step
    cap_x = x_of(capacity)
    lines.append(Line(cap_x, top - 8, cap_x, bottom + 2, stroke=PALETTE["ink"], width=2, dash="5 3"))
    texts.append(Text(min(max(cap_x, left + 70), chart_w - 70), 12, f"the team has {_num(capacity)} h", anchor="middle",
                      size=11, weight="bold"))
    summary = "; ".join(f"{e['name']} {_num(e['burden_hours_per_month'])} hours" for e in ranking)
    return Chart(chart_id, f"Team-owned hours a month against the {_num(capacity)} hours the team has",
                 summary + f"; the team has {_num(capacity)} hours.", chart_w, bottom + 22,
                 tuple(rects), tuple(texts), tuple(lines))


# 330 units wide, printed two to a row (48% of the column, about 89 mm each), so 10.5-unit labels print at about 8.1 pt.
_STACK_W, _STACK_ROW, _STACK_TOP, _STACK_TEXT, _STACK_SHARE = 330, 19, 8, 10.5, 0.48
_TEAM_KINDS = ("customer", "shared")
_FILLS = {"customer": "team", "aws": "aws", "party": "party", "other": "other", "none": "other"}
_EDGES = {"customer": "team_edge", "shared": "team_edge", "aws": "aws_edge", "party": "party_edge",
          "party-shared": "party_edge", "other": "other_edge", "none": "other_edge"}


# Average character widths in em, a little above DejaVu Sans's (the widest of the fonts the charts ask for).
_EM, _EM_BOLD = 0.56, 0.64


def _text_width(text: str, size: float, em: float = _EM) -> float:
    """An estimate of a label's width, on the generous side, so labels never run into each other."""
    return em * size * len(text)


def _fit(label: str, suffix: str, room: float, size: float) -> str:
    """label + suffix in bold, the label cut short with an ellipsis when the whole would not fit in room."""
    if _text_width(label + suffix, size, _EM_BOLD) <= room:
        return label + suffix
    keep = max(1, int(room / (_EM_BOLD * size)) - len(suffix) - 1)
    return label[:keep].rstrip() + "…" + suffix


def _group(kind: str) -> str:
    return "team" if kind in _TEAM_KINDS else "aws" if kind == "aws" else "other"


def stack_chart(service: dict, layers: list[dict], column: dict[str, dict], team_hours: dict[str, float],
                party_hours: dict[str, float] | None = None, names: dict[str, str] | None = None) -> Chart:
    """One service's stack, top layer first, in the same rows for every service so stacks compare side by side.

    A heavy line marks each place where the team's layers give way to AWS's (or an internal party's), and a
    dashed one where an internal party's give way to AWS's. ``layers`` are in stack order (bottom first),
    ``column`` is the matrix column of the service (layer id → {owner, ...}), ``team_hours`` the team's hours
    per layer it owns or shares and ``party_hours`` those an organisation overlay's party took over; ``names``
    maps party ids to names.
    """
    party_hours, names = party_hours or {}, names or {}
    kinds = {l["id"]: owner_kind(column[l["id"]]) for l in layers}
    ordered = sorted(layers, key=lambda l: -l["position"])
    chart_id = f"stack-{service['id']}"
    patterns = {"shared": Pattern(f"{chart_id}-shared", PALETTE["team"], PALETTE["aws"]),
                "party-shared": Pattern(f"{chart_id}-party-shared", PALETTE["party"], PALETTE["aws"])}
    rects, striped, texts, lines = [], [], [], []
    x, width = 4, _STACK_W - 8
    for i, layer in enumerate(ordered):
        y = _STACK_TOP + i * _STACK_ROW
        kind = kinds[layer["id"]]
        edge = PALETTE[_EDGES[kind]]
        if kind in patterns:
            striped.append(Rect(x, y, width, _STACK_ROW - 2, f"url(#{patterns[kind].id})", edge))
        else:
            rects.append(Rect(x, y, width, _STACK_ROW - 2, PALETTE[_FILLS[kind]], edge))
        name_left = x + 6
        texts.append(Text(name_left, y + 12.5, layer["name"], size=_STACK_TEXT))
        hours = (team_hours if kind in _TEAM_KINDS else party_hours).get(layer["id"]) if kind != "aws" else None
        suffix = f" · {_num(hours)} h" if hours else ""
        room = (x + width - 6) - (name_left + _text_width(layer["name"], _STACK_TEXT) + 10)
        texts.append(Text(x + width - 6, y + 12.5, _fit(owner_label(column[layer["id"]], names), suffix, room,
                                                         _STACK_TEXT), anchor="end", size=_STACK_TEXT, weight="bold"))
        if i:
            above, here = _group(kinds[ordered[i - 1]["id"]]), _group(kind)
            line_y = y - 1
            if above == "team" and here != "team":
                lines.append(Line(0, line_y, _STACK_W, line_y, stroke=PALETTE["ink"], width=3))
            elif above == "other" and here == "aws":
                lines.append(Line(0, line_y, _STACK_W, line_y, stroke=PALETTE["ink"], width=2, dash="6 3"))
    bottom = _STACK_TOP + len(ordered) * _STACK_ROW
    used = tuple(p for kind, p in patterns.items() if kind in kinds.values())
    return Chart(chart_id, f"Who owns each layer on {service['name']}", _stack_desc(ordered, column, kinds, names),
                 _STACK_W, bottom + 4, tuple(rects), tuple(texts), tuple(lines), tuple(striped), used, _STACK_SHARE)


def _stack_desc(ordered: list[dict], column: dict[str, dict], kinds: dict[str, str], names: dict[str, str]) -> str:
    team = [l["name"] for l in ordered if kinds[l["id"]] in _TEAM_KINDS]
    aws = [l["name"] for l in ordered if kinds[l["id"]] == "aws"]
    others: dict[str, list[str]] = {}
    for layer in ordered:
        if kinds[layer["id"]] not in _TEAM_KINDS + ("aws",):
            owner = owner_label(column[layer["id"]], names).removesuffix(" + AWS")
            others.setdefault(owner, []).append(layer["name"])
    parts = [f"The team owns or shares {len(team)} layers: {', '.join(team) or 'none'}."]
    parts += [f"{owner} takes {len(items)}: {', '.join(items)}." for owner, items in others.items()]
    parts.append(f"AWS owns {len(aws)}: {', '.join(aws) or 'none'}.")
    return " ".join(parts)


def svg_data_uri(svg: str) -> str:
    """An SVG drawing as a data: URI, for an <img> the PDF draws without the page's stylesheets."""
    return "data:image/svg+xml;base64," + base64.b64encode(str(svg).strip().encode()).decode()
