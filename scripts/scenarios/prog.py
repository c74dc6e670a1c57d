#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A program of a scenario: socket calls, one per step, each written down.

    prog.py HOST STEP...

Each step is one call on a toytcp socket (socket(AF_INET, SOCK_STREAM,
253)), logged before it is made and when it returns, as lines "TIME HOST
TEXT" appended to $TOYTCP_EVENTS, so that the transcript shows the
program's call beside the segments it caused:

    bind:PORT        bind the next socket to PORT (the client's own port)
    listen:PORT[:N]  a listening socket on PORT, listen(N) (default 8)
    accept           accept() a connection (the listening socket stays)
    connect:ADDR:PORT
    send:N[:TEXT]    send N bytes (TEXT repeated), one send() call
    recv:N           receive exactly N bytes
    eof              recv() until it returns 0: the peer's FIN
    shutdown         shutdown(SHUT_WR): our FIN, reading goes on
    close            close() the connection
    linger0          SO_LINGER 0: close() will send a reset
    keepalive:IDLE:INTVL:CNT
                     SO_KEEPALIVE on, and at SOL_TOYTCP TCP_KEEPIDLE,
                     TCP_KEEPINTVL, TCP_KEEPCNT
    sleep:S          wait S seconds (so that segments do not cross)
    wait:FILE        wait until FILE exists (a step of the other program)
    mark:FILE        create FILE
"""
import errno
import os
import socket
import struct
import sys
import time

HOST = sys.argv[1]
# toytcp's socket options live at level 253, with TCP's numbers (sock.h).
SOL_TOYTCP = 253
EVENTS = os.environ.get("TOYTCP_EVENTS", "/dev/null")


def log(text):
    with open(EVENTS, "a") as f:
        f.write("%.6f %s %s\n" % (time.time(), HOST, text))


def new_sock(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)
    if port:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", port))
    return s


def main():
    lst = conn = None
    port = 0
    for step in sys.argv[2:]:
        op, _, arg = step.partition(":")
        try:
            if op == "bind":
                port = int(arg)
            elif op == "listen":
                p, _, n = arg.partition(":")
                lst = new_sock(int(p))
                log("listen(port %s%s)" % (p, ", backlog %s" % n if n else ""))
                lst.listen(int(n or 8))
            elif op == "accept":
                log("accept() ...")
                conn, peer = lst.accept()
                log("accept() returned: %s:%d" % peer)
            elif op == "connect":
                addr, p = arg.rsplit(":", 1)
                conn = new_sock(port)
                log("connect(%s:%s) ..." % (addr, p))
                conn.connect((addr, int(p)))
                log("connect() returned 0: connected")
            elif op == "send":
                n, _, text = arg.partition(":")
                data = ((text or "x") * int(n))[:int(n)].encode()
                log("send(%d bytes)" % len(data))
                conn.sendall(data)
            elif op == "recv":
                n, got = int(arg), b""
                while len(got) < n:
                    chunk = conn.recv(n - len(got))
                    if not chunk:
                        break
                    got += chunk
                log("recv() returned %d bytes" % len(got))
            elif op == "eof":
                while conn.recv(65536):
                    pass
                log("recv() returned 0: end of stream, the peer closed")
            elif op == "shutdown":
                log("shutdown(SHUT_WR)")
                conn.shutdown(socket.SHUT_WR)
            elif op == "linger0":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                log("setsockopt(SO_LINGER, 0)")
            elif op == "keepalive":
                idle, intvl, cnt = (int(v) for v in arg.split(":"))
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
                conn.setsockopt(SOL_TOYTCP, socket.TCP_KEEPIDLE, idle)
                conn.setsockopt(SOL_TOYTCP, socket.TCP_KEEPINTVL, intvl)
                conn.setsockopt(SOL_TOYTCP, socket.TCP_KEEPCNT, cnt)
                log("setsockopt(SO_KEEPALIVE; idle %d s, every %d s, %d probes)"
                    % (idle, intvl, cnt))
            elif op == "close":
                log("close()")
                conn.close()
            elif op == "sleep":
                time.sleep(float(arg))
            elif op == "wait":
                while not os.path.exists(arg):
                    time.sleep(0.02)
            elif op == "mark":
                open(arg, "w").close()
            else:
                sys.exit("prog.py: unknown step %s" % step)
        except OSError as e:
            log("%s failed: %s (%s)" % (op, errno.errorcode.get(e.errno, e.errno),
                                        os.strerror(e.errno)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
