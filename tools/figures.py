#!/usr/bin/env python3
"""Draws the course's figures as SVG into notebooks/figures/ (./lab figures; ./lab test checks them).

  figures.py [--check]      write the figures, or (--check) fail if a committed one differs

Each figure is built from a few shapes in code, so that it can be changed and redrawn: the unrolled
recurrent network, the LSTM and GRU cells (Keras' equations, as the notebooks write them), a
bidirectional layer, a stacked pair, and the sliding window of the forecasting notebook. Plain SVG 1.1
with system fonts: it renders in JupyterLab, Notebook 7 and on the repository host's notebook viewer.
"""

import argparse
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "notebooks" / "figures"

INK = "#1f2933"
BLUE = "#dbeafe"
BLUE_EDGE = "#2563eb"
GREEN = "#dcfce7"
GREEN_EDGE = "#16a34a"
ORANGE = "#ffedd5"
ORANGE_EDGE = "#ea580c"
GREY = "#f1f5f9"
GREY_EDGE = "#64748b"
PURPLE = "#f3e8ff"
PURPLE_EDGE = "#9333ea"


class Svg:
    """A small SVG canvas: boxes, circles, arrows and text, written out as one file."""

    def __init__(self, width, height, title):
        self.width, self.height, self.title = width, height, title
        self.items = []

    def box(self, x, y, w, h, label, fill=BLUE, edge=BLUE_EDGE, size=15, rx=8, italic=False):
        self.items.append(
            f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{rx}" fill="{fill}" '
            f'stroke="{edge}" stroke-width="1.6"/>'
        )
        if label:
            self.text(x + w / 2, y + h / 2, label, size=size, italic=italic)

    def circle(self, x, y, r, label, fill="#ffffff", edge=INK, size=15):
        self.items.append(f'<circle cx="{x}" cy="{y}" r="{r}" fill="{fill}" stroke="{edge}" stroke-width="1.6"/>')
        self.text(x, y, label, size=size)

    def text(self, x, y, label, size=14, anchor="middle", italic=False, colour=INK, weight="normal"):
        style = ' font-style="italic"' if italic else ""
        self.items.append(
            f'<text x="{x}" y="{y}" font-size="{size}" text-anchor="{anchor}" '
            f'dominant-baseline="central" fill="{colour}" font-weight="{weight}" xml:space="preserve"{style}>'
            f"{escape(label)}</text>"
        )

    def arrow(self, points, colour=INK, dashed=False, head=True):
        """A polyline through `points` [(x, y), ...], with an arrow head at the end."""
        path = " ".join(f"{x},{y}" for x, y in points)
        dash = ' stroke-dasharray="5,4"' if dashed else ""
        marker = ' marker-end="url(#head)"' if head else ""
        self.items.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.6"{dash}{marker}/>')

    def render(self):
        return "\n".join(
            [
                '<?xml version="1.0" encoding="UTF-8"?>',
                f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{self.height}" '
                f'viewBox="0 0 {self.width} {self.height}" font-family="Helvetica, Arial, sans-serif">',
                f"<title>{escape(self.title)}</title>",
                '<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
                f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{INK}"/></marker></defs>',
                f'<rect width="{self.width}" height="{self.height}" fill="#ffffff"/>',
                *self.items,
                "</svg>",
                "",
            ]
        )


def escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def rnn_unrolled():
    s = Svg(760, 330, "A recurrent layer, folded and unrolled over four time steps")
    # folded
    s.text(95, 24, "folded", size=14, weight="bold")
    s.box(45, 130, 100, 60, "RNN cell")
    s.arrow([(95, 270), (95, 192)])
    s.text(95, 287, "xₜ", italic=True)
    s.arrow([(95, 130), (95, 62)])
    s.text(95, 48, "hₜ", italic=True)
    s.arrow([(145, 150), (172, 150), (172, 110), (120, 110), (120, 128)])
    s.text(190, 100, "hₜ₋₁", size=13, italic=True)
    s.text(210, 160, "=", size=28)
    # unrolled
    s.text(500, 24, "unrolled: the same cell (the same W, U, b) at every step", size=14, weight="bold")
    words = ["this", "movie", "was", "great"]
    for i, w in enumerate(words):
        x = 270 + i * 125
        s.box(x, 130, 90, 60, "cell")
        s.arrow([(x + 45, 270), (x + 45, 192)])
        s.text(x + 45, 287, f"x{i + 1}  “{w}”", size=13, italic=True)
        if i < len(words) - 1:
            s.arrow([(x + 90, 160), (x + 125, 160)])
            s.text(x + 107, 146, f"h{i + 1}", size=12, italic=True)
    s.arrow([(235, 160), (268, 160)])
    s.text(250, 146, "h0 = 0", size=12, italic=True)
    last = 270 + 3 * 125
    s.arrow([(last + 45, 130), (last + 45, 80)])
    s.box(last - 5, 40, 100, 38, "Dense, σ", fill=GREEN, edge=GREEN_EDGE, size=14)
    s.text(last + 52, 105, "h4", size=12, italic=True, anchor="start")
    s.text(500, 318, "hₜ = tanh(W xₜ + U hₜ₋₁ + b); the exercises keep only the last state (LastTimeStep)", size=13)
    return s


def state_line(s, y, times_x, plus_x, before, after):
    """A cell's state running left to right at height y: scaled at a × (times_x), added to at a + (plus_x)."""
    s.arrow([(20, y), (times_x - 20, y)])
    s.text(30, y - 17, before, italic=True, anchor="start")
    s.circle(times_x, y, 18, "×")
    s.arrow([(times_x + 18, y), (plus_x - 20, y)])
    s.circle(plus_x, y, 18, "+")
    s.arrow([(plus_x + 18, y), (740, y)])
    s.text(735, y - 17, after, italic=True, anchor="end")


def lstm_cell():
    s = Svg(760, 400, "The LSTM cell: forget, input and output gates around a cell state")
    s.box(60, 60, 620, 270, "", fill=GREY, edge=GREY_EDGE, rx=14)
    state_line(s, 95, 220, 400, "cₜ₋₁", "cₜ")  # the cell state along the top
    # gates from [h, x]
    gates = [
        (170, "f", "σ", "forget"),
        (290, "i", "σ", "input"),
        (370, "g", "tanh", "candidate"),
        (500, "o", "σ", "output"),
    ]
    for x, name, act, what in gates:
        fill, edge = (ORANGE, ORANGE_EDGE) if act == "σ" else (PURPLE, PURPLE_EDGE)
        s.box(x, 230, 80, 40, f"{name}: {act}", fill=fill, edge=edge, size=14)
        s.text(x + 40, 316, what, size=12, colour=GREY_EDGE)
        s.arrow([(x + 40, 300), (x + 40, 272)], head=False)
    s.arrow([(20, 300), (600, 300)], head=False)
    s.text(20, 318, "[hₜ₋₁, xₜ]", italic=True, anchor="start")
    s.arrow([(120, 360), (120, 300)], head=False)
    s.text(120, 374, "xₜ", italic=True)
    s.arrow([(20, 300), (20, 300)], head=False)
    # gate outputs
    s.arrow([(210, 230), (210, 175), (220, 175), (220, 113)])
    s.circle(350, 175, 16, "×")
    s.arrow([(330, 230), (330, 191), (340, 189)])
    s.arrow([(410, 230), (410, 191), (362, 187)])
    s.arrow([(366, 172), (400, 172), (400, 113)])
    # output
    s.box(560, 140, 70, 34, "tanh", fill=PURPLE, edge=PURPLE_EDGE, size=13)
    s.arrow([(595, 95), (595, 138)])
    s.circle(595, 215, 16, "×")
    s.arrow([(595, 174), (595, 199)])
    s.arrow([(540, 230), (540, 215), (579, 215)])
    s.arrow([(611, 215), (700, 215), (700, 360)])
    s.text(712, 372, "hₜ", italic=True, anchor="start")
    s.text(380, 30, "cₜ = f ⊙ cₜ₋₁ + i ⊙ g      hₜ = o ⊙ tanh(cₜ)      each gate: act(W xₜ + U hₜ₋₁ + b)", size=13)
    return s


def gru_cell():
    s = Svg(760, 390, "The GRU cell: reset and update gates, no separate cell state")
    s.box(60, 60, 620, 260, "", fill=GREY, edge=GREY_EDGE, rx=14)
    state_line(s, 100, 270, 540, "hₜ₋₁", "hₜ")  # the state along the top
    s.box(120, 230, 90, 40, "r: σ", fill=ORANGE, edge=ORANGE_EDGE, size=14)
    s.text(165, 316, "reset", size=12, colour=GREY_EDGE)
    s.box(300, 230, 90, 40, "z: σ", fill=ORANGE, edge=ORANGE_EDGE, size=14)
    s.text(345, 316, "update", size=12, colour=GREY_EDGE)
    s.box(450, 230, 110, 40, "h̃: tanh", fill=PURPLE, edge=PURPLE_EDGE, size=14)
    s.text(505, 316, "candidate", size=12, colour=GREY_EDGE)
    s.arrow([(20, 300), (560, 300)], head=False)
    for x in (165, 345, 505):
        s.arrow([(x, 300), (x, 272)])
    s.text(20, 318, "[hₜ₋₁, xₜ]", italic=True, anchor="start")
    # z keeps the old state
    s.arrow([(345, 230), (345, 160), (270, 160), (270, 118)])
    s.text(300, 150, "z", size=13, italic=True)
    # 1 - z times candidate
    s.circle(540, 180, 16, "×")
    s.arrow([(505, 230), (505, 196), (526, 190)])
    s.arrow([(390, 250), (430, 250), (430, 180), (524, 180)])
    s.text(445, 168, "1 − z", size=13, italic=True)
    s.arrow([(540, 164), (540, 118)])
    # r gates the old state inside the candidate
    s.arrow([(210, 250), (240, 250), (240, 200), (470, 200), (470, 228)])
    s.text(350, 212, "r ⊙ (U hₜ₋₁)", size=12, italic=True)
    s.text(
        380, 30, "hₜ = z ⊙ hₜ₋₁ + (1 − z) ⊙ h̃      h̃ = tanh(W xₜ + r ⊙ (U hₜ₋₁) + b)   (Keras, reset_after)", size=13
    )
    s.text(
        380,
        360,
        "With reset_after=False (the exercises' GRU) the reset gate acts before the product: U (r ⊙ hₜ₋₁).",
        size=12,
        colour=GREY_EDGE,
    )
    return s


def bidirectional():
    s = Svg(760, 360, "A bidirectional layer: one copy reads forwards, one backwards, their final states joined")
    words = ["not", "bad", "at", "all"]
    for i, w in enumerate(words):
        x = 110 + i * 130
        s.text(x + 40, 330, f"x{i + 1}  “{w}”", size=13, italic=True)
        s.arrow([(x + 40, 315), (x + 40, 262)])
        s.box(x, 220, 80, 40, "→", fill=BLUE, edge=BLUE_EDGE, size=18)
        s.arrow([(x + 40, 300), (x - 15, 300), (x - 15, 180), (x + 20, 180), (x + 20, 152)], dashed=True)
        s.box(x, 110, 80, 40, "←", fill=ORANGE, edge=ORANGE_EDGE, size=18)
        if i < len(words) - 1:
            s.arrow([(x + 80, 240), (x + 130, 240)])
            s.arrow([(x + 130, 130), (x + 80, 130)])
    s.text(60, 240, "forward", size=13, anchor="end", colour=BLUE_EDGE)
    s.text(60, 130, "backward", size=13, anchor="end", colour=ORANGE_EDGE)
    # final states
    s.arrow([(110 + 3 * 130 + 80, 240), (660, 240), (660, 92)])
    s.arrow([(110, 130), (90, 130), (90, 70), (600, 70)])
    s.box(600, 40, 130, 50, "concat → 64", fill=GREEN, edge=GREEN_EDGE, size=14)
    s.text(400, 18, "each half has read the whole review, from opposite ends (BidirectionalLastStep)", size=13)
    return s


def stacked():
    s = Svg(760, 340, "Two stacked recurrent layers: the first returns every step, the second keeps the last")
    for i in range(4):
        x = 130 + i * 140
        s.text(x + 45, 320, f"x{i + 1}", size=13, italic=True)
        s.arrow([(x + 45, 305), (x + 45, 262)])
        s.box(x, 220, 90, 40, "LSTM 1", fill=BLUE, edge=BLUE_EDGE, size=14)
        s.arrow([(x + 45, 220), (x + 45, 152)])
        s.text(x + 60, 186, f"h{i + 1}⁽¹⁾", size=12, italic=True, anchor="start")
        s.box(x, 110, 90, 40, "LSTM 2", fill=ORANGE, edge=ORANGE_EDGE, size=14)
        if i < 3:
            s.arrow([(x + 90, 240), (x + 140, 240)])
            s.arrow([(x + 90, 130), (x + 140, 130)])
    s.text(115, 240, "returns all 200 steps", size=12, anchor="end", colour=BLUE_EDGE)
    s.text(115, 130, "keeps the last", size=12, anchor="end", colour=ORANGE_EDGE)
    last = 130 + 3 * 140
    s.arrow([(last + 45, 110), (last + 45, 72)])
    s.box(last - 10, 30, 110, 40, "Dense, σ", fill=GREEN, edge=GREEN_EDGE, size=14)
    return s


def sliding_window():
    s = Svg(760, 280, "The sliding window: the last k months predict the next one")
    values = [112, 118, 132, 129, 121, 135, 148, 148]
    w, base = 40, 200
    for panel, start in enumerate((0, 1)):
        x0 = 40 + panel * 370
        for i, v in enumerate(values):
            h = (v - 95) * 2.6
            if start <= i < start + 3:
                fill, edge = ORANGE, ORANGE_EDGE
            elif i == start + 3:
                fill, edge = GREEN, GREEN_EDGE
            else:
                fill, edge = GREY, GREY_EDGE
            s.items.append(
                f'<rect x="{x0 + i * w}" y="{base - h}" width="{w - 8}" height="{h}" fill="{fill}" '
                f'stroke="{edge}" stroke-width="1.2"/>'
            )
            s.text(x0 + i * w + (w - 8) / 2, base + 14, f"t{i + 1}", size=11)
        s.text(x0 + start * w + 1.5 * w - 4, 40, "input: k = 3 months", size=12, colour=ORANGE_EDGE)
        s.text(x0 + (start + 3) * w + (w - 8) / 2, 62, "target", size=12, colour=GREEN_EDGE)
        s.text(x0 + 4 * w, 240, f"window {panel + 1}: t{start + 1}–t{start + 3} → t{start + 4}", size=13)
    s.text(
        380,
        268,
        "the window moves one month at a time; the first 67 % of the months train, the rest test",
        size=12,
        colour=GREY_EDGE,
    )
    return s


FIGURES = {
    "rnn-unrolled.svg": rnn_unrolled,
    "lstm-cell.svg": lstm_cell,
    "gru-cell.svg": gru_cell,
    "bidirectional.svg": bidirectional,
    "stacked.svg": stacked,
    "sliding-window.svg": sliding_window,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    stale = []
    OUT.mkdir(parents=True, exist_ok=True)
    for name, draw in FIGURES.items():
        svg = draw().render()
        path = OUT / name
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != svg:
                stale.append(name)
        else:
            path.write_text(svg, encoding="utf-8")
            print(f"wrote {path.relative_to(OUT.parent.parent)}")
    if stale:
        print(f"stale figures in notebooks/figures/: {', '.join(stale)}; run ./lab figures", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
