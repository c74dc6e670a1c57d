#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The state diagram of RFC 793 (Figure 6), drawn from toytcp's own table.

    statediagram.py [--top DIR] [--story NAME.json] [--title TEXT] OUT

Reads module/fsm.c's toytcp_transitions[] (every state change the module
can make, and no other) and the arrows' labels from the comments of enum
toytcp_event in module/fsm.h, and writes OUT.dot, OUT.svg and OUT.png
(Graphviz's dot). The arrows of Figure 6 are solid; the ways out that the
figure leaves out (a reset, an abort, a timeout, an ICMP error) are dashed
and lead to the CLOSED at the bottom, as Figure 6's own second CLOSED.

--story: a scenario's NAME.json (tools/transcript.py): the transitions each
host took are drawn thick in its colour (a blue, b green) and numbered in
the order they happened, e.g. "a2" for a's second; the states visited are
shaded. Which event made a change is read from the story: the segment a
host had just received, or the call its program had just made.

Every arrow carries a tooltip with its events' names (TOYTCP_EV_...), so
that the SVG can be checked against the table (tests/scenarios.py).
"""
import argparse
import json
import os
import re
import subprocess
import sys

STATES = ["CLOSED", "LISTEN", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT1",
          "FIN_WAIT2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"]
# The ways out that Figure 6 does not draw: dashed, to the bottom CLOSED.
EXCEPTIONAL = {"RCV_RST", "RCV_SYN_IN_WINDOW", "RCV_NEW_SYN", "RCV_ICMP", "ABORT",
               "GIVE_UP"}
# Figure 6's rows.
RANKS = [["CLOSED"], ["LISTEN"], ["SYN_RECV", "SYN_SENT"], ["ESTABLISHED"],
         ["FIN_WAIT1", "CLOSE_WAIT"], ["FIN_WAIT2", "CLOSING", "LAST_ACK"],
         ["TIME_WAIT"], ["CLOSED_END"]]
HOST_COLOUR = {"a": "#1f4e99", "b": "#1b7f3a"}
HOST_FILL = {"a": "#dce6f5", "b": "#dcf0e1", "ab": "#e8eef0"}
F_FIN, F_SYN, F_RST, F_ACK = 0x001, 0x002, 0x004, 0x010


def read_events(fsm_h):
    """enum toytcp_event: [(NAME, label)] in order."""
    text = open(fsm_h).read()
    body = re.search(r"enum toytcp_event \{(.*?)\};", text, re.S)
    if not body:
        sys.exit("statediagram: no enum toytcp_event in %s" % fsm_h)
    events = re.findall(r"TOYTCP_EV_(\w+),\s*/\* (.*?) \*/", body.group(1))
    if not events:
        sys.exit("statediagram: enum toytcp_event has no labelled events")
    return events


def read_transitions(fsm_c):
    """toytcp_transitions[]: [(from, event, to)], checked for sense."""
    text = open(fsm_c).read()
    body = re.search(r"toytcp_transitions\[\] = \{(.*?)\n\};", text, re.S)
    if not body:
        sys.exit("statediagram: no toytcp_transitions[] in %s" % fsm_c)
    rows = re.findall(r"\{\s*TOYTCP_(\w+),\s*TOYTCP_EV_(\w+),\s*TOYTCP_(\w+)\s*\}",
                      body.group(1))
    seen = set()
    for frm, ev, to in rows:
        if frm not in STATES or to not in STATES:
            sys.exit("statediagram: unknown state in {%s, %s, %s}" % (frm, ev, to))
        if (frm, ev) in seen:
            sys.exit("statediagram: two arrows for %s in %s" % (ev, frm))
        seen.add((frm, ev))
    return rows


def node(state, ev):
    """The diagram's node an arrow ends at: a second CLOSED at the bottom for
    all but the CLOSE of a connection that never got going."""
    if state == "CLOSED" and ev != "CLOSE":
        return "CLOSED_END"
    return state


def cause_events(rx_flags, call):
    """The events a received segment's flags, or a program's call, can be."""
    if rx_flags is not None:
        if rx_flags & F_RST:
            return ["RCV_RST"]
        evs = []
        if rx_flags & F_SYN:
            if rx_flags & F_ACK:
                return ["RCV_SYN_ACK"]
            evs += ["RCV_SYN", "RCV_SYN_IN_WINDOW", "RCV_NEW_SYN"]
        if rx_flags & F_ACK:
            evs += ["RCV_ACK_OF_SYN", "RCV_ACK_OF_FIN"]
        if rx_flags & F_FIN:
            evs += ["RCV_FIN"]
        return evs
    word = call.split("(")[0]
    return {"listen": ["PASSIVE_OPEN"], "connect": ["ACTIVE_OPEN"],
            "close": ["CLOSE", "ABORT"], "shutdown": ["CLOSE"],
            "abort": ["ABORT"]}.get(word, [])


def paths(table, old, new):
    """The ways from old to new in one or two arrows: [[event, ...]]."""
    out = [[ev] for (f, ev), t in table.items() if f == old and t == new]
    for (f, ev1), mid in table.items():
        if f == old and mid != new:
            out += [[ev1, ev2] for (f2, ev2), t in table.items()
                    if f2 == mid and t == new]
    return out


def taken(story, table):
    """[(host, n, from, event, to)]: the arrows the story's hosts took."""
    steps, count, last = [], {}, {}
    for e in story:
        if e["kind"] == "segment":
            last[e["to"]] = ("rx", e["time"], e["flags"], "")
        elif e["kind"] == "app":
            last[e["host"]] = ("app", e["time"], None, e["text"])
        elif e["kind"] == "state":
            host = e["host"]
            cause = last.get(host)
            recent = cause and e["time"] - cause[1] < 0.25
            hint = cause_events(cause[2], cause[3]) if recent else \
                ["TIMEOUT_2MSL", "GIVE_UP"]
            ways = paths(table, e["old"], e["new"])
            if not ways:
                sys.exit("statediagram: %s went %s -> %s, which no arrow of "
                         "the table draws" % (host, e["old"], e["new"]))
            # The way whose events the cause explains best; then the shortest.
            way = max(ways, key=lambda w: (sum(ev in hint for ev in w), -len(w)))
            state = e["old"]
            for ev in way:
                count[host] = count.get(host, 0) + 1
                nxt = table[(state, ev)]
                steps.append((host, count[host], state, ev, nxt))
                state = nxt
    return steps


def legend(label, rows):
    """What the dashed arrows are: each event Figure 6 leaves out, and the
    states it ends, as the table has them."""
    lines = ["dashed, to CLOSED:"]
    for ev in sorted({ev for _, ev, _ in rows if ev in EXCEPTIONAL},
                     key=list(label).index):
        froms = [f for f, e, _ in rows if e == ev]
        where = "every state but %s" % ", ".join(s for s in STATES if s not in froms) \
            if len(froms) > 5 else ", ".join(froms)
        lines.append("%s: %s" % (label[ev], where))
    return "\\l".join(lines) + "\\l"


def dot_source(events, rows, steps, title):
    label = dict(events)
    # One arrow per pair of nodes, with every event that takes it.
    arrows = {}
    for frm, ev, to in rows:
        arrows.setdefault((frm, node(to, ev), ev in EXCEPTIONAL), []).append(ev)
    lit = {}
    visited = {}
    for host, n, frm, ev, to in steps:
        lit.setdefault((frm, node(to, ev), ev in EXCEPTIONAL), []).append((host, n, ev))
        for s in (frm, node(to, ev)):
            visited[s] = "".join(sorted(set(visited.get(s, "") + host)))
    out = ["digraph toytcp {",
           '  graph [fontname="DejaVu Sans", nodesep=0.6, ranksep=0.55, '
           'newrank=true, labelloc=t, fontsize=16, label="%s"];' % title,
           '  node [fontname="DejaVu Sans", shape=box, style="rounded,filled", '
           'fillcolor=white, fontsize=13, width=1.5];',
           '  edge [fontname="DejaVu Sans", fontsize=10];']
    for s in STATES + ["CLOSED_END"]:
        name = "CLOSED" if s == "CLOSED_END" else s
        fill = HOST_FILL.get(visited.get(s, ""), "white")
        out.append('  %s [label="%s", fillcolor="%s"];' % (s, name, fill))
    for rank in RANKS:
        out.append("  { rank=same; %s }" % "; ".join(rank))
    for (frm, to, dashed), evs in sorted(arrows.items()):
        texts = [label[ev] for ev in evs]
        attrs = ['tooltip="%s"' % " ".join("TOYTCP_EV_" + ev for ev in evs)]
        marks = lit.get((frm, to, dashed), [])
        if dashed:
            attrs += ["style=dashed"]
            colour = "#999999"
            text = ""	# the legend below says which
        else:
            colour = "#333333"
            text = "\\n".join(texts)
        if marks:
            hosts = sorted({m[0] for m in marks})
            colour = ":".join(HOST_COLOUR[h] for h in hosts)
            if dashed:
                text = "\\n".join(sorted({label[m[2]] for m in marks}))
            text += "\\n[%s]" % " ".join("%s%d" % m[:2] for m in marks)
            attrs += ["penwidth=2.6", 'fontcolor="%s"' % HOST_COLOUR[hosts[0]]]
        attrs += ['color="%s"' % colour, 'label="%s"' % text]
        if to == "CLOSED" and frm != "CLOSED":
            attrs.append("constraint=false")
        out.append("  %s -> %s [%s];" % (frm, to, ", ".join(attrs)))
    out.append('  legend [shape=plaintext, style="", fontsize=10, label="%s"];'
               % legend(label, rows))
    out.append("  CLOSED_END -> legend [style=invis];")
    out.append("}")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", help="OUT: writes OUT.dot, OUT.svg, OUT.png")
    ap.add_argument("--top", default=os.path.join(os.path.dirname(__file__), "..", ".."))
    ap.add_argument("--story", help="a scenario's JSON (tools/transcript.py)")
    ap.add_argument("--title", default="toytcp's state diagram (module/fsm.c)")
    args = ap.parse_args()

    events = read_events(os.path.join(args.top, "module", "fsm.h"))
    rows = read_transitions(os.path.join(args.top, "module", "fsm.c"))
    known = {ev for ev, _ in events}
    for frm, ev, to in rows:
        if ev not in known:
            sys.exit("statediagram: event %s has no label in fsm.h" % ev)
    steps = []
    if args.story:
        table = {(f, ev): t for f, ev, t in rows}
        steps = taken(json.load(open(args.story))["story"], table)
        for host, n, frm, ev, to in steps:
            print("%s%d %s -> %s (%s)" % (host, n, frm, to, dict(events)[ev]))
    with open(args.out + ".dot", "w") as f:
        f.write(dot_source(events, rows, steps, args.title.replace('"', "'")))
    for fmt in ("svg", "png"):
        subprocess.run(["dot", "-T" + fmt, "-o", "%s.%s" % (args.out, fmt),
                        args.out + ".dot"], check=True)


if __name__ == "__main__":
    main()
