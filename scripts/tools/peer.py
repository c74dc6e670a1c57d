#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Play a scripted peer against toytcp, segment by segment.

Run inside the peer's network namespace, where toytcp is disabled so that a
raw protocol-253 socket sees what the module sends. The module runs in
namespace MODNS: its /proc/toytcp files are read and written from there,
entering it with setns(2) for the moment (an `ip netns exec` per step took
a second in a busy VM, longer than some timers allow); `modsh` steps run
under `ip netns exec`.

    peer.py [--modns b] [--peer 10.0.0.1] [--module 10.0.0.2] SCRIPT

A script is one step per line; `#` starts a comment.

    ports PEER MODULE       the 4-tuple's ports (default 40001 7)
    ctl COMMAND...          write COMMAND to /proc/toytcp/ctl in MODNS
    send N                  ctl send N bytes ("y"s) on the 4-tuple
    ctlfail ERRNO COMMAND...
                            the ctl write of COMMAND fails with ERRNO
                            (a name: ENETUNREACH)
    state STATE             the connection's state in MODNS's conns
                            ("gone": not listed)
    timer NAME MIN MAX      its timer is NAME with MIN..MAX ms left
    field COLUMN VALUE      a column of its conns line is VALUE (MIN..MAX
                            for a number in a range, ~REGEX for a match, E
                            for a number: an unbound $name binds to it)
    modsh COMMAND...        run a shell command in MODNS
    stat NAME VALUE         a counter of MODNS's /proc/toytcp/stats
    sleep SECONDS
    < FLAGS [seq=E] [ack=E] [win=N] [len=N] [mss=N] [opts=HEX] [csum=bad]
            [count=N]       inject a segment from the peer; len=N adds N
                            bytes of payload; mss=N the MSS option; opts=HEX
                            raw option bytes (padded to a word); count=N
                            sends it N times, and with inc each copy
                            follows the last (SEG.SEQ + its length)
    > FLAGS [seq=E] [ack=E] [len=N] [win=N] [mss=N]
                            expect the module's next segment within 3 s;
                            fields left out are not checked
    > none [SECONDS]        expect no segment for SECONDS (default 1)
    >> FLAGS [fields]       skip the module's segments until one matches,
                            within 10 s

FLAGS are letters of "FSRPAUEC" (FIN SYN RST PSH ACK URG ECE CWR), or "."
for none. E is a number, a variable $name, $name+N / $name-N, or $name*N
(bound only); a field with an unbound variable binds it to the value seen. Every segment the
module sends is also held to SPEC §1: a SYN carries exactly one option,
MSS (data offset 6), anything else none (data offset 5). Exit status 0
when every step held; otherwise the failing line and what was seen.
"""
import argparse
import ctypes
import errno
import os
import re
import select
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import seg  # noqa: E402


CLONE_NEWNET = 0x40000000


def setns(fd):
    """Move this thread into the network namespace open at FD."""
    if hasattr(os, "setns"):
        os.setns(fd, CLONE_NEWNET)
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


class Fail(Exception):
    pass


class Peer:
    def __init__(self, a):
        self.modns, self.me, self.mod = a.modns, a.peer, a.module
        self.nsfd = self.homefd = None
        self.pport, self.mport = 40001, 7
        self.vars = {}
        self.sock = seg.sock()

    # ---- expressions ----
    def value(self, expr, seen=None):
        m = re.fullmatch(r"\$(\w+)\*(\d+)", expr)
        if m:
            if m.group(1) not in self.vars:
                raise Fail("variable $%s used before it is bound" % m.group(1))
            return (self.vars[m.group(1)] * int(m.group(2))) & 0xFFFFFFFF
        m = re.fullmatch(r"\$(\w+)(?:([+-])(\d+))?|(\d+)", expr)
        if not m:
            raise Fail("bad expression %r" % expr)
        if m.group(4):
            return int(m.group(4)) & 0xFFFFFFFF
        name, sign, n = m.group(1), m.group(2), int(m.group(3) or 0)
        off = n if sign != "-" else -n
        if name not in self.vars:
            if seen is None:
                raise Fail("variable $%s used before it is bound" % name)
            self.vars[name] = (seen - off) & 0xFFFFFFFF
        return (self.vars[name] + off) & 0xFFFFFFFF

    @staticmethod
    def fields(words):
        out = {}
        for w in words:
            k, _, v = w.partition("=")
            out[k] = v
        return out

    # ---- the module's side ----
    def modsh(self, *cmd):
        return subprocess.run(["ip", "netns", "exec", self.modns] + list(cmd),
                              capture_output=True, text=True)

    def modopen(self, path, flags):
        """Open PATH as a task of MODNS (a /proc/toytcp file shows, and
        ctl acts on, the namespace of the task that opens it)."""
        if self.nsfd is None:
            self.homefd = os.open("/proc/self/ns/net", os.O_RDONLY)
            self.nsfd = os.open("/run/netns/" + self.modns, os.O_RDONLY)
        setns(self.nsfd)
        try:
            return os.open(path, flags)
        finally:
            setns(self.homefd)

    def modread(self, name):
        """The text of /proc/toytcp/NAME in MODNS."""
        fd = self.modopen("/proc/toytcp/" + name, os.O_RDONLY)
        chunks = []
        try:
            while True:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    return b"".join(chunks).decode()
                chunks.append(chunk)
        finally:
            os.close(fd)

    def modctl(self, cmd):
        """Write CMD to MODNS's ctl: "ok", or the errno's name."""
        fd = self.modopen("/proc/toytcp/ctl", os.O_WRONLY)
        try:
            os.write(fd, (cmd + "\n").encode())
            return "ok"
        except OSError as e:
            return errno.errorcode[e.errno]
        finally:
            os.close(fd)

    def conn_line(self):
        """The connection's line in MODNS's conns, by column name, or None."""
        lines = self.modread("conns").splitlines()
        want = ["%s:%d" % (self.mod, self.mport), "%s:%d" % (self.me, self.pport)]
        for line in lines[1:]:
            f = dict(zip(lines[0].split(), line.split()))
            if [f["local"], f["remote"]] == want:
                return f
        return None

    # ---- steps ----
    def inject(self, words):
        f = self.fields(words[1:])
        flags = "" if words[0] == "." else words[0]
        data = b"x" * int(f.get("len", 0))
        opts = bytes.fromhex(f.get("opts", ""))
        if "mss" in f:
            opts += seg.mss_option(int(f["mss"]))
        opts += b"\0" * (-len(opts) % 4)
        s = seg.build(self.me, self.mod, self.pport, self.mport,
                      self.value(f.get("seq", "0")), self.value(f.get("ack", "0")),
                      flags, data, window=int(f.get("win", 65535)),
                      doff=5 + len(opts) // 4, options=opts,
                      bad_csum=f.get("csum") == "bad")
        seq = self.value(f.get("seq", "0"))
        for i in range(int(f.get("count", 1))):
            if "inc" in f and i:
                # each copy follows the last: SEG.SEQ advances by its length
                seq = (seq + len(data)) & 0xFFFFFFFF
                s = seg.build(self.me, self.mod, self.pport, self.mport, seq,
                              self.value(f.get("ack", "0")), flags, data,
                              window=int(f.get("win", 65535)),
                              doff=5 + len(opts) // 4, options=opts,
                              bad_csum=f.get("csum") == "bad")
            self.sock.sendto(s, (self.mod, 0))

    def receive(self, timeout):
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.sock], [], [], left)[0]:
                return None
            pkt, (src, _) = self.sock.recvfrom(65535)
            if src != self.mod:
                continue
            p = seg.parse(pkt[(pkt[0] & 0xF) * 4:])
            if (p["sport"], p["dport"]) == (self.mport, self.pport):
                return p

    @staticmethod
    def show(p):
        return "%s seq=%d ack=%d len=%d win=%d%s" % (
            p["flags"], p["seq"], p["ack"], len(p["data"]), p["win"],
            " mss=%d" % p["mss"] if p["mss"] is not None else "")

    @classmethod
    def check_options(cls, p):
        """SPEC §1: SYN and SYN,ACK carry exactly MSS; all else nothing."""
        if "S" in p["flags"]:
            ok = p["doff"] == 6 and [k for k, _ in p["options"]] == [2] \
                and p["mss"] is not None
        else:
            ok = p["doff"] == 5
        if not ok:
            raise Fail("options break SPEC §1: doff=%d options=%r in %s" % (
                p["doff"], p["options"], cls.show(p)))

    def skip_to(self, words):
        """Skip the module's segments until one matches, within 10 s."""
        end = time.monotonic() + 10
        skipped, last = 0, None
        while True:
            p = self.receive(max(end - time.monotonic(), 0))
            if not p:
                raise Fail("no %s in 10 s (%d others skipped, the last %s)" % (
                    " ".join(words), skipped, self.show(last) if last else "-"))
            last = p
            self.check_options(p)
            try:
                self.match(words, p)
            except Fail:
                skipped += 1
                continue
            print("    got %s after %d others" % (self.show(p), skipped), flush=True)
            return

    def expect(self, words):
        if words[0] == "none":
            t = float(words[1]) if len(words) > 1 else 1.0
            p = self.receive(t)
            if p:
                raise Fail("expected nothing, got " + self.show(p))
            return
        p = self.receive(3.0)
        if not p:
            raise Fail("expected %s, got nothing in 3 s" % " ".join(words))
        self.match(words, p)
        print("    got " + self.show(p), flush=True)

    def match(self, words, p):
        """Raise Fail unless segment p is what words describe."""
        flags = "" if words[0] == "." else words[0]
        if sorted(p["flags"].replace(".", "")) != sorted(flags.upper()):
            raise Fail("expected flags %s, got %s" % (words[0], self.show(p)))
        self.check_options(p)
        f = self.fields(words[1:])
        for k in ("seq", "ack"):
            if k in f and self.value(f[k], p[k]) != p[k]:
                raise Fail("expected %s=%s (%d), got %s" % (
                    k, f[k], self.value(f[k]), self.show(p)))
        if "len" in f and int(f["len"]) != len(p["data"]):
            raise Fail("expected len=%s, got %s" % (f["len"], self.show(p)))
        for k in ("win", "mss"):
            if k in f and int(f[k]) != p[k]:
                raise Fail("expected %s=%s, got %s" % (k, f[k], self.show(p)))

    def step(self, words):
        op = words[0]
        if op == "ports":
            self.pport, self.mport = int(words[1]), int(words[2])
        elif op in ("ctl", "send"):
            cmd = " ".join(words[1:]) if op == "ctl" else "send %s:%d %s:%d %s" % (
                self.mod, self.mport, self.me, self.pport, "y" * int(words[1]))
            r = self.modctl(cmd)
            if r != "ok":
                raise Fail("ctl %r failed: %s" % (cmd[:60], r))
        elif op == "state":
            line = self.conn_line()
            got = line["state"] if line else "gone"
            if got != words[1]:
                raise Fail("expected state %s, got %s" % (words[1], got))
        elif op == "timer":
            line = self.conn_line()
            timer = line["timer"] if line else "gone"
            name, _, ms = timer.partition(":")
            if name != words[1] or not int(words[2]) <= int(ms or -1) <= int(words[3]):
                raise Fail("expected timer %s with %s..%s ms, got %s" % (
                    words[1], words[2], words[3], timer))
        elif op == "ctlfail":
            cmd = " ".join(words[2:])
            r = self.modctl(cmd)
            if r != words[1]:
                raise Fail("ctl %r: expected %s, got %s" % (cmd, words[1], r))
        elif op == "field":
            line = self.conn_line()
            got = line.get(words[1], "?") if line else "gone"
            lo, sep, hi = words[2].partition("..")
            num = got.isdigit()
            if words[2].startswith("~"):
                ok = re.search(words[2][1:], got) is not None
            elif sep:
                ok = num and self.value(lo) <= int(got) <= self.value(hi)
            elif words[2].startswith("$"):
                ok = num and self.value(words[2], int(got)) == int(got)
            else:
                ok = got == words[2]
            if not ok:
                raise Fail("expected %s %s, got %s" % (words[1], words[2], got))
        elif op == "modsh":
            r = self.modsh("sh", "-c", " ".join(words[1:]))
            if r.returncode:
                raise Fail("%r failed: %s" % (" ".join(words[1:]), r.stderr.strip()))
        elif op == "stat":
            text = self.modread("stats")
            got = dict(l.split() for l in text.splitlines()).get(words[1])
            if got != words[2]:
                raise Fail("expected %s %s, got %s" % (words[1], words[2], got))
        elif op == "sleep":
            time.sleep(float(words[1]))
        elif op == "<":
            self.inject(words[1:])
        elif op == ">":
            self.expect(words[1:])
        elif op == ">>":
            self.skip_to(words[1:])
        else:
            raise Fail("unknown step %r" % op)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--modns", default="b")
    ap.add_argument("--peer", default="10.0.0.1")
    ap.add_argument("--module", default="10.0.0.2")
    ap.add_argument("script")
    a = ap.parse_args()
    peer = Peer(a)
    with open(a.script) as f:
        for n, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            print("  %3d  %s" % (n, line), flush=True)
            try:
                peer.step(line.split())
            except Fail as e:
                print("FAIL %s:%d: %s\n      %s" % (os.path.basename(a.script), n, line, e))
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
