#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check what a scenario (scripts/scenarios/) really did, from its story.

    scenarios.py DIR NAME

DIR/NAME.json is the story transcript.py made of the capture, the trace
and the programs' calls; DIR/transcript its printed form. Each scenario's
check asserts the segments (flags, relative and absolute numbers), each
side's state changes, and their order against the programs' calls.
It also checks the state diagram drawn for the scenario
(NAME-states.svg, tools/statediagram.py) against module/fsm.c's table of
transitions, read here on its own: every transition is an arrow of the
picture, and every state change of the story is an arrow drawn in its
host's colour. Prints "ok NAME" or exits non-zero saying what is wrong.
"""
import json
import os
import re
import sys

SYN, FIN, RST, PSH, ACK = 0x002, 0x001, 0x004, 0x008, 0x010


class Story:
    def __init__(self, path):
        with open(path) as f:
            self.events = json.load(f)["story"]
        self.segs = [e for e in self.events if e["kind"] == "segment"]

    def states(self, host, listener=False):
        """HOST's state changes: its connection's, or its listener's."""
        return [(e["old"], e["new"]) for e in self.events
                if e["kind"] == "state" and e["host"] == host and
                e["local"].startswith("0.0.0.0:") == listener]

    def index(self, pred, what):
        for i, e in enumerate(self.events):
            if pred(e):
                return i
        raise AssertionError("not in the story: " + what)

    def state_at(self, host, new):
        return self.index(lambda e: e["kind"] == "state" and e["host"] == host
                          and e["new"] == new, f"{host} entering {new}")

    def app_at(self, host, text):
        return self.index(lambda e: e["kind"] == "app" and e["host"] == host
                          and e["text"].startswith(text), f"{host}: {text}")

    def seg_at(self, seg):
        return self.events.index(seg)

    def find_with(self, frm, bit, start=0):
        """The first segment from FRM with BIT among its flags."""
        for s in self.segs[start:]:
            if s["frm"] == frm and s["flags"] & bit:
                return s
        raise AssertionError(f"no segment from {frm} with flag {bit:#x}")

    def find(self, frm, flags, start=0, data=None):
        """The first segment from FRM with exactly FLAGS (and payload)."""
        for s in self.segs[start:]:
            if s["frm"] == frm and s["flags"] == flags and \
               (data is None or (s["len"] > 0) == data):
                return s
        raise AssertionError(f"no segment from {frm} with flags {flags:#x}")


def eq(what, got, want):
    if got != want:
        raise AssertionError(f"{what}: got {got!r}, want {want!r}")


def before(what, i, j):
    if not i < j:
        raise AssertionError(f"{what}: out of order")


def handshake(st, client="a", server="b"):
    """The three segments of the handshake, checked; returns them."""
    syn = st.find(client, SYN)
    synack = st.find(server, SYN | ACK)
    ack = st.find(client, ACK, st.segs.index(synack))
    eq("SYN relative", (syn["seq"], syn["len"], syn["mss"]), (0, 0, 1460))
    eq("SYN+ACK relative", (synack["seq"], synack["ack"], synack["mss"]), (0, 1, 1460))
    eq("ACK relative", (ack["seq"], ack["ack"]), (1, 1))
    eq("SYN+ACK acknowledges x+1", synack["ack_raw"], (syn["seq_raw"] + 1) % 2**32)
    eq("ACK: seq x+1", ack["seq_raw"], (syn["seq_raw"] + 1) % 2**32)
    eq("ACK acknowledges y+1", ack["ack_raw"], (synack["seq_raw"] + 1) % 2**32)
    return syn, synack, ack


def check_handshake(st):
    syn, synack, ack = handshake(st)
    eq("a's states", st.states("a"), [("CLOSED", "SYN_SENT"), ("SYN_SENT", "ESTABLISHED")])
    eq("b's listener", st.states("b", listener=True), [("CLOSED", "LISTEN")])
    eq("b's states", st.states("b"), [("LISTEN", "SYN_RECV"), ("SYN_RECV", "ESTABLISHED")])
    before("connect() sends the SYN", st.app_at("a", "connect("), st.seg_at(syn))
    before("SYN_SENT, then the SYN", st.state_at("a", "SYN_SENT"), st.seg_at(syn))
    before("the SYN makes b SYN_RECV", st.seg_at(syn), st.state_at("b", "SYN_RECV"))
    before("the SYN+ACK makes a ESTABLISHED", st.seg_at(synack),
           st.state_at("a", "ESTABLISHED"))
    before("connect() returns once ESTABLISHED", st.state_at("a", "ESTABLISHED"),
           st.app_at("a", "connect() returned"))
    before("the ACK makes b ESTABLISHED", st.seg_at(ack), st.state_at("b", "ESTABLISHED"))
    before("accept() returns once ESTABLISHED", st.state_at("b", "ESTABLISHED"),
           st.app_at("b", "accept() returned"))
    eq("segments", len(st.segs), 3)


def check_data(st):
    handshake(st)
    a1 = st.find("a", PSH | ACK)
    eq("a's first data", (a1["seq"], a1["len"]), (1, 106))
    b1 = st.find("b", PSH | ACK)
    eq("b's first data", (b1["seq"], b1["len"]), (1, 300))
    a2 = st.find("a", PSH | ACK, st.segs.index(a1) + 1)
    eq("a's next data: seq 107, 100 bytes", (a2["seq"], a2["len"]), (107, 100))
    acks = [s for s in st.segs[st.segs.index(a2) + 1:] if s["frm"] == "b"]
    eq("b acknowledges 207", any(s["ack"] == 207 for s in acks), True)
    b2 = st.find("b", PSH | ACK, st.segs.index(b1) + 1)
    eq("b's next data: seq 301, 200 bytes", (b2["seq"], b2["len"]), (301, 200))
    acks = [s for s in st.segs[st.segs.index(b2) + 1:] if s["frm"] == "a"]
    eq("a acknowledges 501", any(s["ack"] == 501 for s in acks), True)
    eq("absolute: 107 is x+107", a2["seq_raw"], (a1["seq_raw"] + 106) % 2**32)
    eq("no retransmission", [s for s in st.segs if s["analysis"]], [])


def check_close_client(st):
    handshake(st)
    fin_a = st.find("a", FIN | ACK)
    ack_b = st.find("b", ACK, st.segs.index(fin_a))
    fin_b = st.find("b", FIN | ACK)
    ack_a = st.find("a", ACK, st.segs.index(fin_b))
    eq("b ACKs m+1", ack_b["ack_raw"], (fin_a["seq_raw"] + 1) % 2**32)
    eq("b's FIN ACKs m+1 too", fin_b["ack_raw"], (fin_a["seq_raw"] + 1) % 2**32)
    eq("a's last ACK: seq m+1, ack n+1", (ack_a["seq_raw"], ack_a["ack_raw"]),
       ((fin_a["seq_raw"] + 1) % 2**32, (fin_b["seq_raw"] + 1) % 2**32))
    eq("a's states", st.states("a")[2:], [
        ("ESTABLISHED", "FIN_WAIT1"), ("FIN_WAIT1", "FIN_WAIT2"),
        ("FIN_WAIT2", "TIME_WAIT"), ("TIME_WAIT", "CLOSED")])
    eq("b's states", st.states("b")[2:], [
        ("ESTABLISHED", "CLOSE_WAIT"), ("CLOSE_WAIT", "LAST_ACK"), ("LAST_ACK", "CLOSED")])
    before("a's close() sends the FIN", st.app_at("a", "close()"), st.seg_at(fin_a))
    before("b's recv() returns 0 in CLOSE_WAIT", st.state_at("b", "CLOSE_WAIT"),
           st.app_at("b", "recv() returned 0"))
    before("b's FIN waits for its program's close()", st.app_at("b", "close()"),
           st.seg_at(fin_b))
    tw = st.events[st.state_at("a", "TIME_WAIT")]["time"]
    gone = st.events[st.state_at("a", "CLOSED")]["time"]
    eq("TIME_WAIT lasts 2 x msl_ms (2 s)", 1.9 < gone - tw < 3.0, True)


def check_refused(st):
    syn = st.find("a", SYN)
    rst = st.find("b", RST | ACK)
    eq("RST+ACK acknowledges the SYN", rst["ack_raw"], (syn["seq_raw"] + 1) % 2**32)
    eq("a's states", st.states("a"), [("CLOSED", "SYN_SENT"), ("SYN_SENT", "CLOSED")])
    eq("b has no connection", st.states("b"), [])
    before("the RST ends it", st.seg_at(rst), st.state_at("a", "CLOSED"))
    before("then connect() fails", st.state_at("a", "CLOSED"),
           st.app_at("a", "connect failed: ECONNREFUSED"))


def check_close_server(st):
    handshake(st)
    reply = st.find_with("b", PSH)
    eq("b's answer", reply["len"], 6)
    fin_b = st.find_with("b", FIN)
    fin_a = st.find_with("a", FIN)
    eq("a's FIN acknowledges b's", fin_a["ack_raw"],
       (fin_b["seq_raw"] + fin_b["len"] + 1) % 2**32)
    eq("b's states", st.states("b")[2:], [
        ("ESTABLISHED", "FIN_WAIT1"), ("FIN_WAIT1", "FIN_WAIT2"),
        ("FIN_WAIT2", "TIME_WAIT"), ("TIME_WAIT", "CLOSED")])
    eq("a's states", st.states("a")[2:], [
        ("ESTABLISHED", "CLOSE_WAIT"), ("CLOSE_WAIT", "LAST_ACK"), ("LAST_ACK", "CLOSED")])
    before("b's close() sends its FIN", st.app_at("b", "close()"), st.seg_at(fin_b))
    before("a's recv() returns 0 in CLOSE_WAIT", st.state_at("a", "CLOSE_WAIT"),
           st.app_at("a", "recv() returned 0"))
    before("a's FIN waits for its program's close()", st.app_at("a", "close()"),
           st.seg_at(fin_a))


def check_half_close(st):
    handshake(st)
    fin_a = st.find_with("a", FIN)
    answer = st.find_with("b", PSH, st.segs.index(fin_a))
    eq("b's answer after a's FIN", answer["len"], 300)
    acks = [s for s in st.segs[st.segs.index(answer) + 1:] if s["frm"] == "a"]
    eq("a, half-closed, acknowledges the answer",
       any(s["ack_raw"] == (answer["seq_raw"] + 300) % 2**32 for s in acks), True)
    fin_b = st.find_with("b", FIN)
    before("b's FIN after its answer", st.seg_at(answer), st.seg_at(fin_b))
    before("b answers in CLOSE_WAIT", st.state_at("b", "CLOSE_WAIT"), st.seg_at(answer))
    before("a takes it in FIN_WAIT2", st.state_at("a", "FIN_WAIT2"),
           st.app_at("a", "recv() returned 300 bytes"))
    before("shutdown() sends a's FIN", st.app_at("a", "shutdown(SHUT_WR)"), st.seg_at(fin_a))
    eq("a's states", st.states("a")[2:], [
        ("ESTABLISHED", "FIN_WAIT1"), ("FIN_WAIT1", "FIN_WAIT2"),
        ("FIN_WAIT2", "TIME_WAIT"), ("TIME_WAIT", "CLOSED")])
    eq("b's states", st.states("b")[2:], [
        ("ESTABLISHED", "CLOSE_WAIT"), ("CLOSE_WAIT", "LAST_ACK"), ("LAST_ACK", "CLOSED")])


def check_reset(st):
    handshake(st)
    rst = st.find_with("a", RST)
    eq("one segment after the handshake, the RST", st.segs[3:], [rst])
    eq("a's states", st.states("a")[2:], [("ESTABLISHED", "CLOSED")])
    eq("b's states", st.states("b")[2:], [("ESTABLISHED", "CLOSED")])
    before("close() with SO_LINGER 0 sends it", st.app_at("a", "close()"), st.seg_at(rst))
    before("the RST ends b's connection", st.seg_at(rst), st.state_at("b", "CLOSED"))
    st.app_at("b", "recv failed: ECONNRESET")


def check_simultaneous_close(st):
    handshake(st)
    fin_a = st.find_with("a", FIN)
    fin_b = st.find_with("b", FIN)
    for h, other in (("a", fin_b), ("b", fin_a)):
        eq(f"{h}'s states", st.states(h)[-4:], [
            ("ESTABLISHED", "FIN_WAIT1"), ("FIN_WAIT1", "CLOSING"),
            ("CLOSING", "TIME_WAIT"), ("TIME_WAIT", "CLOSED")])
    eq("a's FIN does not acknowledge b's (they crossed)", fin_a["ack_raw"],
       fin_b["seq_raw"])
    eq("nor b's a's", fin_b["ack_raw"], fin_a["seq_raw"])


def check_lost_final_ack(st):
    handshake(st)
    fin_a = st.find_with("a", FIN)
    fin_b = st.find_with("b", FIN)
    again = st.find_with("b", FIN, st.segs.index(fin_b) + 1)
    eq("b's FIN sent again, the same", (again["seq_raw"], again["ack_raw"]),
       (fin_b["seq_raw"], fin_b["ack_raw"]))
    eq("b's second FIN is a retransmission to Wireshark",
       "TCP Retransmission" in again["analysis"], True)
    acks = [s for s in st.segs[st.segs.index(fin_b):] if s["frm"] == "a"]
    eq("a's answers to b's FINs", [(s["flags"], s["seq"], s["ack"], s["lost"])
                                   for s in acks],
       [(ACK, 2, 2, True), (ACK, 2, 2, False)])
    eq("nothing else was lost", sum(s["lost"] for s in st.segs), 1)
    eq("a's states", st.states("a"), [
        ("CLOSED", "SYN_SENT"), ("SYN_SENT", "ESTABLISHED"),
        ("ESTABLISHED", "FIN_WAIT1"), ("FIN_WAIT1", "FIN_WAIT2"),
        ("FIN_WAIT2", "TIME_WAIT"), ("TIME_WAIT", "CLOSED")])
    eq("b's states", st.states("b")[-3:], [
        ("ESTABLISHED", "CLOSE_WAIT"), ("CLOSE_WAIT", "LAST_ACK"),
        ("LAST_ACK", "CLOSED")])
    before("b stays in LAST_ACK until the second ACK", st.seg_at(acks[1]),
           st.index(lambda e: e["kind"] == "state" and e["host"] == "b" and
                    e["old"] == "LAST_ACK", "b leaving LAST_ACK"))
    before("a's FIN first", st.seg_at(fin_a), st.seg_at(fin_b))
    # TIME_WAIT is 2 x msl_ms = 4 s, counted again from the second ACK.
    gone = st.events[st.index(lambda e: e["kind"] == "state" and e["host"] == "a"
                              and e["new"] == "CLOSED", "a closing")]["time"]
    since = (gone - acks[0]["time"], gone - acks[1]["time"])
    if not (since[1] > 3.9 and since[0] > since[1] + 1):
        raise AssertionError("a's TIME_WAIT ended %.2f s after its first ACK and "
                             "%.2f s after its second: the 4 s were not counted "
                             "again" % since)


def check_simultaneous_open(st):
    syn_a, syn_b = st.find("a", SYN), st.find("b", SYN)
    sa_a, sa_b = st.find("a", SYN | ACK), st.find("b", SYN | ACK)
    for syn in (syn_a, syn_b):
        for sa in (sa_a, sa_b):
            before("both SYNs before either SYN,ACK", st.seg_at(syn), st.seg_at(sa))
    eq("a's SYN,ACK: its own ISN again, b's ISN + 1",
       (sa_a["seq_raw"], sa_a["ack_raw"]),
       (syn_a["seq_raw"], (syn_b["seq_raw"] + 1) & 0xFFFFFFFF))
    eq("b's SYN,ACK likewise", (sa_b["seq_raw"], sa_b["ack_raw"]),
       (syn_b["seq_raw"], (syn_a["seq_raw"] + 1) & 0xFFFFFFFF))
    for h in ("a", "b"):
        eq(f"{h}'s opening", st.states(h)[:3], [
            ("CLOSED", "SYN_SENT"), ("SYN_SENT", "SYN_RECV"),
            ("SYN_RECV", "ESTABLISHED")])
        eq(f"{h} has no listener", st.states(h, listener=True), [])
        before(f"{h}'s connect() returns once ESTABLISHED",
               st.state_at(h, "ESTABLISHED"), st.app_at(h, "connect() returned 0"))
    eq("a's states, closing", st.states("a")[3:], [
        ("ESTABLISHED", "FIN_WAIT1"), ("FIN_WAIT1", "FIN_WAIT2"),
        ("FIN_WAIT2", "TIME_WAIT"), ("TIME_WAIT", "CLOSED")])


def check_keepalive(st):
    handshake(st)
    probes = [s for s in st.segs if s["frm"] == "a" and s["flags"] == ACK and
              "TCP Keep-Alive" in s["analysis"]]
    answers = [s for s in st.segs if s["frm"] == "b" and s["flags"] == ACK and
               st.segs.index(s) > st.segs.index(probes[0])]
    eq("a's probes: one below SND.NXT, no data", {(s["seq"], s["len"]) for s in probes},
       {(0, 0)})
    answered = len(probes) - 3
    if answered < 2:
        raise AssertionError(f"{len(probes)} probes: want 2 or more answered, then 3")
    eq("b answers each (the last three lost on the way)",
       [s["lost"] for s in answers], [False] * answered + [True] * 3)
    for p, q in zip(probes, probes[1:]):
        gap = q["time"] - p["time"]
        if not 0.8 < gap < 1.5:
            raise AssertionError(f"probes {gap:.2f} s apart, want 1 s (TCP_KEEPINTVL)")
    rst = st.find_with("a", RST)
    before("the reset after the last probe", st.seg_at(probes[-1]), st.seg_at(rst))
    eq("a's reset: SND.NXT, RCV.NXT", (rst["seq"], rst["ack"]), (1, 1))
    eq("a's states", st.states("a"), [
        ("CLOSED", "SYN_SENT"), ("SYN_SENT", "ESTABLISHED"), ("ESTABLISHED", "CLOSED")])
    eq("b's states", st.states("b"), [
        ("LISTEN", "SYN_RECV"), ("SYN_RECV", "ESTABLISHED"), ("ESTABLISHED", "CLOSED")])
    st.app_at("a", "eof failed: ETIMEDOUT")
    st.app_at("b", "eof failed: ECONNRESET")


def check_syn_flood(st):
    flood = [s for s in st.segs if s["src"].startswith("10.0.0.99:")]
    eq("the flood: SYNs from 10.0.0.99", [(s["flags"], s["to"]) for s in flood],
       [(SYN, "b")] * 8)
    eq("b's answers to the forged address never reach the wire",
       [s for s in st.segs if s["dst"].startswith("10.0.0.99:")], [])
    half_open = [e for e in st.events if e["kind"] == "state" and e["host"] == "b" and
                 e["remote"].startswith("10.0.0.99:") and e["new"] == "SYN_RECV"]
    eq("b keeps its backlog of half-open children, no more", len(half_open), 4)
    syn, synack, ack = handshake(st)
    made = st.index(lambda e: e["kind"] == "state" and e["host"] == "b" and
                    e["remote"] == syn["src"] and e["new"] == "SYN_RECV",
                    "b's child for a")
    before("b keeps nothing for a's SYN: the child is made by a's ACK",
           st.seg_at(ack), made)
    eq("b's states for a", [(e["old"], e["new"]) for e in st.events
                            if e["kind"] == "state" and e["remote"] == syn["src"]
                            and e["host"] == "b"][:2],
       [("LISTEN", "SYN_RECV"), ("SYN_RECV", "ESTABLISHED")])
    data = [s for s in st.segs if s["frm"] == "a" and s["len"]]
    eq("a's data", [(s["seq"], s["len"]) for s in data], [(1, 5)])
    st.app_at("b", "recv() returned 5 bytes")
    got = {}
    for e in st.events:
        if e["kind"] == "app" and e["text"].startswith("stats: "):
            name, value = e["text"].split()[1:]
            got[name] = int(value)
    eq("b's cookie counters", (got["SyncookiesSent"] >= 5, got["SyncookiesRecv"]),
       (True, 1))


# The state diagram, against the table it is drawn from.
FSM_C = os.path.join(os.path.dirname(__file__), "..", "..", "module", "fsm.c")
HOST_COLOUR = {"a": "#1f4e99", "b": "#1b7f3a"}


def fsm_table():
    """(from, event, to) of every row of toytcp_transitions[] in fsm.c."""
    with open(FSM_C) as f:
        src = f.read()
    start = src.index("toytcp_transitions[] = {")
    body = src[start:src.index("\n};", start)]
    rows = []
    for line in body.splitlines():
        line = line.split("/*")[0].strip()
        if line.startswith("{ TOYTCP_"):
            rows.append(tuple(w.strip(" \t{},").replace("TOYTCP_EV_", "").replace("TOYTCP_", "")
                              for w in line.split(",")[:3]))
    if len(rows) < 20:
        raise AssertionError(f"fsm.c: only {len(rows)} transitions read")
    return rows


def svg_edges(path):
    """[((from, to), tooltip, stroke colours)] of a dot SVG's edges."""
    with open(path) as f:
        svg = f.read()
    edges = []
    for g in re.findall(r'<g id="edge\d+" class="edge">(.*?)(?=<g id="(?:edge|node)\d+"|</svg>)',
                        svg, re.S):
        ends = re.search(r"<title>(\w+)&#45;&gt;(\w+)</title>", g)
        tip = re.search(r'xlink:title="([^"]*)"', g)
        strokes = set(re.findall(r'<path [^>]*stroke="([^"]+)"', g))
        edges.append((ends.groups(), tip.group(1) if tip else "", strokes))
    return edges


def check_state_diagram(d, name, st):
    edges = svg_edges(f"{d}/{name}-states.svg")
    table = fsm_table()
    for frm, ev, to in table:
        end = "CLOSED_END" if to == "CLOSED" and ev != "CLOSE" else to
        if not any(k == (frm, end) and "TOYTCP_EV_" + ev in tip.split()
                   for k, tip, _ in edges):
            raise AssertionError(f"state diagram: no arrow {frm} -> {to} for {ev}")
    for e in st.events:
        if e["kind"] != "state":
            continue
        # One arrow, or two for a segment that made two steps (FIN_WAIT1
        # to TIME_WAIT on a FIN that acknowledges ours).
        ends = {e["new"], "CLOSED_END" if e["new"] == "CLOSED" else e["new"]}
        ends |= {t for f, _, t in table if f == e["old"] and
                 any(f2 == t and t2 == e["new"] for f2, _, t2 in table)}
        lit = [k for k, _, strokes in edges
               if k[0] == e["old"] and k[1] in ends and HOST_COLOUR[e["host"]] in strokes]
        if not lit:
            raise AssertionError(f"state diagram: {e['host']}'s {e['old']} -> "
                                 f"{e['new']} is not drawn in its colour")


def main():
    d, name = sys.argv[1:3]
    st = Story(f"{d}/{name}.json")
    with open(f"{d}/transcript") as f:
        text = f.read()
    for notation in ("[SYN] Seq=0", "Flags [S], seq "):
        eq(f"the transcript shows '{notation}'", notation in text, True)
    globals()["check_" + name.replace("-", "_")](st)
    check_state_diagram(d, name, st)
    print(f"ok {name}: {len(st.segs)} segments, "
          f"{sum(e['kind'] == 'state' for e in st.events)} state changes")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as e:
        sys.exit(f"FAIL {sys.argv[2]}: {e}")
