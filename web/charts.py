"""Geometry of the report's charts, as plain data; templates/reports/_charts.html draws it as inline SVG.

Everything here is arithmetic on the stored assessment: no HTML, no Flask.
Colours are set as SVG attributes rather than CSS so the charts look the
same in the browser, on paper and in WeasyPrint's PDF.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Rect", "Text", "Line", "Chart", "score_chart", "hours_chart", "stack_chart", "OWNER_LABELS", "PALETTE"]

OWNER_LABELS = {"aws": "AWS", "customer": "Team", "shared": "Shared"}
PALETTE = {
    "team": "#cfe0f5", "team_edge": "#1f5fa8", "aws": "#ffe2ad", "aws_edge": "#9a5b00",
    "bar": "#1f5fa8", "ruled_out": "#9aa3ad", "over": "#b42318", "ink": "#1b1f24", "grid": "#d0d5db",
}
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"


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
class Chart:
    """One SVG: its id (for aria-labelledby), accessible title and description, size and shapes."""

    id: str
    title: str
    desc: str
    width: float
    height: float
    rects: tuple[Rect, ...]
    texts: tuple[Text, ...]
    lines: tuple[Line, ...]
    striped: tuple[Rect, ...] = ()  # shared layers, drawn with the stripe pattern

    @property
    def font(self) -> str:
        return FONT


def _num(value: float) -> str:
    return f"{value:g}"


def _nice_top(value: float) -> tuple[float, float]:
    """A round axis end at or above value, and its tick step (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0, 0.25
    magnitude = 10 ** math.floor(math.log10(value / 4))
    step = next(m * magnitude for m in (1, 2, 5, 10) if value / (m * magnitude) <= 5)
    return math.ceil(value / step - 1e-9) * step, step


# Service names end at _LABEL_W, bars run from _LEFT to _RIGHT, and the rest of _WIDTH leaves room for the
# value after the longest bar ("97.9 (ruled out)", "86 h (56 over)").
_WIDTH, _LABEL_W, _LEFT, _RIGHT, _ROW, _BAR = 720, 236, 244, 560, 30, 16


def score_chart(ranking: list[dict]) -> Chart:
    """Scores from 0 to 100 as horizontal bars, ruled-out services in grey."""
    top = 8
    rects, texts, lines = [], [], []
    span = _RIGHT - _LEFT
    for i, entry in enumerate(ranking):
        y = top + i * _ROW
        texts.append(Text(_LABEL_W, y + 13, f"{entry['rank']}. {entry['name']}", anchor="end"))
        width = span * max(0.0, min(entry["score"], 100.0)) / 100
        fill = PALETTE["bar"] if entry["eligible"] else PALETTE["ruled_out"]
        rects.append(Rect(_LEFT, y + 1, width, _BAR, fill))
        note = "" if entry["eligible"] else " (ruled out)"
        texts.append(Text(_LEFT + width + 6, y + 13, f"{entry['score']:.1f}{note}", weight="bold"))
    bottom = top + len(ranking) * _ROW
    for tick in range(0, 101, 25):
        x = _LEFT + span * tick / 100
        lines.append(Line(x, top - 4, x, bottom))
        texts.append(Text(x, bottom + 14, str(tick), anchor="middle", size=11))
    summary = "; ".join(f"{e['name']} {e['score']:.1f}{'' if e['eligible'] else ' (ruled out)'}" for e in ranking)
    return Chart("chart-score", "Score out of 100 for each service", summary, _WIDTH, bottom + 22,
                 tuple(rects), tuple(texts), tuple(lines))


def hours_chart(ranking: list[dict], capacity: float, chart_id: str = "chart-hours") -> Chart:
    """Each service's team-owned hours a month as a bar, with the team's stated hours as a dashed line."""
    top = 24
    biggest = max([capacity] + [e["burden_hours_per_month"] for e in ranking])
    axis_end, step = _nice_top(biggest * 1.05)
    span = _RIGHT - _LEFT

    def x_of(hours: float) -> float:
        return _LEFT + span * hours / axis_end

    rects, texts, lines = [], [], []
    for i, entry in enumerate(ranking):
        y = top + i * _ROW
        burden = entry["burden_hours_per_month"]
        texts.append(Text(_LABEL_W, y + 13, f"{entry['rank']}. {entry['name']}", anchor="end"))
        within = min(burden, capacity)
        rects.append(Rect(_LEFT, y + 1, x_of(within) - _LEFT, _BAR, PALETTE["bar"]))
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
    texts.append(Text(min(max(cap_x, _LEFT + 70), _WIDTH - 70), 12, f"the team has {_num(capacity)} h", anchor="middle",
                      size=11, weight="bold"))
    summary = "; ".join(f"{e['name']} {_num(e['burden_hours_per_month'])} hours" for e in ranking)
    return Chart(chart_id, f"Team-owned hours a month against the {_num(capacity)} hours the team has",
                 summary + f"; the team has {_num(capacity)} hours.", _WIDTH, bottom + 22,
                 tuple(rects), tuple(texts), tuple(lines))


_STACK_W, _STACK_ROW, _STACK_TOP = 420, 21, 8


def stack_chart(service: dict, layers: list[dict], column: dict[str, dict], team_hours: dict[str, float]) -> Chart:
    """One service's stack, team-owned layers on top and AWS's below, with a heavy line between them.

    ``layers`` are in stack order (bottom first), ``column`` is the matrix column of the service
    (layer id → {owner, ...}) and ``team_hours`` the team's hours per layer it owns or shares.
    """
    group = {"customer": 0, "shared": 1, "aws": 2}
    ordered = sorted(layers, key=lambda l: (group[column[l["id"]]["owner"]], -l["position"]))
    rects, striped, texts, lines = [], [], [], []
    x, width = 4, _STACK_W - 8
    boundary = None
    for i, layer in enumerate(ordered):
        y = _STACK_TOP + i * _STACK_ROW
        owner = column[layer["id"]]["owner"]
        if owner == "aws" and boundary is None:
            boundary = y - 1
        shape = Rect(x, y, width, _STACK_ROW - 2, PALETTE["aws"] if owner == "aws" else PALETTE["team"],
                     PALETTE["aws_edge"] if owner == "aws" else PALETTE["team_edge"])
        (striped if owner == "shared" else rects).append(shape)
        texts.append(Text(x + 6, y + 13.5, layer["name"], size=10.5))
        hours = team_hours.get(layer["id"])
        right = OWNER_LABELS[owner] + (f" · {_num(hours)} h" if hours and owner != "aws" else "")
        texts.append(Text(x + width - 6, y + 13.5, right, anchor="end", size=10.5, weight="bold"))
    bottom = _STACK_TOP + len(ordered) * _STACK_ROW
    if boundary is not None:
        lines.append(Line(0, boundary, _STACK_W, boundary, stroke=PALETTE["ink"], width=3))
    team = [l["name"] for l in ordered if column[l["id"]]["owner"] != "aws"]
    aws = [l["name"] for l in ordered if column[l["id"]]["owner"] == "aws"]
    desc = (f"The team owns or shares {len(team)} layers: {', '.join(team) or 'none'}. "
            f"AWS owns {len(aws)}: {', '.join(aws) or 'none'}.")
    return Chart(f"stack-{service['id']}", f"Who owns each layer on {service['name']}", desc,
                 _STACK_W, bottom + 4, tuple(rects), tuple(texts), tuple(lines), tuple(striped))
