#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Build, send and receive raw toytcp segments (IP protocol 253).

The segment is byte for byte a TCP header (RFC 793) and payload; the
checksum covers the IPv4 pseudo-header with protocol 253 (SPEC §1).

  seg.py send SRC DST [--sport P] [--dport P] [--seq N] [--ack N]
                     [--flags SA] [--data TEXT] [--count N] [--bad-csum]
                     [--ports N] [--forge]
  seg.py recv [--timeout S] [--count N] [--ready FILE]
  seg.py icmp [--syn | --data] [--type T] [--code C] [--seq-add N...]
              [--gap S] [--timeout S]

`send` sends the segment --count times; with --ports N, N segments from
source ports P, P+1, ... With --forge, SRC goes into the IP header as given
(IP_HDRINCL), whatever this host's address: a forged source, as a SYN
flood's.

`recv` prints one line per segment received on a raw protocol-253 socket
and exits 1 if fewer than --count arrived before --timeout. With --ready,
it creates FILE once its socket is open, for a sender to wait on.

`icmp` prints "ready" once its raw socket is open, waits for one segment
(a SYN with --syn, one carrying data with --data) and answers it with an
ICMP error (default: destination unreachable, host unreachable) quoting its
IP header and first 8 bytes, once per --seq-add value (added to the quoted
sequence number; default one answer, unchanged), --gap seconds apart, as a
router or the peer's host would. It exits 1 if nothing came.
"""
import argparse
import socket
import struct
import sys
import time

PROTO = 253
FLAGS = "FSRPAUEC"  # FIN SYN RST PSH ACK URG ECE CWR, bit 0 upwards


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def flag_bits(text):
    bits = 0
    for ch in text.upper():
        bits |= 1 << FLAGS.index(ch)
    return bits


def flag_text(bits):
    return "".join(ch for i, ch in enumerate(FLAGS) if bits & (1 << i)) or "."


def build(src, dst, sport, dport, seq=0, ack=0, flags="", data=b"",
          window=65535, doff=5, options=b"", bad_csum=False):
    """A segment (no IP header) with a correct checksum unless bad_csum."""
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF,
                      ack & 0xFFFFFFFF, doff << 4, flag_bits(flags),
                      window, 0, 0) + options
    seg = hdr + data
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + \
        struct.pack("!BBH", 0, PROTO, len(seg))
    c = csum(pseudo + seg)
    if bad_csum:
        c ^= 0x5A5A
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def mss_option(mss):
    """The MSS option (kind 2, length 4) as bytes."""
    return struct.pack("!BBH", 2, 4, mss)


def parse_options(raw):
    """The option list as [(kind, bytes)], EOL and NOP left out."""
    out, i = [], 0
    while i < len(raw):
        kind = raw[i]
        if kind == 0:
            break
        if kind == 1:
            i += 1
            continue
        if i + 1 >= len(raw) or raw[i + 1] < 2 or i + raw[i + 1] > len(raw):
            out.append((kind, None))  # malformed
            break
        out.append((kind, raw[i + 2:i + raw[i + 1]]))
        i += raw[i + 1]
    return out


def parse(seg):
    """Decode a segment into a dict; raises ValueError when it is too short."""
    if len(seg) < 20:
        raise ValueError("short segment")
    sport, dport, seq, ack, off, flags, win, ck, urg = \
        struct.unpack("!HHIIBBHHH", seg[:20])
    doff = off >> 4
    opts = parse_options(seg[20:doff * 4])
    mss = [struct.unpack("!H", v)[0] for k, v in opts if k == 2 and v and len(v) == 2]
    return dict(sport=sport, dport=dport, seq=seq, ack=ack, doff=doff,
                flags=flag_text(flags), win=win, csum=ck, options=opts,
                mss=mss[0] if mss else None, data=seg[doff * 4:])


def sock():
    return socket.socket(socket.AF_INET, socket.SOCK_RAW, PROTO)


def ip_header(src, dst, length):
    """An IPv4 header for IP_HDRINCL; the kernel fills in id and checksum."""
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + length, 0, 0, 64, PROTO, 0,
                       socket.inet_aton(src), socket.inet_aton(dst))


def cmd_send(a):
    s = sock()
    if a.forge:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    for port in range(a.sport, a.sport + a.ports):
        seg = build(a.src, a.dst, port, a.dport, a.seq, a.ack, a.flags,
                    a.data.encode(), bad_csum=a.bad_csum)
        if a.forge:
            seg = ip_header(a.src, a.dst, len(seg)) + seg
        for _ in range(a.count):
            s.sendto(seg, (a.dst, 0))
    return 0


def cmd_recv(a):
    s = sock()
    s.settimeout(0.2)
    if a.ready:
        open(a.ready, "w").close()
    got, end = 0, time.monotonic() + a.timeout
    while got < a.count and time.monotonic() < end:
        try:
            pkt, (src, _) = s.recvfrom(65535)
        except socket.timeout:
            continue
        ihl = (pkt[0] & 0xF) * 4
        p = parse(pkt[ihl:])
        print("%s:%d > %s:%d %s seq=%d ack=%d len=%d%s" % (
            src, p["sport"], socket.inet_ntoa(pkt[16:20]), p["dport"],
            p["flags"], p["seq"], p["ack"], len(p["data"]),
            " mss=%d" % p["mss"] if p["mss"] is not None else ""), flush=True)
        got += 1
    return 0 if got >= a.count else 1


def cmd_icmp(a):
    s = sock()
    out = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    print("ready", flush=True)
    s.settimeout(a.timeout)
    while True:
        try:
            pkt, (src, _) = s.recvfrom(65535)
        except socket.timeout:
            print("nothing came", flush=True)
            return 1
        ihl = (pkt[0] & 0xF) * 4
        p = parse(pkt[ihl:])
        if (not a.syn or "S" in p["flags"]) and (not a.data or p["data"]):
            break
    print("caught %s:%d > %s:%d %s seq=%d" % (
        src, p["sport"], socket.inet_ntoa(pkt[16:20]), p["dport"], p["flags"],
        p["seq"]), flush=True)
    for i, add in enumerate(a.seq_add):
        if i:
            time.sleep(a.gap)
        seg = pkt[ihl:ihl + 4] + struct.pack("!I", (p["seq"] + add) & 0xFFFFFFFF)
        body = pkt[:ihl] + seg
        hdr = struct.pack("!BBHI", a.type, a.code, 0, 0)
        c = csum(hdr + body)
        out.sendto(hdr[:2] + struct.pack("!H", c) + hdr[4:] + body, (src, 0))
        print("sent type %d code %d quoting seq=%d" % (
            a.type, a.code, (p["seq"] + add) & 0xFFFFFFFF), flush=True)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("send")
    s.add_argument("src")
    s.add_argument("dst")
    s.add_argument("--sport", type=int, default=40000)
    s.add_argument("--dport", type=int, default=7)
    s.add_argument("--seq", type=int, default=1000)
    s.add_argument("--ack", type=int, default=0)
    s.add_argument("--flags", default="S")
    s.add_argument("--data", default="")
    s.add_argument("--count", type=int, default=1)
    s.add_argument("--bad-csum", action="store_true")
    s.add_argument("--ports", type=int, default=1)
    s.add_argument("--forge", action="store_true")
    r = sub.add_parser("recv")
    r.add_argument("--timeout", type=float, default=3)
    r.add_argument("--count", type=int, default=1)
    r.add_argument("--ready", metavar="FILE",
                   help="create FILE once the socket is open")
    i = sub.add_parser("icmp")
    i.add_argument("--syn", action="store_true")
    i.add_argument("--data", action="store_true")
    i.add_argument("--type", type=int, default=3)
    i.add_argument("--code", type=int, default=1)
    i.add_argument("--seq-add", type=int, nargs="+", default=[0])
    i.add_argument("--gap", type=float, default=1)
    i.add_argument("--timeout", type=float, default=10)
    a = ap.parse_args()
    return {"send": cmd_send, "recv": cmd_recv, "icmp": cmd_icmp}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
