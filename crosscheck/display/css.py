"""The one inline style sheet of :mod:`crosscheck.display` (every rule scoped under ``.crosscheck``)."""

from __future__ import annotations

#: Background and border colour of each relation (``none``: a claim that no shown finding touches).
RELATION_COLOURS: dict[str, tuple[str, str]] = {
    "contradict": ("#f7c6c6", "#b03a2e"),
    "disputed": ("#fbd9b0", "#c75a00"),
    "update": ("#cfe0fa", "#2c6fbe"),
    "agree": ("#c9f0d3", "#2e8b57"),
    "related": ("#e4e4e4", "#808080"),
    "none": ("#f2f0dc", "#b5ad6a"),
}
#: Colour of each stance in the question x source matrix.
STANCE_COLOURS: dict[str, str] = {
    "supports": "#c9f0d3", "contradicts": "#f7c6c6", "relays": "#e5dcf5", "hedged": "#fbeab0", "silent": "#f4f4f4",
}


def style_sheet() -> str:
    """The CSS of a rendered view."""
    rel = "".join(
        f".crosscheck .cc-rel-{name}{{background:{bg};border-color:{border}}}"
        f".crosscheck tr.cc-rel-{name}>td:first-child{{border-left:6px solid {border}}}"
        f".crosscheck a.cc-ref.cc-rel-{name}{{color:{border}}}"
        for name, (bg, border) in RELATION_COLOURS.items())
    stance = "".join(f".crosscheck .cc-stance-{name}{{background:{bg}}}" for name, bg in STANCE_COLOURS.items())
    return (
        ".crosscheck{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;font-size:14px;"
        "color:#1d1d1d;line-height:1.45;max-width:1400px}"
        ".crosscheck h2{font-size:1.25em;margin:.4em 0}.crosscheck h3{font-size:1.1em;margin:1em 0 .4em}"
        ".crosscheck h4{font-size:1em;margin:.8em 0 .3em}"
        ".crosscheck .cc-note{color:#555;font-size:.9em;margin:.2em 0}"
        ".crosscheck .cc-legend span{display:inline-block;margin:0 .5em .3em 0;padding:0 .4em;border:1px solid;"
        "border-radius:3px;font-size:.85em}"
        ".crosscheck .cc-texts{display:grid;gap:1em;grid-template-columns:repeat(auto-fill,minmax(24em,1fr))}"
        ".crosscheck .cc-texts.cc-pair{grid-template-columns:1fr 1fr}"
        ".crosscheck .cc-report{border:1px solid #d0d0d0;border-radius:6px;padding:.6em .8em;background:#fff}"
        ".crosscheck .cc-report header{border-bottom:1px solid #e3e3e3;margin-bottom:.5em;padding-bottom:.3em}"
        ".crosscheck .cc-source{font-weight:700}.crosscheck .cc-meta{color:#555;font-size:.85em}"
        ".crosscheck .cc-text{white-space:pre-wrap;line-height:1.8}"
        ".crosscheck mark.cc-claim{color:inherit;border-bottom:2px solid;border-radius:3px;padding:.1em 0}"
        ".crosscheck .cc-speaker{font-weight:600;border-bottom:2px dotted #333}"
        ".crosscheck .cc-cue{font-style:italic}"
        ".crosscheck sup.cc-refs{font-size:.7em;margin-left:.1em}"
        ".crosscheck a.cc-ref{font-weight:700;text-decoration:none;margin-right:.15em}"
        ".crosscheck :target{outline:3px solid #222;outline-offset:1px}"
        ".crosscheck table{border-collapse:collapse;margin:.3em 0 .8em}"
        ".crosscheck th,.crosscheck td{border:1px solid #d0d0d0;padding:.3em .5em;vertical-align:top;text-align:left}"
        ".crosscheck th{background:#f3f3f3}"
        ".crosscheck table.cc-findings{width:100%}.crosscheck table.cc-findings td:nth-child(3),"
        ".crosscheck table.cc-findings td:nth-child(4){width:24%}"
        ".crosscheck .cc-stance{display:inline-block;padding:0 .4em;border-radius:3px}"
        ".crosscheck .cc-position{display:block;font-size:.85em;color:#333}"
        ".crosscheck .cc-badge{display:inline-block;padding:0 .4em;border:1px solid;border-radius:3px;"
        "font-size:.85em}"
        ".crosscheck ol.cc-events{margin:.2em 0;padding-left:1.4em}.crosscheck ol.cc-events li{margin:.25em 0}"
        ".crosscheck .cc-event-finding{list-style:none;margin-left:1em;color:#333;font-size:.9em}"
        ".crosscheck time{font-variant-numeric:tabular-nums;color:#444}"
        ".crosscheck .cc-crossing{font-size:.9em;color:#444}"
        + rel + stance)
