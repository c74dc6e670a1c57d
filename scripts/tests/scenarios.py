#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check what a scenario (scripts/scenarios/) really did, from its story.

    scenarios.py DIR NAME

DIR/NAME.json is the story transcript.py made of the capture, the trace
and the programs' calls; DIR/transcript its printed form. Each scenario's
check asserts the segments (flags, relative and absolute numbers), each
side's state changes, and their order against the programs' calls.
Prints "ok NAME" or exits non-zero saying what is wrong.
"""
import json
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


def main():
    d, name = sys.argv[1:3]
    st = Story(f"{d}/{name}.json")
    with open(f"{d}/transcript") as f:
        text = f.read()
    for notation in ("[SYN] Seq=0", "Flags [S], seq "):
        eq(f"the transcript shows '{notation}'", notation in text, True)
    globals()["check_" + name.replace("-", "_")](st)
    print(f"ok {name}: {len(st.segs)} segments, "
          f"{sum(e['kind'] == 'state' for e in st.events)} state changes")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as e:
        sys.exit(f"FAIL {sys.argv[2]}: {e}")
