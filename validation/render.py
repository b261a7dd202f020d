"""Draw one query and its result as a PNG, with a JSON sidecar holding the same data.

WHY a neutral design: graders ask for "screenshots of Athena queries"; an image
made here must never pass for an AWS console capture. Every image says which
engine really ran the SQL (DuckDB on the local lake, or Athena with its query
execution id), the database, the profile and the time, and carries the caption
returned by `caption()`.

Drawing uses matplotlib's object API on an Agg canvas (no pyplot state), so it
works headless, in threads and inside a notebook kernel alike.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import textwrap
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MAX_GRID_ROWS = 12  # rows drawn in the grid; the sidecar keeps every row fetched
MAX_CELL_CHARS = 36  # a UUID serial fits
GRID_FONT = 9.5
INK = "#1f2933"
MUTED = "#52606d"
RULE = "#cbd2d9"
HEADER_FILL = "#e4e7eb"
STRIPE_FILL = "#f5f7fa"
CODE_FILL = "#f0f4f8"


@dataclass
class QueryShot:
    """One query, its result and where it ran: everything an image shows."""

    name: str  # file stem, e.g. count_customer_landing
    title: str
    sql: str
    columns: list[str]
    rows: list[list[Any]]
    engine: str  # "local" | "athena"
    engine_detail: str  # e.g. "DuckDB 1.5.6 over /tmp/lake"
    database: str
    profile: str
    generated_at: str = field(
        default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    )
    query_execution_id: str | None = None
    dataset: str | None = None
    note: str | None = None  # what a grader should see, e.g. "must be 0"
    grouped: bool = False  # whole numbers shown with thousands separators, as the note's

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def to_dict(self) -> dict:
        doc = asdict(self)
        doc["row_count"] = self.row_count
        doc["caption"] = caption(self)
        return doc

    @classmethod
    def from_dict(cls, doc: dict) -> QueryShot:
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in doc.items() if k in names})


def caption(shot: QueryShot) -> str:
    if shot.engine == "athena":
        where = f"an Amazon Athena query (execution id {shot.query_execution_id or 'unknown'})"
    else:
        where = "a DuckDB query on the local lake"
    return f"Rendered by stedi-lakehouse from {where} — not an AWS console screenshot"


def jsonable(value: Any) -> Any:
    """Values as JSON can hold them: ints stay ints, everything else odd becomes text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return str(value)


def cell_text(value: Any, grouped: bool = False) -> str:
    """What a grid cell shows: blank for NULL (as the Athena console shows it), clipped text."""
    if value is None:
        return ""
    if grouped and isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        text = repr(value)
    else:
        text = str(value)
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"


def write_sidecar(shot: QueryShot, path: Path) -> Path:
    doc = shot.to_dict()
    doc["rows"] = [[jsonable(v) for v in row] for row in shot.rows]
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    return path


def read_sidecar(path: Path) -> QueryShot:
    return QueryShot.from_dict(json.loads(Path(path).read_text()))


def _metadata_lines(shot: QueryShot) -> list[str]:
    engine = f"engine   {shot.engine_detail}"
    if shot.query_execution_id:
        engine += f"   query execution id {shot.query_execution_id}"
    lines = [
        engine,
        f"database {shot.database}   profile {shot.profile}"
        + (f"   dataset {shot.dataset}" if shot.dataset else ""),
        f"time     {shot.generated_at}",
    ]
    return lines


def render_png(shot: QueryShot, path: Path) -> Path:
    """Write `shot` as a PNG at `path` and return the path."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    sql_lines = []
    for line in shot.sql.strip().splitlines():
        sql_lines.extend(textwrap.wrap(line, 96, subsequent_indent="    ") or [""])
    shown = shot.rows[:MAX_GRID_ROWS]
    grid_rows = max(len(shown), 1)
    width = 11.0
    # Heights in inches: header, sql box, grid, metadata, caption.
    h_title, h_sql = 0.75, 0.25 + 0.2 * len(sql_lines)
    h_grid, h_meta, h_caption = 0.45 + 0.27 * (grid_rows + 1), 0.75, 0.45
    height = h_title + h_sql + h_grid + h_meta + h_caption
    fig = Figure(figsize=(width, height), dpi=110, facecolor="white")
    FigureCanvasAgg(fig)

    def band(top: float, h: float):
        """The figure width from `top` (inches from the top) down `h` inches, in 0..1 units."""
        return _Band(fig, (0.03, 1 - (top + h) / height, 0.94, h / height))

    top = 0.0
    ax = band(top, h_title)
    ax.text(0, 0.62, shot.title, fontsize=15, fontweight="bold", color=INK, va="center")
    if shot.note:
        ax.text(0, 0.18, shot.note, fontsize=10, color=MUTED, va="center")
    ax.axhline(0.0, color=RULE, linewidth=1)
    top += h_title

    ax = band(top, h_sql)
    ax.add_patch(
        _box(ax, 0, 0.06, 1, 0.88, CODE_FILL),
    )
    step = 0.88 / (len(sql_lines) + 0.5)
    for i, line in enumerate(sql_lines):
        ax.text(
            0.012, 0.94 - step * (i + 0.75), line, family="DejaVu Sans Mono", fontsize=10, color=INK
        )
    top += h_sql

    ax = band(top, h_grid)
    _draw_grid(ax, shot, shown, width * 0.94)
    top += h_grid

    ax = band(top, h_meta)
    for i, line in enumerate(_metadata_lines(shot)):
        ax.text(0, 0.8 - i * 0.3, line, family="DejaVu Sans Mono", fontsize=9, color=MUTED)
    top += h_meta

    ax = band(top, h_caption)
    ax.axhline(0.95, color=RULE, linewidth=1)
    ax.text(0.5, 0.45, caption(shot), fontsize=10, style="italic", color=INK, ha="center")

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", facecolor="white")
    return path


class _Band:
    """What the drawing needs of an axes with 0..1 limits and no axis (text, patches, a
    horizontal rule), as a transform onto a figure rectangle. WHY: an axes costs ~60 ms to
    build (ticks, spines) and an image had five; a grade draws eight images."""

    def __init__(self, fig, rect: tuple[float, float, float, float]):
        from matplotlib.transforms import Bbox, BboxTransformTo, TransformedBbox

        self.fig = fig
        self.transData = BboxTransformTo(TransformedBbox(Bbox.from_bounds(*rect), fig.transFigure))

    def text(self, x, y, s, **kwargs):
        return self.fig.text(x, y, s, transform=self.transData, **kwargs)

    def add_patch(self, patch):
        patch.set_transform(self.transData)
        return self.fig.add_artist(patch)

    def axhline(self, y, **kwargs):
        from matplotlib.lines import Line2D

        return self.fig.add_artist(Line2D([0, 1], [y, y], transform=self.transData, **kwargs))


def _box(ax, x, y, w, h, color):
    from matplotlib.patches import FancyBboxPatch

    return FancyBboxPatch(
        (x, y),
        w,
        h,
        boxstyle="round,pad=0,rounding_size=0.02",
        facecolor=color,
        edgecolor=RULE,
        linewidth=0.8,
        mutation_aspect=0.3,
    )


def _draw_grid(ax, shot: QueryShot, shown: list[list[Any]], width_in: float) -> None:
    """Result grid: a row-number column, header row, striped rows, and a row-count line.

    Everything is monospace, so column widths follow character counts; the font
    shrinks when the row is wider than the image, and a narrow result keeps a
    narrow grid.
    """
    headers = ["#", *shot.columns]
    body = [[str(i + 1), *(cell_text(v, shot.grouped) for v in row)] for i, row in enumerate(shown)]
    if not body:
        body = [["", "(no rows)", *(["" for _ in shot.columns[1:]])]]
    chars = [max(len(r[c]) for r in [headers, *body]) + 2 for c in range(len(headers))]
    chars[0] = max(chars[0], 4)
    total = sum(chars)
    char_in = 0.6 * GRID_FONT / 72  # DejaVu Sans Mono advance is 0.6 em
    fontsize = GRID_FONT * min(1.0, width_in / (total * char_in))
    used = min(1.0, total * char_in / width_in)
    xs = [0.0]
    for n in chars:
        xs.append(xs[-1] + used * n / total)
    n_lines = len(body) + 1
    footer = 0.33 / (0.45 + 0.27 * n_lines)
    line_h = (1 - footer) / n_lines
    for r, cells in enumerate([headers, *body]):
        y_top = 1 - r * line_h
        fill = HEADER_FILL if r == 0 else (STRIPE_FILL if r % 2 == 0 else "white")
        ax.add_patch(_rect(0, y_top - line_h, used, line_h, fill))
        for c, text in enumerate(cells):
            ax.text(
                xs[c] + used * 1 / total,
                y_top - line_h / 2,
                text,
                fontsize=fontsize,
                va="center",
                color=INK if c else MUTED,
                fontweight="bold" if r == 0 else "normal",
                family="DejaVu Sans Mono",
            )
    count = shot.row_count
    if count == 0:
        summary = "0 rows returned"
    elif count > len(shown):
        summary = f"{count} rows returned; first {len(shown)} shown"
    else:
        summary = f"{count} row{'s' if count != 1 else ''} returned"
    ax.text(0, footer * 0.35, summary, fontsize=9.5, color=MUTED, fontweight="bold")


def _rect(x, y, w, h, color):
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), w, h, facecolor=color, edgecolor=RULE, linewidth=0.5)
