#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The table of a bench run: each figure, toytcp, Linux TCP, ratio, goal.

    report.py CSV OUTDIR

CSV is what scripts/bench/guest.py wrote. Prints the table (and writes it
to OUTDIR/table.txt), and draws the scaling curves as SVG and PNG
(rsvg-convert) in OUTDIR: lookup (rr latency against the table's size),
listing (time to read the connection list) and memory (bytes per
connection). Exits 1 when a figure the run should have made is missing
or not a positive number: a bench that cannot rot.
"""
import csv
import math
import os
import subprocess
import sys
from collections import defaultdict

TCP, TOY = '6', '253'
FLAT = 1.25        # lookup "flat": p50 at the largest table within this of the smallest
LINEAR = 12.0      # listing "linear": 1M within 12x of 100k (10x the lines)


def load(path):
    fig = defaultdict(dict)     # figure -> (proto, count) -> value
    with open(path) as f:
        for row in csv.DictReader(f):
            fig[row['figure']][(row['proto'], int(row['count']))] = float(row['value'])
    return fig


def one(fig, name, proto):
    vals = [v for (p, _), v in fig[name].items() if p == proto]
    return vals[0] if vals else None


def series(fig, name, proto):
    return sorted((c, v) for (p, c), v in fig[name].items() if p == proto)


def si(v, unit=''):
    for div, pre in ((1e9, 'G'), (1e6, 'M'), (1e3, 'k')):
        if abs(v) >= div:
            return f'{v / div:.3g} {pre}{unit}' if unit else f'{v / div:.3g}{pre}'
    return f'{v:.3g} {unit}'.strip()


def count(n):
    return f'{n // 1000000}M' if n >= 1000000 else f'{n // 1000}k' if n >= 1000 else str(n)


class Table:
    def __init__(self):
        self.rows, self.missing = [], []

    def add(self, name, toy, lin, ratio, goal, met):
        self.rows.append((name, toy, lin, ratio, goal,
                          '' if met is None else 'met' if met else 'NOT MET'))

    def text(self):
        head = ('figure', 'toytcp', 'Linux TCP', 'ratio', 'goal', '')
        rows = [head] + self.rows
        w = [max(len(r[i]) for r in rows) for i in range(6)]
        out = []
        for i, r in enumerate(rows):
            out.append('  '.join(c.ljust(w[j]) for j, c in enumerate(r)).rstrip())
            if i == 0:
                out.append('  '.join('-' * x for x in w))
        return '\n'.join(out)


def rates(fig, t):
    """crr, rr, stream, handshake: higher is better; ratio toytcp/Linux."""
    for name, label, unit, goal in (
            ('crr', 'crr: connect, 1 B each way, close', 'conn/s', 1.0),
            ('rr', 'rr: 1 B ping-pong on one connection', 'trans/s', 1.0),
            ('stream', 'stream: bulk one way', 'B/s', 0.5)):
        toy, lin = one(fig, name, TOY), one(fig, name, TCP)
        if toy is None or lin is None:
            t.missing.append(name)
            continue
        r = toy / lin
        t.add(label, si(toy, unit), si(lin, unit), f'{r:.2f}x', f'>= {goal}x', r >= goal)
    for name, label in (('rr_p50', 'rr latency p50'), ('rr_p99', 'rr latency p99')):
        toy, lin = one(fig, name, TOY), one(fig, name, TCP)
        if toy is None or lin is None:
            t.missing.append(name)
            continue
        t.add(label, f'{toy:.0f} us', f'{lin:.0f} us', f'{lin / toy:.2f}x', '', None)
    hs = fig['handshake']
    toy = [(c, v) for (p, c), v in hs.items() if p == TOY]
    lin = [(c, v) for (p, c), v in hs.items() if p == TCP]
    if not toy or not lin:
        t.missing.append('handshake')
        return
    (n, tv), (_, lv) = toy[0], lin[0]
    r = lv / tv
    t.add(f'handshake: {n} connects, all ESTABLISHED', f'{tv * 1e3:.1f} ms',
          f'{lv * 1e3:.1f} ms', f'{r:.2f}x', '>= 1.0x', r >= 1.0)


def memory(fig, t):
    for name, label, goal in (('mem_estab', 'bytes per ESTABLISHED (socket + connection)', None),
                              ('mem_conn', 'bytes per connection (table entry)', 256),
                              ('mem_tw', 'bytes per TIME_WAIT', 128)):
        toy = series(fig, name, TOY)
        lin = dict(series(fig, name, TCP))
        if not toy:
            t.missing.append(name)
            continue
        big = [(n, v) for n, v in toy if n >= 10000] or toy[-1:]
        for n, v in big:
            lv = lin.get(n) if name != 'mem_conn' else \
                (dict(series(fig, 'mem_estab', TCP)).get(n))
            ratio = f'{v / lv:.2f}x' if lv else ''
            t.add(f'{label}, {count(n)}', f'{v:.0f} B',
                  f'{lv:.0f} B' if lv else '-', ratio,
                  f'<= {goal} B' if goal else '', v <= goal if goal else None)


def scale(fig, t):
    toy = series(fig, 'rr_p50_table', TOY)
    lin = dict(series(fig, 'rr_p50_table', TCP))
    if len(toy) < 2:
        t.missing.append('rr_p50_table')
    else:
        base = toy[0][1]
        for n, v in toy:
            lv = lin.get(n)
            t.add(f'rr p50 with {count(n)} other connections', f'{v:.0f} us',
                  f'{lv:.0f} us' if lv else '-', f'{v / base:.2f}x of {count(toy[0][0])}',
                  f'<= {FLAT}x', v / base <= FLAT)
    toy = dict(series(fig, 'list', TOY))
    lin = dict(series(fig, 'list', TCP))
    if len(toy) < 2:
        t.missing.append('list')
        return
    ns = sorted(toy)
    for n in ns:
        lv = lin.get(n)
        t.add(f'read the connection list, {count(n)}', f'{toy[n] * 1e3:.1f} ms',
              f'{lv * 1e3:.1f} ms' if lv else '-',
              f'{lv / toy[n]:.2f}x' if lv else '', '', None)
    big, prev = ns[-1], ns[-2]
    r = toy[big] / toy[prev]
    goal = LINEAR * big / prev / 10
    t.add(f'listing: {count(big)} against {count(prev)}', '', '', f'{r:.1f}x',
          f'<= {goal:.3g}x', r <= goal)


def hook(fig, t):
    """What loading toytcp costs UDP: from the medians of each mode's runs
    in the main cluster (guest.py's main_cluster()), the plain medians'
    beside it."""
    off, on = one(fig, 'udp_pps', 'none'), one(fig, 'udp_pps', 'toytcp')
    moff, mon = one(fig, 'udp_pps_median', 'none'), one(fig, 'udp_pps_median', 'toytcp')
    if not off or not on or not moff or not mon:
        t.missing.append('udp_pps')
        return
    cost, med = (1 - on / off) * 100, (1 - mon / moff) * 100
    t.add('hook: UDP packets/s, toytcp loaded', si(on, 'pkt/s'),
          si(off, 'pkt/s') + ' (not loaded)',
          f'{cost:+.1f}% cost (medians {med:+.1f}%)', '<= 2%', cost <= 2)


# --- curves -------------------------------------------------------------

COLOURS = {'toytcp': '#1f4e99', 'Linux TCP': '#b03a2e'}


def nice(v):
    """The least of 1, 2, 2.5, 5 times a power of ten that is at least v."""
    e = 10 ** math.floor(math.log10(v))
    return next(m * e for m in (1, 2, 2.5, 5, 10) if m * e >= v)


def chart(path, title, xlabel, ylabel, lines, logy=False):
    """A line chart, log x, as SVG (and PNG beside it)."""
    W, H, L, R, T, B = 760, 400, 80, 210, 40, 55
    # Log axes take positive values only (main() reports any other).
    lines = [(n, d, [(x, y) for x, y in ps if x > 0 and (y > 0 or not logy)])
             for n, d, ps in lines]
    pts = [p for _, dash, ps in lines for p in ps]
    if not pts:
        return
    xs = [math.log10(x) for x, _ in pts]
    x0, x1 = math.floor(min(xs)), math.ceil(max(xs))
    x1 = x1 if x1 > x0 else x0 + 1
    ys = [y for _, y in pts]
    if logy:
        y0 = math.floor(math.log10(min(ys)))
        y1 = max(math.ceil(math.log10(max(ys))), y0 + 1)
    else:
        step = nice(max(ys) * 1.15 / 5)
        y0, y1 = 0, step * math.ceil(max(ys) * 1.15 / step)

    def px(x):
        return L + (math.log10(x) - x0) / (x1 - x0) * (W - L - R)

    def py(y):
        v = (math.log10(y) - y0) / (y1 - y0) if logy else (y - y0) / (y1 - y0)
        return H - B - v * (H - T - B)

    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'font-family="DejaVu Sans, sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{W / 2}" y="22" text-anchor="middle" font-size="15">{title}</text>']
    for e in range(x0, x1 + 1):
        x = px(10 ** e)
        svg.append(f'<line x1="{x}" y1="{T}" x2="{x}" y2="{H - B}" stroke="#ddd"/>')
        svg.append(f'<text x="{x}" y="{H - B + 16}" text-anchor="middle">{count(10 ** e)}</text>')
    ticks = [10 ** e for e in range(y0, y1 + 1)] if logy else \
        [step * i for i in range(round(y1 / step) + 1)]
    for v in ticks:
        y = py(v)
        svg.append(f'<line x1="{L}" y1="{y}" x2="{W - R}" y2="{y}" stroke="#ddd"/>')
        svg.append(f'<text x="{L - 6}" y="{y + 4}" text-anchor="end">{si(v)}</text>')
    svg.append(f'<text x="{(L + W - R) / 2}" y="{H - 12}" text-anchor="middle">{xlabel}</text>')
    svg.append(f'<text transform="translate(18,{(T + H - B) / 2}) rotate(-90)" '
               f'text-anchor="middle">{ylabel}</text>')
    for i, (name, dash, ps) in enumerate(lines):
        colour = COLOURS[name.split(',')[0]]
        d = ' '.join(f'{px(x):.1f},{py(y):.1f}' for x, y in ps)
        style = ' stroke-dasharray="6,4"' if dash else \
            ' stroke-dasharray="2,3"' if 'entry' in name else ''
        svg.append(f'<polyline points="{d}" fill="none" stroke="{colour}" stroke-width="2"{style}/>')
        for x, y in ps:
            svg.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3.5" fill="{colour}"/>')
        ly = T + 10 + 20 * i
        svg.append(f'<line x1="{W - R + 10}" y1="{ly}" x2="{W - R + 35}" y2="{ly}" '
                   f'stroke="{colour}" stroke-width="2"{style}/>')
        svg.append(f'<text x="{W - R + 40}" y="{ly + 4}">{name}</text>')
    svg.append('</svg>')
    with open(path, 'w') as f:
        f.write('\n'.join(svg) + '\n')
    subprocess.run(['rsvg-convert', '-o', path[:-4] + '.png', path], check=True)


def curves(fig, out):
    def pair(name, scale=1.0):
        return [(who, False, [(n, v * scale) for n, v in series(fig, name, p)])
                for who, p in (('toytcp', TOY), ('Linux TCP', TCP))]
    chart(os.path.join(out, 'lookup.svg'), 'rr latency (p50) against the table',
          'other connections open', 'microseconds', pair('rr_p50_table'))
    chart(os.path.join(out, 'listing.svg'), 'reading the connection list',
          'connections listed', 'milliseconds', pair('list', 1e3), logy=True)
    mem = [('toytcp, ESTABLISHED', False, series(fig, 'mem_estab', TOY)),
           ('toytcp, table entry', False, series(fig, 'mem_conn', TOY)),
           ('toytcp, TIME_WAIT', True, series(fig, 'mem_tw', TOY)),
           ('Linux TCP, ESTABLISHED', False, series(fig, 'mem_estab', TCP)),
           ('Linux TCP, TIME_WAIT', True, series(fig, 'mem_tw', TCP))]
    chart(os.path.join(out, 'memory.svg'), 'slab bytes per connection',
          'connections', 'bytes', mem, logy=True)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    fig = load(sys.argv[1])
    out = sys.argv[2]
    t = Table()
    rates(fig, t)
    memory(fig, t)
    scale(fig, t)
    hook(fig, t)
    text = t.text()
    print(text)
    with open(os.path.join(out, 'table.txt'), 'w') as f:
        f.write(text + '\n')
    curves(fig, out)
    bad = [(k, v) for k, vals in fig.items() for v in vals.values() if not v > 0]
    if t.missing or bad:
        print(f'bench: figures missing {t.missing}, not positive {bad}')
        sys.exit(1)
    met = sum(r[5] == 'met' for r in t.rows)
    goals = sum(r[5] != '' for r in t.rows)
    print(f'goals met: {met} of {goals}')


if __name__ == '__main__':
    main()
