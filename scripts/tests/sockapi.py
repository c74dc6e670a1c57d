#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Socket API conformance: the calls a program makes, on one protocol.

    sockapi.py PROTO [CASE...]

PROTO is 6 (Linux TCP) or 253 (toytcp). Every case drives socket calls
over 127.0.0.1 and checks the errno, the bytes and the connection's state
at each step (for 6 from /proc/net/tcp, for 253 from /proc/toytcp/conns).
The expectations are Linux TCP's: run with 6, the suite checks itself.
Each case prints "ok NAME" or "FAIL NAME: why", then the observations it
made ("NAME: what"), which must come out the same for both protocols.
Exit status: the number of failed cases.
"""
import ctypes
import errno
import fcntl
import hashlib
import os
import select
import signal
import socket
import struct
import sys
import threading
import time

PROTO = int(sys.argv[1])
LO = "127.0.0.1"
SOL = PROTO  # SOL_TCP is 6; toytcp's own option level is 253
NODELAY, KEEPIDLE, KEEPINTVL, KEEPCNT = 1, 4, 5, 6
TCP_STATES = {1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1",
              5: "FIN_WAIT2", 6: "TIME_WAIT", 7: "CLOSE", 8: "CLOSE_WAIT",
              9: "LAST_ACK", 10: "LISTEN", 11: "CLOSING"}
LONG = os.environ.get("TOYTCP_LONG") == "1"
# Set up by lib.sh's sockapi_both: routes of type unreachable and prohibit,
# and a link (10.77.0.1/24) with nobody else on it.
UNREACHABLE, PROHIBITED, NOBODY = "203.0.113.1", "203.0.113.2", "10.77.0.99"

observed = []


class Fail(Exception):
    pass


def obs(what):
    observed.append(what)


def expect(what, got, want):
    obs(f"{what} = {got}")
    if got != want:
        raise Fail(f"{what}: got {got!r}, want {want!r}")


def sock():
    return socket.socket(socket.AF_INET, socket.SOCK_STREAM, PROTO)


def err_of(fn, *args):
    """The errno name a call fails with, or OK."""
    try:
        fn(*args)
        return "OK"
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))


def ename(e):
    """The errno name of a connect_ex() result, or OK."""
    return errno.errorcode[e] if e else "OK"


def endpoint(addr):
    return f"{addr[0]}:{addr[1]}"


def states():
    """{(local, remote): state} of every connection of PROTO here."""
    out = {}
    if PROTO == 6:
        with open("/proc/net/tcp") as f:
            next(f)
            for line in f:
                fields = line.split()

                def dec(hexaddr):
                    a, p = hexaddr.split(":")
                    ip = socket.inet_ntoa(struct.pack("<I", int(a, 16)))
                    return f"{ip}:{int(p, 16)}"
                out[(dec(fields[1]), dec(fields[2]))] = TCP_STATES[int(fields[3], 16)]
    else:
        with open("/proc/toytcp/conns") as f:
            next(f)
            for line in f:
                fields = line.split()
                out[(fields[0], fields[1])] = fields[2]
    return out


def retrans_segs():
    """RetransSegs of PROTO here: segments sent again."""
    if PROTO == 6:
        with open("/proc/net/snmp") as f:
            rows = [line.split() for line in f if line.startswith("Tcp:")]
        return int(rows[1][rows[0].index("RetransSegs")])
    with open("/proc/toytcp/stats") as f:
        return int(dict(line.split() for line in f)["RetransSegs"])


def state(local, remote, want, timeout=5.0):
    """Wait until local-remote is in state WANT ("GONE": not listed)."""
    deadline = time.time() + timeout
    while True:
        got = states().get((endpoint(local), endpoint(remote)), "GONE")
        if got == want or time.time() > deadline:
            return got
        time.sleep(0.02)


def expect_state(what, s, want, peer=False, timeout=5.0):
    local, remote = s
    expect(f"{what} state", state(local, remote, want, timeout), want)


def listener(backlog=8):
    lst = sock()
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind((LO, 0))
    lst.listen(backlog)
    return lst


def pair():
    """A connected (client, server) pair and the listener."""
    lst = listener()
    c = sock()
    c.settimeout(10)
    c.connect(lst.getsockname())
    lst.settimeout(10)
    s, _ = lst.accept()
    s.settimeout(10)
    return c, s, lst


def ends(s):
    return (s.getsockname(), s.getpeername())


def small_pair():
    """A connected pair with small buffers: the sender's fills up soon."""
    lst = listener()
    c = sock()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16384)
    c.connect(lst.getsockname())
    s, _ = lst.accept()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    return c, s, lst


def recv_all(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            break
        buf += chunk
    return buf


def nonblocking_connect_fails(what, addr, err):
    """A non-blocking connect() to ADDR: EINPROGRESS, then POLLOUT, POLLERR
    and POLLHUP, and SO_ERROR says ERR. Returns the socket."""
    c = sock()
    c.setblocking(False)
    expect(f"non-blocking connect(), {what}", ename(c.connect_ex(addr)), "EINPROGRESS")
    p = select.poll()
    p.register(c, select.POLLOUT)
    ev = p.poll(5000)
    mask = ev[0][1] if ev else 0
    expect("failed: POLLOUT|POLLERR|POLLHUP",
           (bool(mask & select.POLLOUT), bool(mask & select.POLLERR),
            bool(mask & select.POLLHUP)), (True, True, True))
    expect("SO_ERROR", ename(c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)), err)
    return c


# ---- the cases ----------------------------------------------------------

def case_port_range():
    """connect() never takes a port a listener holds, as Linux's
    __inet_hash_connect() skips a bind()'s port: with ip_local_port_range
    P..P+1 and a listener on P, a connect() takes P+1, the next finds no
    port. (Taking P, it would connect to itself.)"""
    path = "/proc/sys/net/ipv4/ip_local_port_range"
    with open(path) as f:
        saved = f.read()
    lst = sock()
    for p in range(50000, 50200, 2):
        try:
            probe = sock()
            probe.bind((LO, p + 1))     # nobody holds P+1
            probe.close()
            lst.bind((LO, p))
            break
        except OSError:
            probe.close()
    lst.listen(8)
    c1, c2 = sock(), sock()
    try:
        with open(path, "w") as f:
            f.write(f"{p} {p + 1}")
        expect("a connect() with the listener's port in the range",
               err_of(c1.connect, (LO, p)), "OK")
        expect("its port is the other one", c1.getsockname()[1] - p, 1)
        expect("the next connect(), no port left",
               err_of(c2.connect, (LO, p)), "EADDRNOTAVAIL")
    finally:
        with open(path, "w") as f:
            f.write(saved)
    for x in (c1, c2, lst):
        x.close()


def case_refused():
    """connect() to a port nobody listens on: ECONNREFUSED."""
    lst = listener()
    port = lst.getsockname()[1]
    lst.close()
    c = sock()
    expect("connect to a closed port", err_of(c.connect, (LO, port)), "ECONNREFUSED")
    expect("connect again after the refusal", err_of(c.connect, (LO, port)), "ECONNREFUSED")
    c.close()


def case_handshake():
    """Blocking connect() returns once ESTABLISHED; accept() the peer's address."""
    lst = listener()
    expect_state("listener", (lst.getsockname(), ("0.0.0.0", 0)), "LISTEN")
    c = sock()
    c.connect(lst.getsockname())
    expect_state("client after connect()", ends(c), "ESTABLISHED")
    s, peer = lst.accept()
    expect("accept() gives the client's address", peer == c.getsockname(), True)
    expect("server's peer is the client", s.getpeername() == c.getsockname(), True)
    expect_state("accepted child", ends(s), "ESTABLISHED")
    expect("EISCONN on a second connect()", err_of(c.connect, lst.getsockname()), "EISCONN")
    for x in (c, s, lst):
        x.close()


def case_backlog():
    """listen(1): two handshakes complete unaccepted, a third waits for room."""
    lst = listener(backlog=1)
    c1, c2 = sock(), sock()
    c1.settimeout(5)
    c2.settimeout(5)
    c1.connect(lst.getsockname())
    c2.connect(lst.getsockname())
    c3 = sock()
    c3.setblocking(False)
    expect("a third connect()", ename(c3.connect_ex(lst.getsockname())), "EINPROGRESS")
    p = select.poll()
    p.register(c3, select.POLLOUT)
    expect("it does not complete while the queue is full", p.poll(500), [])
    s1, _ = lst.accept()
    ev = p.poll(8000)
    expect("once one is accepted, it does (its SYN again)",
           bool(ev and ev[0][1] & select.POLLOUT), True)
    expect("SO_ERROR", c3.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 0)
    for x in (c1, c2, c3, s1, lst):
        x.close()


def case_bind():
    """bind(): port 0, EADDRINUSE, SO_REUSEADDR, a local address, EADDRNOTAVAIL."""
    a = sock()
    a.bind((LO, 0))
    port = a.getsockname()[1]
    expect("port 0 gives an ephemeral port", 1024 < port < 65536, True)
    b = sock()
    expect("the same port again", err_of(b.bind, (LO, port)), "EADDRINUSE")
    expect("the same port on any address", err_of(b.bind, ("0.0.0.0", port)), "EADDRINUSE")
    b.close()
    expect("bind twice", err_of(a.bind, (LO, 0)), "EINVAL")
    a.close()
    r1, r2 = sock(), sock()
    for r in (r1, r2):
        r.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    r1.bind((LO, 0))
    port = r1.getsockname()[1]
    expect("both SO_REUSEADDR, neither listening", err_of(r2.bind, (LO, port)), "OK")
    r1.listen(1)
    expect("listen() on a port another socket holds", err_of(r2.listen, 1), "EADDRINUSE")
    for r in (r1, r2):
        r.close()
    n = sock()
    expect("bind to an address that is not ours", err_of(n.bind, ("192.0.2.1", 0)),
           "EADDRNOTAVAIL")
    n.close()


def case_nonblocking_connect():
    """EINPROGRESS, then POLLOUT and SO_ERROR tell the outcome."""
    lst = listener()
    c = sock()
    c.setblocking(False)
    expect("non-blocking connect()", ename(c.connect_ex(lst.getsockname())),
           "EINPROGRESS")
    p = select.poll()
    p.register(c, select.POLLOUT)
    ev = p.poll(5000)
    expect("POLLOUT once connected", bool(ev and ev[0][1] & select.POLLOUT), True)
    expect("SO_ERROR", c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 0)
    expect("connect() again: done", ename(c.connect_ex(lst.getsockname())), "OK")
    expect("and once more", ename(c.connect_ex(lst.getsockname())), "EISCONN")
    port = lst.getsockname()[1]
    c.close()
    lst.close()
    c = nonblocking_connect_fails("a closed port", (LO, port), "ECONNREFUSED")
    expect("SO_ERROR is read once", c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 0)
    c.close()


def case_accept():
    """accept(): EAGAIN non-blocking, SOCK_NONBLOCK for the new socket."""
    lst = listener()
    lst.setblocking(False)
    expect("accept() with nobody waiting", err_of(lst.accept), "EAGAIN")
    p = select.poll()
    p.register(lst, select.POLLIN)
    expect("listener not readable", p.poll(0), [])
    c = sock()
    c.connect(lst.getsockname())
    ev = p.poll(5000)
    expect("listener readable once a client waits",
           bool(ev and ev[0][1] & select.POLLIN), True)
    s, _ = lst.accept()
    expect("accepted socket inherits no O_NONBLOCK", s.getblocking(), True)
    c2 = sock()
    c2.connect(lst.getsockname())
    p.poll(5000)
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.accept4(lst.fileno(), None, None, socket.SOCK_NONBLOCK | socket.SOCK_CLOEXEC)
    expect("accept4(SOCK_NONBLOCK | SOCK_CLOEXEC)", fd >= 0, True)
    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    expect("the new socket is non-blocking", bool(flags & os.O_NONBLOCK), True)
    expect("and close-on-exec", bool(fcntl.fcntl(fd, fcntl.F_GETFD) & fcntl.FD_CLOEXEC), True)
    s2 = socket.socket(fileno=fd)
    expect("recv() on it", err_of(s2.recv, 1), "EAGAIN")
    for x in (c, s, c2, s2, lst):
        x.close()


def case_data():
    """send()/recv(): the bytes, MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL, SO_RCVTIMEO."""
    c, s, lst = pair()
    expect("send 100 bytes", c.send(b"x" * 100), 100)
    expect("MSG_PEEK", len(s.recv(1000, socket.MSG_PEEK)) > 0, True)
    expect("the bytes", recv_all(s, 100), b"x" * 100)
    s.setblocking(True)  # Python's own timeouts are poll()s: not these
    expect("MSG_DONTWAIT with nothing", err_of(s.recv, 10, socket.MSG_DONTWAIT), "EAGAIN")
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("ll", 0, 300000))
    t = time.time()
    expect("SO_RCVTIMEO with nothing", err_of(s.recv, 10), "EAGAIN")
    obs(f"waited about the timeout: {0.25 < time.time() - t < 3}")
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("ll", 10, 0))

    def later():
        for part in (b"ab", b"cd", b"ef"):
            time.sleep(0.1)
            c.send(part)
    th = threading.Thread(target=later)
    th.start()
    expect("MSG_WAITALL waits for all 6", s.recv(6, socket.MSG_WAITALL), b"abcdef")
    th.join()
    for x in (c, s, lst):
        x.close()


def case_half_close():
    """shutdown(SHUT_WR): FIN after the data; the peer can still send."""
    c, s, lst = pair()
    c.sendall(b"request")
    c.shutdown(socket.SHUT_WR)
    expect("server reads the request", recv_all(s, 7), b"request")
    expect("then end of stream", s.recv(10), b"")
    expect_state("client", ends(c), "FIN_WAIT2")
    expect_state("server", ends(s), "CLOSE_WAIT")
    expect("client sends after SHUT_WR", err_of(c.send, b"x"), "EPIPE")
    s.sendall(b"response")
    expect("client reads the response", recv_all(c, 8), b"response")
    p = select.poll()
    p.register(s, select.POLLIN | select.POLLRDHUP)
    ev = p.poll(1000)
    expect("server sees POLLRDHUP", bool(ev and ev[0][1] & select.POLLRDHUP), True)
    cend = ends(c)
    s.close()
    expect("client reads end of stream", c.recv(10), b"")
    expect_state("client after the server's FIN", cend, "TIME_WAIT")
    c.close()
    expect_state("client after close()", cend, "TIME_WAIT")
    lst.close()


def case_close_unread():
    """close() with unread data sends RST (RFC 2525): the peer gets ECONNRESET."""
    c, s, lst = pair()
    c.sendall(b"never read")
    time.sleep(0.2)
    send = ends(s)
    s.close()
    expect_state("server after close()", send, "GONE")
    time.sleep(0.2)
    expect("client recv()", err_of(c.recv, 10), "ECONNRESET")
    expect("then recv() again", err_of(c.recv, 10), "OK")
    c.close()
    lst.close()


def case_linger_zero():
    """SO_LINGER 0: close() resets; send() after a reset: ECONNRESET, then EPIPE."""
    c, s, lst = pair()
    cend = ends(c)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
    time.sleep(0.2)
    expect_state("client after the reset", cend, "GONE")
    expect("first send()", err_of(c.send, b"x"), "ECONNRESET")
    expect("second send()", err_of(c.send, b"x"), "EPIPE")
    c.close()
    lst.close()


def case_close_orphan():
    """close() first: FIN_WAIT1/2 then TIME_WAIT without a socket."""
    c, s, lst = pair()
    cend = ends(c)
    c.close()
    expect("server reads end of stream", s.recv(10), b"")
    expect_state("client, orphaned", cend, "FIN_WAIT2")
    s.close()
    expect_state("client, orphaned", cend, "TIME_WAIT")
    lst.close()


def case_options():
    """Options: NODELAY at the protocol's level, unknown ones, buffers, keepalive."""
    c, s, lst = pair()
    expect("NODELAY off", c.getsockopt(SOL, NODELAY), 0)
    c.setsockopt(SOL, NODELAY, 1)
    expect("NODELAY on", c.getsockopt(SOL, NODELAY) != 0, True)
    expect("an unknown option", err_of(c.setsockopt, SOL, 9999, 1), "ENOPROTOOPT")
    expect("an unknown option (get)", err_of(c.getsockopt, SOL, 9999), "ENOPROTOOPT")
    c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    expect("SO_KEEPALIVE", c.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE), 1)
    c.setsockopt(SOL, KEEPIDLE, 7)
    c.setsockopt(SOL, KEEPINTVL, 3)
    c.setsockopt(SOL, KEEPCNT, 4)
    expect("KEEPIDLE KEEPINTVL KEEPCNT",
           (c.getsockopt(SOL, KEEPIDLE), c.getsockopt(SOL, KEEPINTVL),
            c.getsockopt(SOL, KEEPCNT)), (7, 3, 4))
    expect("KEEPIDLE 0", err_of(c.setsockopt, SOL, KEEPIDLE, 0), "EINVAL")
    c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
    expect("SO_RCVBUF doubles", c.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF), 16384)
    for x in (c, s, lst):
        x.close()


def case_unconnected():
    """Calls on a socket that never connected."""
    u = sock()
    expect("recv()", err_of(u.recv, 1), "ENOTCONN")
    expect("send()", err_of(u.send, b"x"), "EPIPE")
    expect("getpeername()", err_of(u.getpeername), "ENOTCONN")
    expect("shutdown()", err_of(u.shutdown, socket.SHUT_WR), "ENOTCONN")
    p = select.poll()
    p.register(u, select.POLLIN | select.POLLOUT)
    ev = p.poll(0)
    expect("poll(): POLLOUT|POLLHUP", ev[0][1] if ev else 0, select.POLLOUT | select.POLLHUP)
    u.close()


def case_bulk():
    """1 MiB each way at once, sha256-checked."""
    size = (8 if LONG else 1) << 20
    c, s, lst = pair()
    # sendall()'s timeout bounds the whole call: 10 s a MiB (without window
    # scaling toytcp moves it slower than Linux TCP; see the benchmarks).
    for x in (c, s):
        x.settimeout(10 * (size >> 20))
    data_c, data_s = os.urandom(size), os.urandom(size)
    got = {}

    def reader(name, x):
        got[name] = hashlib.sha256(recv_all(x, size)).hexdigest()
    threads = [threading.Thread(target=reader, args=("s", s)),
               threading.Thread(target=reader, args=("c", c))]
    for t in threads:
        t.start()
    ws = threading.Thread(target=s.sendall, args=(data_s,))
    ws.start()
    c.sendall(data_c)
    ws.join()
    for t in threads:
        t.join(60)
    expect("client to server", got.get("s") == hashlib.sha256(data_c).hexdigest(), True)
    expect("server to client", got.get("c") == hashlib.sha256(data_s).hexdigest(), True)
    for x in (c, s, lst):
        x.close()


def case_zero_window():
    """A reader that stalls: the sender stops at a closed window, then all arrives."""
    c, s, lst = small_pair()
    data = os.urandom((4 if LONG else 1) << 20)
    c.setblocking(False)
    off = 0
    try:
        while off < len(data):
            off += c.send(data[off:off + 4096])
    except BlockingIOError:
        pass
    expect("the sender stalls before 1 MiB", off < len(data), True)
    p = select.poll()
    p.register(c, select.POLLOUT)
    expect("no POLLOUT while stalled", p.poll(500), [])
    c.setblocking(True)
    # sendall()'s timeout bounds it all: through a window of a few KiB, a
    # MiB takes Linux TCP tens of seconds under the debug kernel.
    c.settimeout(60 * (len(data) >> 20))
    s.settimeout(60)
    th = threading.Thread(target=c.sendall, args=(data[off:],))
    th.start()
    got = recv_all(s, len(data))
    th.join()
    expect("every byte, once, in order",
           hashlib.sha256(got).digest() == hashlib.sha256(data).digest(), True)
    for x in (c, s, lst):
        x.close()


def case_unreachable():
    """connect() with no route: ENETUNREACH, at once."""
    c = sock()
    expect("connect to a network with no route", err_of(c.connect, ("192.0.2.1", 9)),
           "ENETUNREACH")
    c.close()


def case_unreachable_route():
    """connect() along an unreachable or a prohibited route fails at once."""
    c = sock()
    expect("connect along an unreachable route",
           err_of(c.connect, (UNREACHABLE, 9)), "EHOSTUNREACH")
    c.close()
    c = sock()
    expect("connect along a prohibited route",
           err_of(c.connect, (PROHIBITED, 9)), "EACCES")
    c.close()


def case_no_neighbour():
    """connect() to an address on the link that nobody answers ARP for:
    EHOSTUNREACH (the ICMP error the host sends itself), blocking or not."""
    c = sock()
    before = retrans_segs()
    expect("blocking connect(), nobody there",
           err_of(c.connect, (NOBODY, 9)), "EHOSTUNREACH")
    # ARP gives up after 0.1 s, the SYN's RTO is 1 s: what ended the
    # attempt is ARP's failure, not a timeout after retransmissions.
    expect("failed when ARP gave up, before any SYN retransmission",
           retrans_segs() - before, 0)
    expect("nothing left of it",
           [st for (_, r), st in states().items() if r == endpoint((NOBODY, 9))], [])
    c.close()
    c = nonblocking_connect_fails("nobody there", (NOBODY, 9), "EHOSTUNREACH")
    c.close()


def case_linger_wait():
    """SO_LINGER above 0: close() returns once the FIN is acknowledged."""
    c, s, lst = pair()
    cend = ends(c)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 5))
    c.sendall(b"last words")
    t = time.time()
    c.close()
    obs(f"close() took under 3 s: {time.time() - t < 3}")
    expect_state("client after a lingering close()", cend, "FIN_WAIT2")
    expect("server reads the data", recv_all(s, 10), b"last words")
    expect("then end of stream", s.recv(10), b"")
    for x in (s, lst):
        x.close()


def case_epoll_many():
    """Many connections through one edge-triggered epoll loop."""
    n = 3000 if LONG else 1000
    lst = listener(backlog=n)
    lst.setblocking(False)
    ep = select.epoll()
    ep.register(lst, select.EPOLLIN | select.EPOLLET)
    conns = {}
    done = threading.Event()
    echoed = [0]

    def serve():
        while not done.is_set():
            for fd, ev in ep.poll(0.2):
                if fd == lst.fileno():
                    while True:  # edge-triggered: drain the queue
                        try:
                            x, _ = lst.accept()
                        except BlockingIOError:
                            break
                        x.setblocking(False)
                        conns[x.fileno()] = x
                        ep.register(x, select.EPOLLIN | select.EPOLLRDHUP | select.EPOLLET)
                    continue
                x = conns[fd]
                while True:  # edge-triggered: read until EAGAIN
                    try:
                        data = x.recv(65536)
                    except BlockingIOError:
                        break
                    if not data:
                        ep.unregister(fd)
                        del conns[fd]
                        x.close()
                        break
                    x.sendall(data)
                    echoed[0] += len(data)
    th = threading.Thread(target=serve)
    th.start()
    clients = []
    for i in range(n):
        c = sock()
        c.settimeout(30)
        c.connect(lst.getsockname())
        c.sendall(b"%06d" % i)
        clients.append(c)
    ok = all(recv_all(c, 6) == b"%06d" % i for i, c in enumerate(clients))
    for c in clients:
        c.close()
    deadline = time.time() + 30
    while conns and time.time() < deadline:
        time.sleep(0.05)
    done.set()
    th.join()
    expect(f"{n} connections, each echoed", ok, True)
    expect("bytes echoed", echoed[0], 6 * n)
    expect("the server saw every close", len(conns), 0)
    ep.close()
    lst.close()


def case_sigpipe():
    """send() after shutdown(SHUT_WR): EPIPE, and SIGPIPE unless MSG_NOSIGNAL."""
    c, s, lst = pair()
    c.shutdown(socket.SHUT_WR)
    expect("MSG_NOSIGNAL", err_of(c.send, b"x", socket.MSG_NOSIGNAL), "EPIPE")
    pid = os.fork()
    if pid == 0:  # the child: SIGPIPE as a C program has it
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        try:
            c.send(b"x")
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    expect("without it, SIGPIPE kills", os.WIFSIGNALED(status) and
           os.WTERMSIG(status) == signal.SIGPIPE, True)
    for x in (c, s, lst):
        x.close()


def case_shut_rd():
    """shutdown(SHUT_RD): recv() returns 0; the peer may still send."""
    c, s, lst = pair()
    c.sendall(b"before")
    time.sleep(0.2)
    s.shutdown(socket.SHUT_RD)
    expect("data that was there", recv_all(s, 6), b"before")
    expect("then end of stream", s.recv(10), b"")
    expect_state("server after SHUT_RD", ends(s), "ESTABLISHED")
    s.sendall(b"still")
    expect("the client still reads", recv_all(c, 5), b"still")
    for x in (c, s, lst):
        x.close()


def case_sndtimeo():
    """SO_SNDTIMEO: a blocked send() gives up with EAGAIN."""
    c, s, lst = small_pair()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, struct.pack("ll", 0, 300000))
    sent, err = 0, "OK"
    try:
        for _ in range(1000):
            sent += c.send(b"z" * 4096)
    except OSError as e:
        err = errno.errorcode[e.errno]
    expect("send() into a full buffer, at last", err, "EAGAIN")
    obs(f"something was sent first: {sent > 0}")
    for x in (c, s, lst):
        x.close()


CASES = {n[5:]: f for n, f in sorted(globals().items()) if n.startswith("case_")}


def main():
    names = sys.argv[2:] or list(CASES)
    failed = 0
    for name in names:
        del observed[:]
        try:
            CASES[name]()
            print(f"ok {name}")
        except Exception as e:  # a case's failure, whatever it is
            failed += 1
            print(f"FAIL {name}: {type(e).__name__}: {e}")
        for o in observed:
            print(f"  {name}: {o}")
        sys.stdout.flush()
    return failed


if __name__ == "__main__":
    sys.exit(main())
