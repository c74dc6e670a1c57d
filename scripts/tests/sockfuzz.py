#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A small syscall fuzzer for toytcp's sockets.

    sockfuzz.py SEED SECONDS ADDR...

Random socket calls, in random order with random arguments, on a pool of
sockets: socket, bind, listen, connect (blocking or not), accept, send,
recv (MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL), shutdown, close, setsockopt
and getsockopt at every level with random values, poll. The peers are
ADDRs on a few ports, so the calls of several fuzzers (one per process)
meet: listeners of one accept the connects of another. Every call may
fail; none may hang (timeouts of 50 ms) or upset the kernel, which the
debug kernel and kmemleak watch. Prints the calls made and their
outcomes, counted by errno.
"""
import collections
import errno
import random
import select
import socket
import struct
import sys
import time

PROTO = 253
PORTS = [20000, 20001, 20002, 20003]
LEVELS = [socket.SOL_SOCKET, PROTO, socket.IPPROTO_IP, 6, 41]


def main():
    seed, seconds, addrs = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
    rnd = random.Random(seed)
    pool = []
    outcomes = collections.Counter()
    timeval = struct.pack("ll", 0, 50000)

    def new():
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, PROTO)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, timeval)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, timeval)
        if rnd.random() < 0.5:
            s.setblocking(False)
        return s

    def addr():
        return (rnd.choice(addrs + ["0.0.0.0"]), rnd.choice(PORTS + [0]))

    def pick():
        return rnd.choice(pool) if pool else None

    def call_accept(s):
        x, _ = s.accept()
        x.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, timeval)
        x.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, timeval)
        pool.append(x)

    def call_close(s):
        pool.remove(s)
        if rnd.random() < 0.3:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, rnd.choice([0, 0, 1])))
        s.close()

    def call_setsockopt(s):
        level, name = rnd.choice(LEVELS), rnd.randrange(0, 70)
        if rnd.random() < 0.7:
            s.setsockopt(level, name, rnd.choice([0, 1, 2, 7, 4096, -1, 1 << 20]))
        else:
            s.setsockopt(level, name, rnd.randbytes(rnd.randrange(0, 17)))

    calls = [
        ("socket", 8, lambda: pool.append(new()) if len(pool) < 12 else None),
        ("bind", 6, lambda: pick().bind(addr())),
        ("listen", 5, lambda: pick().listen(rnd.randrange(0, 6))),
        ("connect", 10, lambda: pick().connect((rnd.choice(addrs), rnd.choice(PORTS)))),
        ("accept", 8, lambda: call_accept(pick())),
        ("send", 12, lambda: pick().send(rnd.randbytes(rnd.choice([1, 100, 5000, 70000])),
                                         rnd.choice([0, socket.MSG_DONTWAIT,
                                                     socket.MSG_NOSIGNAL]))),
        ("recv", 12, lambda: pick().recv(rnd.choice([1, 100, 70000]),
                                         rnd.choice([0, socket.MSG_PEEK, socket.MSG_DONTWAIT,
                                                     socket.MSG_WAITALL, socket.MSG_OOB]))),
        ("shutdown", 4, lambda: pick().shutdown(rnd.choice([0, 1, 2]))),
        ("close", 5, lambda: call_close(pick())),
        ("setsockopt", 8, lambda: call_setsockopt(pick())),
        ("getsockopt", 4, lambda: pick().getsockopt(rnd.choice(LEVELS), rnd.randrange(0, 70),
                                                    rnd.choice([4, 16, 64]))),
        ("poll", 3, lambda: select.select(pool, pool, pool, 0)),
        ("getpeername", 2, lambda: pick().getpeername()),
    ]
    weights = [w for _, w, _ in calls]
    end = time.time() + seconds
    n = 0
    while time.time() < end:
        name, _, fn = rnd.choices(calls, weights)[0]
        if name != "socket" and not pool:
            continue
        try:
            fn()
            outcomes[(name, "OK")] += 1
        except OSError as e:
            outcomes[(name, errno.errorcode.get(e.errno, str(e.errno)))] += 1
        except (ValueError, OverflowError, TypeError):
            outcomes[(name, "python")] += 1
        n += 1
    for s in pool:
        s.close()
    print(f"seed {seed}: {n} calls")
    for (name, what), count in sorted(outcomes.items()):
        print(f"  {name:12} {what:14} {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
