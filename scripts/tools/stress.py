#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hardening workloads for toytcp, run inside the test VM as root.

The namespaces are set up by the calling test (scripts/tests/*.sh); this
tool drives toytcp through /proc/toytcp in each of them and prints the
figures. Every command exits 0 when what it checks held, 1 otherwise.

  stress.py fuzz --count N      random and mutated segments from a (toytcp
                                off there) at b's connections in every
                                state; c's connections to b carry data
                                after; b's stats must account for each
  stress.py faults --conns N    N echo connections a->b, 10 KiB each, over
                                a lossy link; every byte back, all closed
  stress.py flood --syns N      N spoofed SYNs at b:7 while a connects
  stress.py soak --cycles N     N open/close cycles a->b; toytcp_conn and
                                toytcp_tw (TIME_WAIT) slab objects back to
                                where they started
  stress.py connect ...         open connections (teardown.sh)
  stress.py close ...           close every connection in one state
  stress.py traffic ...         keep data flowing until toytcp goes away
"""
import argparse
import ctypes
import errno
import os
import random
import socket
import struct
import sys
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import seg  # noqa: E402

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)
STATES = ["LISTEN", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT1",
          "FIN_WAIT2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"]


class Fail(Exception):
    pass


def say(*args):
    print(*args, flush=True)


def setns(name):
    """Move this process into network namespace NAME (None: the initial one)."""
    path = "/run/netns/%s" % name if name else "/proc/1/ns/net"
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), "setns " + path)
    finally:
        os.close(fd)


class Mod:
    """toytcp's /proc files as one namespace sees them (SPEC §4)."""

    def __init__(self, ns):
        setns(ns)
        self.ns = ns
        self.ctl_fd = os.open("/proc/toytcp/ctl", os.O_WRONLY)
        self.conns_fd = os.open("/proc/toytcp/conns", os.O_RDONLY)
        self.stats_fd = os.open("/proc/toytcp/stats", os.O_RDONLY)

    def close(self):
        for fd in (self.ctl_fd, self.conns_fd, self.stats_fd):
            os.close(fd)

    def ctl(self, cmd, ok=()):
        """Write one command; errno names in OK are returned, not raised."""
        try:
            os.write(self.ctl_fd, cmd.encode())
            return "OK"
        except OSError as e:
            name = errno.errorcode.get(e.errno, str(e.errno))
            if name in ok:
                return name
            raise Fail("%s: ctl %r: %s" % (self.ns, cmd[:60], name))

    def _read(self, fd):
        os.lseek(fd, 0, os.SEEK_SET)
        out = []
        while True:
            b = os.read(fd, 1 << 16)
            if not b:
                return b"".join(out).decode()
            out.append(b)

    def conns(self):
        lines = self._read(self.conns_fd).splitlines()
        head = lines[0].split()
        return [dict(zip(head, line.split())) for line in lines[1:]]

    def stats(self):
        return {k: int(v) for k, v in
                (line.split() for line in self._read(self.stats_fd).splitlines())}


def delta(after, before, *names):
    return {n: after[n] - before[n] for n in names}


def in_state(mod, state, field=None, among=()):
    """How many of MOD's connections are in STATE (of those whose FIELD is
    in AMONG, when FIELD is given)."""
    return sum(x["state"] == state and (field is None or x[field] in among)
               for x in mod.conns())


def slab_objects(settle=0.5, cache="toytcp_conn"):
    """In-use objects of CACHE (toytcp_conn, or toytcp_tw: TIME_WAIT),
    after freeing what RCU still holds."""
    time.sleep(settle)
    with open("/sys/kernel/slab/%s/shrink" % cache, "w") as f:
        f.write("1")
    with open("/proc/slabinfo") as f:
        for line in f:
            if line.startswith(cache + " "):
                return int(line.split()[1])
    raise Fail("no %s line in /proc/slabinfo" % cache)


def wait_for(what, cond, timeout, step=0.2):
    end = time.monotonic() + timeout
    while True:
        got = cond()
        if got:
            return got
        if time.monotonic() > end:
            raise Fail("timed out after %ss waiting for %s" % (timeout, what))
        time.sleep(step)


def text(n, rng):
    """N bytes of send-able text: no blanks, no newline (ctl's TEXT)."""
    alphabet = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return bytes(alphabet[b % 62] for b in rng.randbytes(n))


def figure(*args):
    """A measured figure: `make check` lists the lines that start with "= "."""
    print("=", *args, flush=True)


def retry(mod, cmd, tries=100):
    """A command that may fail for lack of memory (failslab.sh): again.

    ENOMEM: toytcp's own allocation failed. ENOBUFS: routing could not
    allocate its dst (connect), or the send queue is full (send).
    """
    for _ in range(tries):
        if mod.ctl(cmd, ok=("ENOMEM", "EBUSY", "ENOBUFS")) == "OK":
            return
        time.sleep(0.05)
    raise Fail("%s: %r still failing" % (mod.ns, cmd[:60]))


def send_all(mod, local, remote, data, chunk=3000):
    """Queue DATA in ctl-sized pieces (a command is at most 4096 bytes)."""
    for i in range(0, len(data), chunk):
        retry(mod, "send %s %s %s" % (local, remote, data[i:i + chunk].decode()))


# ---------------------------------------------------------------- fuzz --

class RawPeer:
    """A peer played from a raw socket in a namespace where toytcp is off."""

    def __init__(self, me, mod_addr):
        self.me, self.mod = me, mod_addr
        self.sock = seg.sock()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 22)

    def send(self, sport, dport, seq, ack, flags, data=b""):
        self.sock.sendto(seg.build(self.me, self.mod, sport, dport, seq, ack,
                                   flags, data), (self.mod, 0))

    def send_raw(self, payload):
        self.sock.sendto(payload, (self.mod, 0))

    def recv(self, sport, dport, timeout=3.0):
        """The module's next segment from DPORT to SPORT."""
        end = time.monotonic() + timeout
        self.sock.settimeout(0.2)
        while time.monotonic() < end:
            try:
                pkt, (src, _) = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            if src != self.mod:
                continue
            p = seg.parse(pkt[(pkt[0] & 0xF) * 4:])
            if (p["sport"], p["dport"]) == (dport, sport):
                return p
        raise Fail("no segment from :%d to :%d" % (dport, sport))


def fuzz_targets(b, peer):
    """Put one of b's connections in each state, with a raw peer in a."""
    A, B = peer.me, peer.mod
    isn = 1000000

    def handshake(port):
        peer.send(port, 7, isn, 0, "S")
        sa = peer.recv(port, 7)
        peer.send(port, 7, isn + 1, sa["seq"] + 1, "A")
        return sa["seq"] + 1          # b's SND.NXT

    peer.send(50001, 7, isn, 0, "S")                       # SYN_RECV
    peer.recv(50001, 7)
    handshake(50002)                                       # ESTABLISHED
    nxt = handshake(50003)                                 # CLOSE_WAIT
    peer.send(50003, 7, isn + 1, nxt, "FA")
    nxt = handshake(50004)                                 # LAST_ACK
    peer.send(50004, 7, isn + 1, nxt, "FA")
    b.ctl("close %s:7 %s:50004" % (B, A))
    handshake(50005)                                       # FIN_WAIT1
    b.ctl("close %s:7 %s:50005" % (B, A))
    nxt = handshake(50006)                                 # FIN_WAIT2
    b.ctl("close %s:7 %s:50006" % (B, A))
    peer.recv(50006, 7)
    peer.send(50006, 7, isn + 1, nxt + 1, "A")
    nxt = handshake(50007)                                 # CLOSING
    b.ctl("close %s:7 %s:50007" % (B, A))
    peer.recv(50007, 7)
    peer.send(50007, 7, isn + 1, nxt, "FA")
    nxt = handshake(50008)                                 # TIME_WAIT
    b.ctl("close %s:7 %s:50008" % (B, A))
    peer.recv(50008, 7)
    peer.send(50008, 7, isn + 1, nxt + 1, "FA")
    b.ctl("connect %s:5555 50009" % A)                    # SYN_SENT


def classify(payload, src, dst):
    """What toytcp must make of a segment (SPEC §1), as wire.c decides."""
    if len(payload) < 20:
        return "short"
    doff = (payload[12] >> 4) * 4
    if doff < 20 or doff > len(payload):
        return "doff"
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + \
        struct.pack("!BBH", 0, seg.PROTO, len(payload))
    return "ok" if seg.csum(pseudo + payload) == 0 else "csum"


def fuzz_segment(i, rng, peer, targets):
    """Segment number I: structured, mutated or plain random bytes."""
    r = rng.random()
    if r < 0.15:
        return rng.randbytes(rng.randrange(0, 64))
    if targets and rng.random() < 0.85:
        t = rng.choice(targets)
        sport, dport = t["rport"], t["lport"]
        near_seq, near_ack = t["rcv_nxt"], t["snd_nxt"]
    else:
        sport, dport = rng.randrange(1, 65536), rng.choice([7, 9, rng.randrange(1, 65536)])
        near_seq, near_ack = rng.getrandbits(32), rng.getrandbits(32)
    pick = rng.random()
    seq = near_seq + rng.randrange(-70000, 70000) if pick < 0.7 else rng.getrandbits(32)
    ack = near_ack + rng.randrange(-70000, 70000) if rng.random() < 0.7 else rng.getrandbits(32)
    flags = i & 0xFF                          # every combination, in turn
    data = rng.randbytes(rng.choice([0, 0, 1, 10, 100, 600]))
    opts = b""
    if rng.random() < 0.1:
        opts = rng.randbytes(4 * rng.randrange(1, 11))
    p = bytearray(seg.build(peer.me, peer.mod, sport, dport, seq, ack, "",
                            data, window=rng.getrandbits(16),
                            doff=5 + len(opts) // 4, options=opts))
    p[13] = flags
    # re-checksum with the real flags
    p[16:18] = b"\0\0"
    pseudo = socket.inet_aton(peer.me) + socket.inet_aton(peer.mod) + \
        struct.pack("!BBH", 0, seg.PROTO, len(p))
    p[16:18] = struct.pack("!H", seg.csum(pseudo + bytes(p)))
    m = rng.random()
    if m < 0.06:
        p = p[:rng.randrange(0, len(p))]                   # truncated
    elif m < 0.12:
        p[12] = (rng.randrange(16) << 4) | (p[12] & 0xF)    # data offset
    elif m < 0.18:
        p[16] ^= 1 + rng.randrange(255)                     # checksum
    elif m < 0.24 and len(p) > 20:
        p[rng.randrange(20, len(p))] ^= 0x40                # payload bit
    elif m < 0.30:
        p[rng.randrange(len(p))] = rng.getrandbits(8)       # any byte
    return bytes(p)


def targets_of(b, peer_addr):
    out = []
    for c in b.conns():
        if c["state"] == "LISTEN" or not c["remote"].startswith(peer_addr + ":"):
            continue
        out.append(dict(lport=int(c["local"].rsplit(":", 1)[1]),
                        rport=int(c["remote"].rsplit(":", 1)[1]),
                        rcv_nxt=int(c["rcv_nxt"]), snd_nxt=int(c["snd_nxt"]),
                        state=c["state"]))
    return out


def softnet_drops():
    with open("/proc/net/softnet_stat") as f:
        return sum(int(line.split()[1], 16) for line in f)


def cmd_fuzz(a):
    rng = random.Random(a.seed)
    setns("a")
    peer = RawPeer("10.0.0.1", "10.0.0.2")
    b, c = Mod("b"), Mod("c")
    b.ctl("listen 7 echo")
    b.ctl("listen 9")
    survivors = []
    for i in range(a.survivors):
        c.ctl("connect 10.0.1.2:7 %d" % (41000 + i))
        survivors.append(("10.0.1.1:%d" % (41000 + i), "10.0.1.2:7"))
    wait_for("c's connections ESTABLISHED",
             lambda: in_state(c, "ESTABLISHED") == a.survivors, 20)
    fuzz_targets(b, peer)
    states = sorted({x["state"] for x in b.conns()}, key=STATES.index)
    say("b's connections are in: " + " ".join(states))
    missing = set(STATES) - set(states)
    if missing:
        raise Fail("no connection in " + " ".join(sorted(missing)))

    before, drops0 = b.stats(), softnet_drops()
    kinds = dict(ok=0, short=0, doff=0, csum=0)
    t0 = time.monotonic()
    targets = targets_of(b, peer.me)
    for i in range(a.count):
        if i % 2000 == 0:
            targets = targets_of(b, peer.me)
        p = fuzz_segment(i, rng, peer, targets)
        kinds[classify(p, peer.me, peer.mod)] += 1
        peer.send_raw(p)
    secs = time.monotonic() - t0
    time.sleep(1)
    after, drops = b.stats(), softnet_drops() - drops0
    d = delta(after, before, "InSegs", "InErrs", "InCsumErrors", "OutSegs",
              "OutRsts", "TCPChallengeACK", "TCPACKSkippedChallenge",
              "PassiveOpens", "SyncookiesSent", "SyncookiesFailed", "EstabResets")
    figure("sent %d segments in %.1fs (%.0f/s): %d well-formed, %d short, "
        "%d bad data offset, %d bad checksum" % (
            a.count, secs, a.count / secs, kinds["ok"], kinds["short"],
            kinds["doff"], kinds["csum"]))
    figure("b's counters moved by: " + " ".join("%s=%d" % kv for kv in d.items()))
    say("states after: " + " ".join(sorted({x["state"] for x in b.conns()}, key=STATES.index)))
    if drops:
        raise Fail("%d packets dropped before the hook (softnet_stat)" % drops)
    want = dict(InSegs=a.count, InErrs=kinds["short"] + kinds["doff"] + kinds["csum"],
                InCsumErrors=kinds["csum"])
    for k, v in want.items():
        if d[k] != v:
            raise Fail("%s moved by %d, want %d" % (k, d[k], v))
    figure("every segment accounted for: InSegs, InErrs and InCsumErrors match")

    payload = {}
    for local, remote in survivors:
        payload[local] = text(1000, rng)
        send_all(c, local, remote, payload[local])

    def echoed():
        got = {x["local"]: x for x in c.conns() if x["local"] in payload}
        return len(got) == len(payload) and all(
            int(x["rx_bytes"]) == 1000 for x in got.values()) and got
    got = wait_for("the survivors' echo", echoed, 30)
    for local, x in got.items():
        if int(x["rx_crc32"], 16) != zlib.crc32(payload[local]):
            raise Fail("%s: echo differs (crc %s)" % (local, x["rx_crc32"]))
    figure("%d live connections from c still carry data: 1000 bytes each echoed intact"
        % len(survivors))
    b.close()
    c.close()
    return 0


# -------------------------------------------------------------- faults --

def cmd_faults(a):
    rng = random.Random(a.seed)
    ca, cb = Mod("a"), Mod("b")
    cb.ctl("listen 7 echo")
    before_a, before_b = ca.stats(), cb.stats()
    data, t0 = {}, time.monotonic()
    for i in range(a.conns):
        local, remote = "10.0.0.1:%d" % (20000 + i), "10.0.0.2:7"
        retry(ca, "connect 10.0.0.2:7 %d" % (20000 + i))
        data[local] = text(a.bytes, rng)
        send_all(ca, local, remote, data[local])
    say("%d connections opened, %d bytes queued on each" % (a.conns, a.bytes))

    def progress(mod, want):
        conns = {x["local"]: x for x in mod.conns()}
        done = [x for x in conns.values() if x["local"] in want and
                int(x["rx_bytes"]) == a.bytes]
        lost = [k for k in want if k not in conns]
        if lost:
            raise Fail("connections gone before all data was echoed: %s" % lost[:5])
        return len(done) == len(want) and done

    done = wait_for("all data echoed", lambda: progress(ca, data), a.timeout, 1)
    bad = [x["local"] for x in done if int(x["rx_crc32"], 16) != zlib.crc32(data[x["local"]])]
    if bad:
        raise Fail("echo differs on %s" % bad[:5])
    figure("all %d echoes complete and intact (CRC-32 of %d bytes each) after %.1fs"
        % (a.conns, a.bytes, time.monotonic() - t0))
    for local in data:
        ca.ctl("close %s 10.0.0.2:7" % local)

    def children(state):
        got = [x for x in cb.conns() if x["state"] == state]
        return len(got) == len(data) and got
    kids = wait_for("b's children in CLOSE_WAIT", lambda: children("CLOSE_WAIT"), a.timeout, 1)
    for x in kids:
        local = x["remote"]
        if int(x["rx_bytes"]) != a.bytes or int(x["rx_crc32"], 16) != zlib.crc32(data[local]):
            raise Fail("b received something else from %s" % local)
    for x in kids:
        cb.ctl("close 10.0.0.2:7 %s" % x["remote"])
    wait_for("every connection closed and out of TIME_WAIT",
             lambda: not ca.conns() and [x["state"] for x in cb.conns()] == ["LISTEN"],
             a.timeout, 1)
    secs = time.monotonic() - t0
    rtx = ("RetransSegs", "TCPFastRetrans", "TCPSlowStartRetrans")
    da = delta(ca.stats(), before_a, "OutSegs", "InSegs", *rtx, "TimeWaited",
               "EstabResets", "AttemptFails", "SyncookiesRecv")
    db = delta(cb.stats(), before_b, "OutSegs", "InSegs", *rtx, "PassiveOpens",
               "SyncookiesSent", "SyncookiesRecv", "EstabResets")
    figure("all closed, none left after TIME_WAIT: %.1fs in all" % secs)
    figure("a: " + " ".join("%s=%d" % kv for kv in da.items()))
    figure("b: " + " ".join("%s=%d" % kv for kv in db.items()))
    if da["EstabResets"] or da["AttemptFails"] or db["EstabResets"]:
        raise Fail("connections were reset or gave up")
    return 0


# --------------------------------------------------------------- flood --

def spoofed_syn(rng, dst, dport):
    src = "10.%d.%d.%d" % (rng.randrange(128, 256), rng.randrange(256), rng.randrange(1, 255))
    sport = rng.randrange(1024, 65536)
    body = seg.build(src, dst, sport, dport, rng.getrandbits(32), 0, "S")
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(body), 0, 0, 64,
                     seg.PROTO, 0, socket.inet_aton(src), socket.inet_aton(dst))
    return ip + body


def cmd_flood(a):
    rng = random.Random(a.seed)
    setns("a")
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, seg.PROTO)
    raw.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 22)
    ca, cb = Mod("a"), Mod("b")
    cb.ctl("listen 7 echo")
    base = slab_objects()
    before_a, before_b = ca.stats(), cb.stats()
    t0, peak_recv, peak_slab = time.monotonic(), 0, base
    legit = "10.0.0.1:33333"
    for i in range(a.syns):
        raw.sendto(spoofed_syn(rng, "10.0.0.2", 7), ("10.0.0.2", 0))
        if i % 5000 == 4999:
            peak_recv = max(peak_recv, in_state(cb, "SYN_RECV"))
            peak_slab = max(peak_slab, slab_objects(0))
        if i == a.syns // 2:
            # A legitimate client, in the middle of the flood.
            ca.ctl("connect 10.0.0.2:7 33333")
            ca.ctl("send %s 10.0.0.2:7 hello" % legit)
    secs = time.monotonic() - t0

    def served():
        x = [x for x in ca.conns() if x["local"] == legit]
        return x and x[0]["state"] == "ESTABLISHED" and x[0]["rx_bytes"] == "5"
    wait_for("the legitimate client's echo", served, 10)
    db = delta(cb.stats(), before_b, "InSegs", "PassiveOpens", "ListenOverflows",
               "ListenDrops", "SyncookiesSent", "SyncookiesRecv", "SyncookiesFailed",
               "OutSegs")
    syns_legit = 1 + ca.stats()["RetransSegs"] - before_a["RetransSegs"]
    figure("%d spoofed SYNs in %.1fs (%.0f/s); the legitimate client connected "
        "mid-flood and got its echo" % (a.syns, secs, a.syns / secs))
    say("b: " + " ".join("%s=%d" % kv for kv in db.items()))
    figure("half-open connections at most %d (backlog %d); toytcp_conn objects: "
        "%d before, at most %d during" % (peak_recv, a.backlog, base, peak_slab))
    if peak_recv > a.backlog:
        raise Fail("more SYN_RECV children than the backlog")
    # Slack: children that gave up wait for RCU before they are freed.
    if peak_slab > base + a.backlog + 64:
        raise Fail("half-open state grew past the backlog")
    # Every SYN made a child (PassiveOpens less the cookie ones) or a cookie.
    syn_children = db["PassiveOpens"] - db["SyncookiesRecv"]
    if syn_children + db["SyncookiesSent"] != a.syns + syns_legit:
        raise Fail("SYNs unaccounted: %d children + %d cookies != %d sent" % (
            syn_children, db["SyncookiesSent"], a.syns + syns_legit))
    # Every SYN past a full backlog got a cookie. The client may have come
    # back with one, or found a place freed by a child that gave up.
    if not db["ListenOverflows"] or db["SyncookiesSent"] != db["ListenOverflows"] or \
            db["ListenDrops"]:
        raise Fail("the backlog overflowed, yet cookies were not used")
    wait_for("the children to give up", lambda: in_state(cb, "SYN_RECV") == 0, 60, 1)
    ca.ctl("abort %s 10.0.0.2:7" % legit)
    wait_for("b's side of it to go", lambda: len(cb.conns()) == 1, 10)
    after = slab_objects()
    figure("after the children gave up: %d toytcp_conn objects (%d before)" % (after, base))
    if after != base:
        raise Fail("toytcp_conn objects did not return to %d" % base)
    return 0


# ---------------------------------------------------------------- soak --

def cmd_soak(a):
    ca, cb = Mod("a"), Mod("b")
    cb.ctl("listen 7")
    base = slab_objects()
    tw_base, tw_peak = slab_objects(0, "toytcp_tw"), 0
    t0, done, port = time.monotonic(), 0, 0
    while done < a.cycles:
        n = min(a.batch, a.cycles - done)
        ports = [20000 + (port + i) % 30000 for i in range(n)]
        port += n
        for p in ports:
            ca.ctl("connect 10.0.0.2:7 %d" % p)
        addrs = {"10.0.0.1:%d" % p for p in ports}
        wait_for("a batch ESTABLISHED",
                 lambda: in_state(ca, "ESTABLISHED", "local", addrs) == n, 30, 0.05)
        for p in ports:
            ca.ctl("close 10.0.0.1:%d 10.0.0.2:7" % p)
        wait_for("b's side in CLOSE_WAIT",
                 lambda: in_state(cb, "CLOSE_WAIT", "remote", addrs) == n, 30, 0.05)
        for p in ports:
            cb.ctl("close 10.0.0.2:7 10.0.0.1:%d" % p)
        done += n
        tw_peak = max(tw_peak, slab_objects(0.05, "toytcp_tw"))
        if done % (a.batch * 50) == 0 or done == a.cycles:
            say("  %d cycles, %.0f/s" % (done, done / (time.monotonic() - t0)))
    secs = time.monotonic() - t0
    wait_for("TIME_WAIT to end everywhere",
             lambda: not ca.conns() and len(cb.conns()) == 1, 120, 0.5)
    after = slab_objects()
    tw_after = slab_objects(0, "toytcp_tw")
    s = ca.stats()
    figure("%d open/close cycles in %.1fs (%.0f/s); ActiveOpens=%d TimeWaited=%d "
        "TCPTimeWaitOverflow=%d" % (a.cycles, secs, a.cycles / secs, s["ActiveOpens"],
                                    s["TimeWaited"], s["TCPTimeWaitOverflow"]))
    figure("toytcp_conn objects: %d before, %d after TIME_WAIT ended" % (base, after))
    figure("toytcp_tw objects (TIME_WAIT): %d before, up to %d meanwhile, %d after"
           % (tw_base, tw_peak, tw_after))
    if after != base:
        raise Fail("toytcp_conn objects did not return to %d" % base)
    if tw_after != tw_base:
        raise Fail("toytcp_tw objects did not return to %d" % tw_base)
    if tw_peak <= tw_base:
        raise Fail("no toytcp_tw object while connections were in TIME_WAIT")
    if s["TimeWaited"] + s["TCPTimeWaitOverflow"] != a.cycles:
        raise Fail("not every cycle went through TIME_WAIT")
    return 0


# ----------------------------------------------------- teardown helpers --

def cmd_connect(a):
    m = Mod(a.ns)
    rng = random.Random(a.seed)
    for i in range(a.count):
        m.ctl("connect %s %d" % (a.to, a.sport + i))
    laddr = a.local
    want = a.count * a.ready // 100
    wait_for("%d%% ESTABLISHED" % a.ready,
             lambda: in_state(m, "ESTABLISHED") >= want, a.timeout, 0.5)
    for i in range(a.count):
        if a.data:
            m.ctl("send %s:%d %s %s" % (laddr, a.sport + i, a.to,
                                        text(a.data, rng).decode()), ok=("ENOTCONN",))
    for i in range(0, a.count * a.close // 100):
        m.ctl("close %s:%d %s" % (laddr, a.sport + i, a.to), ok=("ENOTCONN",))
    say("%s: %d connections opened, %d%% closed" % (a.ns, a.count, a.close))
    return 0


def cmd_close(a):
    """Close every connection of a namespace that is in one state."""
    m = Mod(a.ns)
    n = 0
    for x in m.conns():
        if x["state"] == a.state:
            m.ctl("close %s %s" % (x["local"], x["remote"]), ok=("ENOTCONN", "ENOENT"))
            n += 1
    say("%s: closed %d connections in %s" % (a.ns, n, a.state))
    return 0


def cmd_traffic(a):
    """Send on every connection in turn until toytcp's files go away."""
    rng = random.Random(a.seed)
    sent = 0
    try:
        m = Mod(a.ns)
        end = time.monotonic() + a.seconds
        while time.monotonic() < end:
            for x in m.conns():
                if x["state"] == "ESTABLISHED":
                    m.ctl("send %s %s %s" % (x["local"], x["remote"],
                                             text(100, rng).decode()),
                          ok=("ENOTCONN", "ENOENT", "ENOBUFS", "ENOMEM"))
                    sent += 1
    except (OSError, Fail) as e:
        say("traffic: stopped after %d sends: %s" % (sent, e))
        return 0
    say("traffic: %d sends" % sent)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("fuzz")
    p.add_argument("--count", type=int, default=20000)
    p.add_argument("--survivors", type=int, default=8)
    p = sub.add_parser("faults")
    p.add_argument("--conns", type=int, default=20)
    p.add_argument("--bytes", type=int, default=10240)
    p.add_argument("--timeout", type=int, default=600)
    p = sub.add_parser("flood")
    p.add_argument("--syns", type=int, default=10000)
    p.add_argument("--backlog", type=int, default=128)
    p = sub.add_parser("soak")
    p.add_argument("--cycles", type=int, default=2000)
    p.add_argument("--batch", type=int, default=100)
    p = sub.add_parser("connect")
    p.add_argument("--ns", required=True)
    p.add_argument("--to", required=True)
    p.add_argument("--local", required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--sport", type=int, default=20000)
    p.add_argument("--data", type=int, default=0)
    p.add_argument("--close", type=int, default=0, help="percent to close")
    p.add_argument("--ready", type=int, default=90, help="percent to wait for")
    p.add_argument("--timeout", type=int, default=300)
    p = sub.add_parser("close")
    p.add_argument("--ns", required=True)
    p.add_argument("--state", required=True)
    p = sub.add_parser("traffic")
    p.add_argument("--ns", required=True)
    p.add_argument("--seconds", type=float, default=60)
    a = ap.parse_args()
    try:
        return globals()["cmd_" + a.cmd](a)
    except Fail as e:
        say("FAIL: %s" % e)
        return 1


if __name__ == "__main__":
    sys.exit(main())
