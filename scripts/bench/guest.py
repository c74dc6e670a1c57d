#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Measure toytcp and Linux TCP side by side, inside the bench VM.

Two network namespaces, a (10.0.0.1) and b (10.0.0.2), joined by veth;
the bench program (scripts/bench/bench.c) serves in b and drives from a,
the same code for both protocols (-P 6 or -P 253). Every figure is one
CSV row: figure, proto (6, 253, or for the hook: none / toytcp), count
(connections, or 0), value, unit. In order:

1. hook: UDP packets/s from a to b (pktgen) with toytcp not loaded, then
   loaded, alternately (blocks of ABBA), the median of each one's runs
   in the main cluster, and the plain medians (see Bench.hook()).
2. crr, rr (p50, p99), stream, handshake: one flow each, fresh namespaces
   for each run; three runs of each protocol in ABBA order (one in a tiny
   run), each figure the median of its runs (see Bench.basics()).
3. For each count of connections held through sockets (1k, 10k, 100k):
   slab bytes of the protocol's caches per ESTABLISHED endpoint (both ends
   are in this VM), rr latency on one more connection while they stand,
   the time to read the listing (/proc/toytcp/conns, /proc/net/tcp) in b;
   then a closes them all first and the slab bytes per TIME_WAIT.
4. toytcp alone at 1M connections, opened through ctl (sockets for 2M
   endpoints do not fit the VM): its table entry's bytes, rr latency and
   the listing's time at that size.

Each step starts from new namespaces and a slab that has settled, so what
one step left (TIME_WAITs of crr) is not counted by the next.
"""
import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import time

SIZES = {
    # hold counts, ctl count, seconds per test, hook rounds, hook seconds,
    # the handshake's burst, the protocols' order for crr, rr, stream and
    # handshake (each figure the median of its protocol's runs)
    'full': dict(hold=[1000, 10000, 100000], ctl=1000000, secs=5, rounds=8,
                 hook_secs=2, burst=1000, basic=(6, 253, 253, 6, 6, 253)),
    # Enough connections that the slab's per-CPU slack (a few slabs) is
    # small beside what they take: at 100 it could make a delta negative.
    'tiny': dict(hold=[1000, 2000], ctl=4000, secs=1, rounds=1, hook_secs=1,
                 burst=50, basic=(6, 253)),
}
CACHES = {6: ['TCP', 'tw_sock_TCP', 'request_sock_TCP'],
          253: ['TOYTCP', 'toytcp_conn', 'toytcp_tw']}
# What a connection leaves in TIME_WAIT. Its socket and connection are
# gone by then: counting their caches too would only add their CPUs'
# slack (objects free in a CPU's own slab count as in use), which at a
# thousand TIME_WAITs of 96 bytes was larger than what they take.
TW_CACHES = {6: ['tw_sock_TCP'], 253: ['toytcp_tw']}
PORT = 7000
HOLD_PORTS = 8          # 28,232 ephemeral ports per destination
CTL_PORTS = 16          # ctl connects name their source port: 1024..65535
UDP_PORT = 9000


def log(*what):
    print('--', *what, flush=True)


def run(*cmd, check=True):
    return subprocess.run(cmd, check=check, capture_output=True, text=True)


def ns(name, *cmd):
    return ['ip', 'netns', 'exec', name, *cmd]


class Bench:
    def __init__(self, args):
        self.size = SIZES[args.size]
        self.prog = args.bench
        self.module = args.module
        self.csv = open(args.csv, 'w')
        self.csv.write('figure,proto,count,value,unit\n')
        self.loaded = False

    def record(self, figure, proto, count, value, unit):
        row = f'{figure},{proto},{count},{value:.6g},{unit}'
        self.csv.write(row + '\n')
        self.csv.flush()
        print('=', row, flush=True)

    # --- the module and the namespaces --------------------------------

    def load(self):
        if not self.loaded:
            big = 2 * self.size['ctl'] + 4 * max(self.size['hold']) + 100000
            run('insmod', self.module, 'msl_ms=30000', f'max_conns={big}',
                f'max_timewait={big}', f'max_orphans={big}')
            self.loaded = True

    def unload(self):
        if self.loaded:
            run('rmmod', 'toytcp')
            self.loaded = False

    def hosts_up(self):
        for name in 'ab':
            run('ip', 'netns', 'add', name)
            run('ip', '-n', name, 'link', 'set', 'lo', 'up')
        run('ip', 'link', 'add', 'va', 'netns', 'a', 'type', 'veth',
            'peer', 'vb', 'netns', 'b')
        for name, dev, addr in (('a', 'va', '10.0.0.1'),
                                ('b', 'vb', '10.0.0.2')):
            run('ip', '-n', name, 'addr', 'add', addr + '/24', 'dev', dev)
            run('ip', '-n', name, 'link', 'set', dev, 'up')
            # Linux TCP would drop TIME_WAITs past this; toytcp's limit
            # is max_timewait (load()).
            run(*ns(name, 'sysctl', '-qw',
                    'net.ipv4.tcp_max_tw_buckets=4000000'))
        # The first packets wait for ARP: settle it before measuring.
        run(*ns('a', 'ping', '-c', '1', '-W', '5', '10.0.0.2'))

    def hosts_down(self):
        run('ip', 'netns', 'del', 'a', check=False)
        run('ip', 'netns', 'del', 'b', check=False)
        self.settle()

    def settle(self):
        """Until the namespaces gone are cleaned up: the slab stands still."""
        names = CACHES[6] + CACHES[253]
        last, still = None, 0
        for _ in range(240):
            snap = {k: v[0] for k, v in slab().items() if k in names}
            still = still + 1 if snap == last else 0
            if still >= 4:
                return
            last = snap
            time.sleep(0.25)
        log('slab still moving after 60 s; measuring anyway')

    # --- the bench program --------------------------------------------

    def serve(self, proto, ports=1):
        p = subprocess.Popen(ns('b', self.prog, '-P', str(proto), '-p',
                                str(ports), 'serve', str(PORT)),
                             stdout=subprocess.PIPE, text=True)
        if p.stdout.readline().strip() != 'serving':
            sys.exit(f'bench serve -P {proto} did not start')
        return p

    def client(self, proto, *args):
        out = run(*ns('a', self.prog, '-P', str(proto), *args,
                      '10.0.0.2', str(PORT))).stdout
        return dict(kv.split('=') for kv in out.split())

    # --- the steps ----------------------------------------------------

    def hook(self):
        """UDP from a to b, toytcp not loaded and loaded.

        The packets come from the kernel's packet generator (pktgen) in a:
        one kernel thread builds each UDP datagram, hands it to the veth,
        and b's whole receive path (IP, netfilter's LOCAL_IN, UDP) runs
        right after on the same CPU, so the rate is the CPU time of that
        path and no scheduler or socket buffer comes between. b counts
        what arrives (Udp NoPorts: no socket listens). Runs alternate in
        ABBA blocks (not loaded, loaded, loaded, not loaded), so that the
        machine's drift falls on both alike. The host moves whole runs,
        in both modes alike, into clusters about 5% apart (QEMU emulates
        every instruction, and its threads share two cores with the rest
        of the host), and a plain median lands in one cluster or another
        as the runs happen to split: see main_cluster(). After every load
        or unload a short run goes unmeasured: loading patches the
        kernel's text (netfilter's static key), and QEMU translates the
        patched code again.
        """
        log('hook cost: UDP packets/s, toytcp loaded and not')
        self.hosts_up()
        self.pktgen_setup()
        count = int(self.pktgen(100000) * self.size['hook_secs'])
        pps = {'none': [], 'toytcp': []}
        for mode in ('none', 'toytcp', 'toytcp', 'none') * self.size['rounds']:
            if (mode == 'toytcp') != self.loaded:
                if mode == 'toytcp':
                    self.load()
                else:
                    self.unload()
                self.pktgen(count // 4)     # warm-up, not measured
            pps[mode].append(self.pktgen(count))
        self.unload()
        log('UDP packets/s, not loaded:', *(f'{v:.0f}' for v in pps['none']))
        log('UDP packets/s, loaded:', *(f'{v:.0f}' for v in pps['toytcp']))
        main = main_cluster(pps)
        log('runs within 3% of the median of all:',
            *(f'{m} {len(v)} of {len(pps[m])}' for m, v in main.items()))
        for mode, vals in pps.items():
            self.record('udp_pps', mode, 0, statistics.median(main[mode]),
                        'packets/s')
            self.record('udp_pps_median', mode, 0, statistics.median(vals),
                        'packets/s')
        run('rmmod', 'pktgen')
        self.hosts_down()

    def pktgen_setup(self):
        """pktgen's thread on CPU 0 of a sends 60-byte UDP datagrams
        10.0.0.1:9001 -> 10.0.0.2:9000 through va."""
        mods = os.environ.get('TOYTCP_STOCK_MODULES', '')
        ko = os.path.join(mods, 'kernel/net/core/pktgen.ko')
        if not os.path.exists(ko):
            sys.exit(f'no pktgen.ko at {ko!r}: the hook is measured with pktgen')
        run('insmod', ko)
        mac = run(*ns('b', 'cat', '/sys/class/net/vb/address')).stdout.strip()
        self.pg('kpktgend_0', 'rem_device_all')
        self.pg('kpktgend_0', 'add_device va')
        for cmd in ('pkt_size 60', 'delay 0', 'clone_skb 0', 'dst 10.0.0.2',
                    f'dst_mac {mac}', 'src_min 10.0.0.1', 'src_max 10.0.0.1',
                    'udp_src_min 9001', 'udp_src_max 9001',
                    f'udp_dst_min {UDP_PORT}', f'udp_dst_max {UDP_PORT}'):
            self.pg('va', cmd)

    @staticmethod
    def pg(name, cmd):
        """Write CMD to /proc/net/pktgen/NAME in a."""
        run(*ns('a', 'sh', '-c', f'echo {cmd} > /proc/net/pktgen/{name}'))

    def pktgen(self, count):
        """Send COUNT datagrams; what b received per second."""
        self.pg('va', f'count {count}')
        before = udp_noports('b')
        t0 = time.monotonic()
        self.pg('pgctrl', 'start')      # returns once all are sent
        secs = time.monotonic() - t0
        got = udp_noports('b') - before
        if got < count * 0.9:
            sys.exit(f'pktgen: b received {got} of {count} datagrams')
        return got / secs

    def basics(self):
        """crr, rr, stream, handshake: each protocol in namespaces of its
        own for every run, the runs in ABBA order (the order of the
        'basic' size), each figure the median of its runs."""
        secs = str(self.size['secs'])
        n = self.size['burst']
        runs = {}

        def note(figure, proto, value):
            runs.setdefault((figure, proto), []).append(value)

        order = self.size['basic']
        for i, proto in enumerate(order):
            log(f'crr, rr, stream, handshake: protocol {proto} '
                f'(run {i + 1} of {len(order)})')
            self.hosts_up()
            srv = self.serve(proto)
            r = self.client(proto, '-t', secs, 'crr')
            note('crr', proto, float(r['ops_per_s']))
            r = self.client(proto, '-t', secs, 'rr')
            note('rr', proto, float(r['ops_per_s']))
            note('rr_p50', proto, float(r['p50_us']))
            note('rr_p99', proto, float(r['p99_us']))
            r = self.client(proto, '-t', secs, 'stream')
            note('stream', proto, float(r['bytes_per_s']))
            r = self.client(proto, '-n', str(n), 'handshake')
            note('handshake', proto, float(r['seconds']))
            srv.kill()
            srv.wait()
            self.hosts_down()
        units = dict(crr='connections/s', rr='transactions/s', rr_p50='us',
                     rr_p99='us', stream='bytes/s', handshake='s')
        for (figure, proto), values in runs.items():
            log(f'{figure} {proto}: runs', ' '.join(f'{v:.6g}' for v in values))
            self.record(figure, proto, n if figure == 'handshake' else 0,
                        statistics.median(values), units[figure])

    def held(self, proto, n):
        """n connections through sockets: memory, lookup, listing."""
        log(f'{n} connections held, protocol {proto}')
        self.hosts_up()
        self.settle()
        s0 = slab()
        srv = self.serve(proto, HOLD_PORTS)
        hold = subprocess.Popen(ns('a', self.prog, '-P', str(proto), '-n',
                                   str(n), '-p', str(HOLD_PORTS), 'hold',
                                   '10.0.0.2', str(PORT)),
                                stdout=subprocess.PIPE, text=True)
        line = hold.stdout.readline()
        if not line.startswith('test=hold'):
            sys.exit(f'hold {n} -P {proto} failed')
        wait_for(lambda: fds(srv.pid) >= n + HOLD_PORTS, 120,
                 f'the server to accept {n} connections')
        s1 = slab()
        per = delta(s0, s1, CACHES[proto]) / (2 * n)
        self.record('mem_estab', proto, n, per, 'bytes')
        if proto == 253:
            per = delta(s0, s1, ['toytcp_conn']) / (2 * n)
            self.record('mem_conn', proto, n, per, 'bytes')
        r = self.client(proto, '-t', str(self.size['secs']), 'rr')
        self.record('rr_p50_table', proto, n, float(r['p50_us']), 'us')
        self.listing(proto, n)
        hold.send_signal(signal.SIGUSR1)
        hold.stdout.readline()
        wait_for(lambda: established(proto, 'b') == 0, 300,
                 'b to close its ends')
        # Linux ends some without TIME_WAIT (a tenth, here); count what
        # stands.
        tw = steady(lambda: timewaits(proto), 60, 'the TIME_WAITs in a')
        if tw < n * 0.5:
            sys.exit(f'{tw} TIME_WAITs of {n} connections closed')
        s2 = slab()
        self.record('mem_tw', proto, n, delta(s0, s2, TW_CACHES[proto]) / tw,
                    'bytes')
        hold.send_signal(signal.SIGTERM)
        hold.wait()
        srv.kill()
        srv.wait()
        self.hosts_down()

    def listing(self, proto, n):
        path = '/proc/toytcp/conns' if proto == 253 else '/proc/net/tcp'
        code = ('import sys, time\n'
                't = time.perf_counter(); lines = 0\n'
                'with open(sys.argv[1], "rb", 0) as f:\n'
                '    while True:\n'
                '        b = f.read(1 << 20)\n'
                '        if not b: break\n'
                '        lines += b.count(b"\\n")\n'
                'print(time.perf_counter() - t, lines)')
        secs, lines = run(*ns('b', 'python3', '-c', code, path)).stdout.split()
        if int(lines) < n:
            sys.exit(f'{path} listed {lines} lines, want at least {n}')
        self.record('list', proto, n, float(secs), 's')

    def ctl_table(self):
        """toytcp's table at the size sockets cannot reach here."""
        n = self.size['ctl']
        log(f'{n} connections through ctl, toytcp')
        self.hosts_up()
        self.settle()
        s0 = slab()
        for i in range(CTL_PORTS):
            ctl('b', f'listen {PORT + 100 + i}')
        code = ('import os, sys\n'
                'n, ports, base = map(int, sys.argv[1:])\n'
                'fd = os.open("/proc/toytcp/ctl", os.O_WRONLY)\n'
                'i = 0\n'
                'for sport in range(1024, 65536):\n'
                '    for p in range(ports):\n'
                '        if i == n: sys.exit(0)\n'
                '        os.write(fd, b"connect 10.0.0.2:%d %d" % (base + p, sport))\n'
                '        i += 1\n')
        t0 = time.monotonic()
        run(*ns('a', 'python3', '-c', code, str(n), str(CTL_PORTS),
                str(PORT + 100)))
        wait_for(lambda: established(253, 'a') >= n, 300,
                 f'{n} connections ESTABLISHED')
        log(f'opened in {time.monotonic() - t0:.1f} s')
        s1 = slab()
        self.record('mem_conn', 253, n,
                    delta(s0, s1, ['toytcp_conn']) / (2 * n), 'bytes')
        srv = self.serve(253)
        r = self.client(253, '-t', str(self.size['secs']), 'rr')
        self.record('rr_p50_table', 253, n, float(r['p50_us']), 'us')
        self.listing(253, n)
        srv.kill()
        srv.wait()
        t0 = time.monotonic()
        self.hosts_down()
        log(f'namespaces with {2 * n} connections gone in '
            f'{time.monotonic() - t0:.1f} s')


def main_cluster(runs):
    """RUNS ({mode: [rate, ...]}) without the runs the host moved: each
    mode's runs within 3% of the median of all runs of both modes, or all
    of its runs when fewer than a quarter are. A cost of loading up to
    about 6% leaves both modes' runs in that window."""
    mid = statistics.median(sum(runs.values(), []))
    main = {}
    for mode, vals in runs.items():
        near = [v for v in vals if abs(v / mid - 1) <= 0.03]
        main[mode] = near if len(near) >= max(1, len(vals) // 4) else vals
    return main


def udp_noports(name):
    """Udp NoPorts of namespace NAME: datagrams for a port nobody has."""
    rows = [line.split() for line in
            run(*ns(name, 'cat', '/proc/net/snmp')).stdout.splitlines()
            if line.startswith('Udp:')]
    return int(rows[1][rows[0].index('NoPorts')])


def slab():
    """Each cache's (active objects, object size) from /proc/slabinfo."""
    snap = {}
    with open('/proc/slabinfo') as f:
        for line in f.readlines()[2:]:
            fld = line.split()
            snap[fld[0]] = (int(fld[1]), int(fld[3]))
    return snap


def delta(s0, s1, names):
    """Bytes the caches @names grew by from s0 to s1."""
    def size(s):
        return sum(s[k][0] * s[k][1] for k in names if k in s)
    return size(s1) - size(s0)


def fds(pid):
    return len(os.listdir(f'/proc/{pid}/fd'))


def ctl(name, command):
    run(*ns(name, 'sh', '-c', 'printf "%s\\n" "$1" >/proc/toytcp/ctl',
            'ctl', command))


def states(proto, name):
    """How many connections of NS are in each state."""
    if proto == 253:
        out = run(*ns(name, 'awk', 'NR > 1 { n[$3]++ } END { for (s in n) '
                      'print s, n[s] }', '/proc/toytcp/conns')).stdout
        return {s: int(c) for s, c in (ln.split() for ln in out.splitlines())}
    out = run(*ns(name, 'cat', '/proc/net/sockstat')).stdout
    m = re.search(r'TCP: inuse (\d+) orphan \d+ tw (\d+)', out)
    return {'inuse': int(m.group(1)), 'TIME_WAIT': int(m.group(2))}


def timewaits(proto):
    return states(proto, 'a').get('TIME_WAIT', 0)


def established(proto, name):
    """Connections of NS not listening (Linux: sockets in use but listeners)."""
    st = states(proto, name)
    if proto == 253:
        return sum(c for s, c in st.items() if s not in ('LISTEN', 'TIME_WAIT'))
    return st['inuse'] - (HOLD_PORTS if name == 'b' else 0)


def steady(get, secs, what):
    """get()'s value once it has stood still for 2 s."""
    end = time.monotonic() + secs
    last, still = None, 0
    while still < 4:
        if time.monotonic() > end:
            sys.exit(f'{what} still moving after {secs} s')
        v = get()
        still = still + 1 if v == last else 0
        last = v
        time.sleep(0.5)
    return last


def wait_for(cond, secs, what):
    end = time.monotonic() + secs
    while not cond():
        if time.monotonic() > end:
            sys.exit(f'gave up waiting {secs} s for {what}')
        time.sleep(0.5)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--size', choices=SIZES, default='full')
    ap.add_argument('--bench', required=True)
    ap.add_argument('--module', required=True)
    ap.add_argument('--csv', required=True)
    args = ap.parse_args()
    run('sysctl', '-qw', 'fs.nr_open=4200000')
    b = Bench(args)
    t0 = time.monotonic()
    b.hook()
    b.load()
    b.basics()
    for n in b.size['hold']:
        for proto in (6, 253):
            b.held(proto, n)
    b.ctl_table()
    b.unload()
    log(f'bench done in {time.monotonic() - t0:.0f} s')
    print('BENCH OK', flush=True)


if __name__ == '__main__':
    main()
