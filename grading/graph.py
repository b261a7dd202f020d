"""Each job's graph drawn as Glue Studio draws it: one box per node, top to bottom.

Nodes and their names come from the script (localglue.scripts: the `# Script generated for
node X` comments and the data flow between variables), so a grader sees the visual job
without the console. Drawn with matplotlib's object API on an Agg canvas (headless).
"""

from __future__ import annotations

from pathlib import Path

from localglue.scripts import Script
from validation.render import INK, MUTED, RULE

KIND_FILL = {"source": "#e0f2fe", "sink": "#dcfce7", "transform": "#f5f7fa"}
BOX_W, BOX_H, GAP_X, GAP_Y = 2.6, 0.8, 0.4, 0.7


def _role(kind: str) -> str:
    if kind.endswith("Source"):
        return "source"
    if kind.endswith("Sink"):
        return "sink"
    return "transform"


def layers(script: Script) -> dict[str, int]:
    """Depth of each node: 0 for sources, else one more than its deepest input."""
    depth: dict[str, int] = {}

    def visit(var: str, seen=()) -> int:
        if var in depth:
            return depth[var]
        node = script.nodes[var]
        inputs = [i for i in node.inputs if i in script.nodes and i not in seen]
        depth[var] = 1 + max((visit(i, (*seen, var)) for i in inputs), default=-1)
        return depth[var]

    for var in script.nodes:
        visit(var)
    return depth


def draw(script: Script, title: str, path: Path) -> Path:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    depth = layers(script)
    rows: dict[int, list[str]] = {}
    for var, d in depth.items():
        rows.setdefault(d, []).append(var)
    width = max((len(v) for v in rows.values()), default=1)
    fig_w = max(6.0, width * (BOX_W + GAP_X) + GAP_X)
    fig_h = max(2.5, len(rows) * (BOX_H + GAP_Y) + 1.2)
    fig = Figure(figsize=(fig_w, fig_h), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, fig_w)
    ax.set_ylim(0, fig_h)
    ax.axis("off")
    ax.text(0.2, fig_h - 0.35, title, fontsize=11, color=INK, weight="bold", va="center")
    ax.text(
        0.2, fig_h - 0.7, "drawn from the script (not a console capture)", fontsize=8, color=MUTED
    )
    centre: dict[str, tuple[float, float]] = {}
    for d, vars_ in sorted(rows.items()):
        total = len(vars_) * BOX_W + (len(vars_) - 1) * GAP_X
        x0 = (fig_w - total) / 2
        y = fig_h - 1.2 - d * (BOX_H + GAP_Y) - BOX_H
        for i, var in enumerate(vars_):
            node = script.nodes[var]
            x = x0 + i * (BOX_W + GAP_X)
            ax.add_patch(
                FancyBboxPatch(
                    (x, y), BOX_W, BOX_H, boxstyle="round,pad=0.02,rounding_size=0.08",
                    facecolor=KIND_FILL[_role(node.kind)], edgecolor=RULE,
                )
            )  # fmt: skip
            label = node.label if len(node.label) <= 30 else node.label[:29] + "…"
            ax.text(x + BOX_W / 2, y + BOX_H * 0.62, label, ha="center", fontsize=8.5, color=INK)
            ax.text(x + BOX_W / 2, y + BOX_H * 0.25, node.kind, ha="center", fontsize=7.5,
                    color=MUTED)  # fmt: skip
            centre[var] = (x + BOX_W / 2, y)
    for src, dst in script.edges():
        if src not in centre or dst not in centre:
            continue
        (x1, y1), (x2, y2) = centre[src], centre[dst]
        ax.add_patch(
            FancyArrowPatch((x1, y1), (x2, y2 + BOX_H), arrowstyle="-|>", mutation_scale=10,
                            color=MUTED, linewidth=1)
        )  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    return path
