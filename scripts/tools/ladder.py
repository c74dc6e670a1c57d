#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A ladder diagram of a scenario, as SVG, from what really happened.

    ladder.py STORY.json OUT.svg [--title TEXT]

STORY.json is transcript.py's --json. Two columns, a on the left and b on
the right; time runs down, one row per event in the order they happened
(not to scale). Each captured segment is an arrow from its sender to its
receiver, labelled with its flags and relative numbers (Wireshark's
notation); each side's state is written beside its column where it
changed (a listener's as "listener STATE"); the programs' calls are in
grey on the outside. A segment lost on the way (transcript.py --far-pcap)
is an arrow that stops short, crossed out; one from an address neither
host holds (a forged source) starts at a's column, its address written.
Convert to PNG with rsvg-convert.
"""
import argparse
import json
import sys
import textwrap
from xml.sax.saxutils import escape

W, ROW, TOP = 1120, 26, 90
XA, XB = 330, 650          # the two columns
FLAGS = [(0x002, "SYN"), (0x001, "FIN"), (0x004, "RST"), (0x008, "PSH"),
         (0x010, "ACK")]
STATE_COLOUR = {"ESTABLISHED": "#1b7f3a", "CLOSED": "#888888",
                "TIME_WAIT": "#b35900", "CLOSING": "#b00020"}


def label(s):
    text = "[%s] Seq=%d" % (", ".join(n for b, n in FLAGS if s["flags"] & b), s["seq"])
    if s["flags"] & 0x010:
        text += " Ack=%d" % s["ack"]
    if s["len"]:
        text += " Len=%d" % s["len"]
    if "TCP Retransmission" in s.get("analysis", []):
        text += " (again)"
    return text


def text(x, y, body, anchor="middle", size=13, colour="#000", extra=""):
    return ('<text x="%d" y="%d" text-anchor="%s" font-size="%d" fill="%s" %s>%s</text>'
            % (x, y, anchor, size, colour, extra, escape(body)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("story")
    ap.add_argument("out")
    ap.add_argument("--title", default="")
    a = ap.parse_args()
    with open(a.story) as f:
        data = json.load(f)
    hosts, story = data["hosts"], data["story"]
    x = {"a": XA, "b": XB}
    rows = []
    titles = textwrap.wrap(a.title, 120) or [""]
    top = TOP + 18 * (len(titles) - 1)	# room for a title of several lines
    y = top
    for e in story:
        forged = e["kind"] == "segment" and e["frm"] not in x and e["to"] in x
        if forged:
            # From an address neither host holds (a forged one, sent from
            # a's link): drawn from a's column, its source written out.
            e = dict(e, frm="a")
        if e["kind"] == "segment" and e["frm"] in x and e["to"] in x:
            x1, x2 = x[e["frm"]], x[e["to"]]
            colour = "#b00020" if e["flags"] & 0x004 else "#1f4e99"
            if e.get("lost"):
                # Lost on the way: the arrow stops short, crossed out.
                xe, ye = x1 + (x2 - x1) * 3 // 5, y + ROW * 3 // 5
                rows.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" '
                            'stroke-width="1.6" stroke-dasharray="5,3"/>'
                            % (x1, y, xe, ye, colour))
                rows.append(text(xe, ye + 6, "\u2715", size=18, colour="#b00020",
                                 extra='font-weight="bold"'))
                rows.append(text((x1 + x2) // 2, y + ROW // 2 - 9, label(e) + "  (lost)",
                                 colour=colour, extra='font-family="monospace"'))
            else:
                rows.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" '
                            'stroke-width="1.6" marker-end="url(#arrow)"/>'
                            % (x1, y, x2, y + ROW, colour))
                rows.append(text((x1 + x2) // 2, y + ROW // 2 - 9,
                                 ("from %s  " % e["src"] if forged else "") + label(e),
                                 colour=colour, extra='font-family="monospace"'))
            y += ROW + 8
        elif e["kind"] == "state" and e["host"] in x:
            left = e["host"] == "a"
            colour = STATE_COLOUR.get(e["new"], "#000")
            name = e["new"]
            if e["local"].startswith("0.0.0.0:"):
                name = "listener " + name
            rows.append(text(x[e["host"]] + (-10 if left else 10), y + 4, name,
                             anchor="end" if left else "start", colour=colour,
                             extra='font-weight="bold"'))
            y += ROW - 6
        elif e["kind"] == "app" and e["host"] in x:
            left = e["host"] == "a"
            rows.append(text(x[e["host"]] + (-110 if left else 110), y + 4, e["text"],
                             anchor="end" if left else "start", size=12,
                             colour="#666666", extra='font-style="italic"'))
            y += ROW - 6
    height = y + 30
    head = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
        'font-family="sans-serif">' % (W, height),
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M 0 0 L 10 5 L 0 10 z" fill="context-stroke"/></marker></defs>',
        '<rect width="100%" height="100%" fill="white"/>',
    ] + [
        text(W // 2, 24 + 18 * i, line, size=15, extra='font-weight="bold"')
        for i, line in enumerate(titles)
    ]
    for h in ("a", "b"):
        head.append(text(x[h], top - 34, "%s  %s" % (h, hosts.get(h, "")), size=14,
                         extra='font-weight="bold"'))
        head.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333" '
                    'stroke-width="2"/>' % (x[h], top - 20, x[h], height - 10))
    with open(a.out, "w") as f:
        f.write("\n".join(head + rows + ["</svg>"]) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
