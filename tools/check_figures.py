"""Fail when a speed figure is not measured: peer times written into bench/ as constants, or speed ratios in
README.md that no benchmark is named for.

1. bench/*.py: no module-level constant holds a peer's time or a ratio (a name with INCOSTEM, ABTEM, PRISM, RESNET,
   REFERENCE or PEER and a time or ratio word, assigned a number). Peers are timed in the run (bench/speed.py).
2. README.md: every paragraph or bullet that gives an "N×" figure names the bench script that measured it
   (`bench/<name>.py`), or is the speed table that tools/readme.py writes from bench/results/speed.json.
Run by `make test` and `make bench`.
"""
import re, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
PEER = re.compile(r'^\s*([A-Z0-9_]*(INCOSTEM|ABTEM|PRISM|RESNET|REFERENCE|PEER)[A-Z0-9_]*)\s*=\s*[-+]?[0-9][0-9_.eE+-]*\s*(#.*)?$')
TIMEWORD = re.compile(r'_(S|MS|SEC|SECONDS|TIME|RATIO|SPEEDUP|X)(_|$)')
RATIO = re.compile(r'\d[\d,.]*\s?×')

def peer_constants(folder=root / 'bench'):
    "(file, line number, name) of peer-time constants in the bench scripts."
    out = []
    for f in sorted(folder.glob('*.py')):
        for i, line in enumerate(f.read_text(encoding='utf-8').split('\n'), 1):
            m = PEER.match(line)
            if m and TIMEWORD.search(m.group(1)): out.append((f.name, i, m.group(1)))
    return out

def paragraphs(text):
    "Paragraphs and list items of a markdown text (code blocks and the generated speed table skipped)."
    text = re.sub(r'```.*?```', '', text, flags=re.S)
    text = re.sub(r'<!-- speed table begin -->.*?<!-- speed table end -->', '', text, flags=re.S)
    parts = []
    for block in re.split(r'\n\s*\n', text):
        parts += [p for p in re.split(r'\n(?=\s*[-*] |\s*\d+\. )', block) if p.strip()]
    return parts

def unsourced_ratios(text):
    "Paragraphs giving an N× figure without naming the bench script that measured it."
    return [p for p in paragraphs(text) if RATIO.search(p) and not re.search(r'bench/\w+\.py', p)]

if __name__ == '__main__':
    bad = [f'bench/{f}:{i}: {n} is a constant peer time or ratio; time the peer in the same run (bench/speed.py)'
           for f, i, n in peer_constants()]
    bad += [f'README.md: a speed ratio without the benchmark that measured it: {p.strip()[:160]!r}'
            for p in unsourced_ratios((root / 'README.md').read_text(encoding='utf-8'))]
    if bad: sys.exit('\n'.join(bad))
    print('figures: no constant peer times in bench/, every README ratio names its benchmark')
