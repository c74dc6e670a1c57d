#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""One scenario's story, in time order: what the programs called, every
segment that crossed the link, and each side's state changes.

    transcript.py --pcap FILE --hosts a=10.0.0.1,b=10.0.0.2 [--far-pcap FILE]
                  [--trace FILE] [--trace-offset S] [--events FILE]
                  [--json FILE]

--pcap: a capture of the link (tcpdump -w), decoded by tshark with
SPEC §1's `-d ip.proto==253,tcp`. Each segment is printed in the two
notations the TCP articles use: Wireshark's, with sequence numbers
relative to each side's ISN (`[SYN] Seq=0`), and tcpdump's, absolute
(`Flags [S], seq 3626544836`).

--far-pcap: a capture at the other end of the link (b's side, where
--pcap was taken at a's): a segment one side sent that the other side's
capture never saw was lost on the way. It is told with "lost", and a lost
segment of b's, which a's capture cannot show, is taken from this one.

--trace: the toytcp:toytcp_set_state tracepoint's lines (the trace file,
its clock `tai`); --trace-offset: CLOCK_TAI minus CLOCK_REALTIME, in
seconds, so that the trace's times line up with the capture's.

--events: lines "TIME HOST TEXT" (TIME in seconds since the epoch), what
the programs did, written by the scenario.

--json: the same story as a list of events, for the pictures.
"""
import argparse
import json
import re
import subprocess
import sys

FIELDS = ["frame.time_epoch", "ip.src", "tcp.srcport", "ip.dst", "tcp.dstport",
          "tcp.flags", "tcp.seq", "tcp.seq_raw", "tcp.ack", "tcp.ack_raw",
          "tcp.len", "tcp.window_size_value", "tcp.options.mss_val",
          "tcp.analysis.retransmission", "tcp.analysis.duplicate_ack",
          "tcp.analysis.keep_alive", "tcp.analysis.zero_window"]
# tcp.flags bits, as Wireshark names them in its Info column, in its order.
WS_FLAGS = [(0x002, "SYN"), (0x008, "PSH"), (0x001, "FIN"), (0x004, "RST"),
            (0x010, "ACK"), (0x020, "URG"), (0x040, "ECE"), (0x080, "CWR")]
# ... and as tcpdump prints them: S F P R . (ACK) U E W.
TD_FLAGS = [(0x002, "S"), (0x001, "F"), (0x008, "P"), (0x004, "R"),
            (0x020, "U"), (0x040, "E"), (0x080, "W"), (0x010, ".")]
TRACE_RE = re.compile(r"\s(\d+\.\d+): toytcp_set_state: local=(\S+) remote=(\S+) "
                      r"(\w+) -> (\w+)")


def segments(pcap):
    """The capture's segments as dicts, decoded by tshark."""
    cmd = ["tshark", "-r", pcap, "-n", "-d", "ip.proto==253,tcp",
           "-o", "tcp.relative_sequence_numbers:TRUE", "-Y", "ip.proto == 253",
           "-T", "fields", "-E", "separator=|", "-E", "occurrence=f"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    segs = []
    for line in out.splitlines():
        v = dict(zip(FIELDS, line.split("|")))
        segs.append({
            "time": float(v["frame.time_epoch"]),
            "src": "%s:%s" % (v["ip.src"], v["tcp.srcport"]),
            "dst": "%s:%s" % (v["ip.dst"], v["tcp.dstport"]),
            "flags": int(v["tcp.flags"], 16),
            "seq": int(v["tcp.seq"]), "seq_raw": int(v["tcp.seq_raw"]),
            "ack": int(v["tcp.ack"] or 0), "ack_raw": int(v["tcp.ack_raw"] or 0),
            "len": int(v["tcp.len"]), "win": int(v["tcp.window_size_value"]),
            "mss": int(v["tcp.options.mss_val"]) if v["tcp.options.mss_val"] else None,
            "analysis": [n for n, f in (("TCP Retransmission", "tcp.analysis.retransmission"),
                                        ("TCP Dup ACK", "tcp.analysis.duplicate_ack"),
                                        ("TCP Keep-Alive", "tcp.analysis.keep_alive"),
                                        ("TCP ZeroWindow", "tcp.analysis.zero_window"))
                         if v[f]],
        })
    return segs


def seg_key(s):
    return (s["src"], s["dst"], s["flags"], s["seq_raw"], s["ack_raw"], s["len"])


def mark_lost(near, far, near_host_addr):
    """Compare the two ends' captures: each segment sent from the near end
    that the far end never saw, and each sent from the far end that the
    near end never saw, is lost. Returns near's segments, and far's lost
    ones, each with "lost" set. A segment is matched to the first unmatched
    one alike (same ends, flags, numbers, length) captured within a second
    after it was sent: a retransmission looks the same as its original."""
    def match(sent, seen):
        free = list(seen)
        for s in sent:
            s["lost"] = True
            for i, o in enumerate(free):
                if seg_key(o) == seg_key(s) and -0.05 <= o["time"] - s["time"] < 1.0:
                    s["lost"] = False
                    del free[i]
                    break
    mine = [s for s in near if s["src"].rsplit(":", 1)[0] == near_host_addr]
    theirs = [s for s in far if s["src"].rsplit(":", 1)[0] != near_host_addr]
    match(mine, far)
    match(theirs, near)
    for s in near:
        s.setdefault("lost", False)
    return near + [s for s in theirs if s["lost"]]


def wireshark(s):
    """Wireshark's Info column for the segment: relative numbers."""
    names = [n for bit, n in WS_FLAGS if s["flags"] & bit]
    text = "[%s] Seq=%d" % (", ".join(names), s["seq"])
    if s["flags"] & 0x010:
        text += " Ack=%d" % s["ack"]
    text += " Win=%d Len=%d" % (s["win"], s["len"])
    if s["mss"]:
        text += " MSS=%d" % s["mss"]
    return "".join("[%s] " % a for a in s["analysis"]) + text


def tcpdump(s):
    """tcpdump's line for the segment: absolute numbers."""
    flags = "".join(c for bit, c in TD_FLAGS if s["flags"] & bit)
    text = "Flags [%s], seq %d" % (flags, s["seq_raw"])
    if s["len"]:
        text += ":%d" % ((s["seq_raw"] + s["len"]) & 0xFFFFFFFF)
    if s["flags"] & 0x010:
        text += ", ack %d" % s["ack_raw"]
    text += ", win %d" % s["win"]
    if s["mss"]:
        text += ", options [mss %d]" % s["mss"]
    return text + ", length %d" % s["len"]


def trace(path, offset):
    """State changes: (time, local, remote, old, new)."""
    out = []
    with open(path) as f:
        for line in f:
            m = TRACE_RE.search(line)
            if m:
                out.append((float(m.group(1)) - offset,) + m.groups()[1:])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pcap", required=True)
    ap.add_argument("--far-pcap")
    ap.add_argument("--hosts", required=True)
    ap.add_argument("--trace")
    ap.add_argument("--trace-offset", type=float, default=0.0)
    ap.add_argument("--events")
    ap.add_argument("--json")
    a = ap.parse_args()
    hosts = dict(h.split("=") for h in a.hosts.split(","))
    name_of = {addr: name for name, addr in hosts.items()}

    segs = segments(a.pcap)
    if a.far_pcap:
        segs = mark_lost(segs, segments(a.far_pcap), hosts["a"])
    # A listener's trace says 0.0.0.0:PORT: its host is the one whose
    # address carries PORT in the capture (the SYN's destination first).
    port_host = {}
    for s in sorted(segs, key=lambda s: not s["flags"] & 0x002):
        for ep in (s["dst"], s["src"]):
            addr, port = ep.rsplit(":", 1)
            if addr in name_of:
                port_host.setdefault(port, name_of[addr])

    def who(endpoint):
        addr, port = endpoint.rsplit(":", 1)
        if addr == "0.0.0.0":
            return port_host.get(port, endpoint)
        return name_of.get(addr, endpoint)

    story = []
    for s in segs:
        story.append(dict(s, kind="segment", frm=who(s["src"]), to=who(s["dst"]),
                          wireshark=wireshark(s), tcpdump=tcpdump(s)))
    if a.trace:
        for t, local, remote, old, new in trace(a.trace, a.trace_offset):
            story.append({"kind": "state", "time": t, "host": who(local),
                          "local": local, "remote": remote, "old": old, "new": new})
    if a.events:
        with open(a.events) as f:
            for line in f:
                t, host, text = line.rstrip("\n").split(" ", 2)
                story.append({"kind": "app", "time": float(t), "host": host, "text": text})
    # A sort that keeps the order of equal times: app, then state, then
    # segment, as one host's clock runs them.
    rank = {"app": 0, "state": 1, "segment": 2}
    story.sort(key=lambda e: (e["time"], rank[e["kind"]]))
    t0 = story[0]["time"] if story else 0.0
    for e in story:
        ms = (e["time"] - t0) * 1000
        if e["kind"] == "segment":
            print("%9.3f  %s > %s  %s" % (ms, e["frm"], e["to"], e["wireshark"]))
            print("%9s  %5s  %s" % ("", "", e["tcpdump"]))
            if e.get("lost"):
                print("%9s  %5s  %s" % ("", "", "LOST: %s never received it" % e["to"]))
        elif e["kind"] == "state":
            print("%9.3f  %-5s  %s %s -> %s" % (ms, e["host"], "state", e["old"], e["new"]))
        else:
            print("%9.3f  %-5s  %s %s" % (ms, e["host"], "app  ", e["text"]))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"hosts": hosts, "story": story}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
