"""Safety and robustness, counted: every bad input in tests/bad_inputs.py (files, arguments, damaged and crafted files,
memory traps, entry points) run through the `vdwnb` command or the loading functions, plus kill -9 of a run with
workers. Each case ends 'clear' (one message naming the problem and the fix, or the right reading), 'traceback',
'silent' (a wrong or unexplained answer), 'lost' (a file or row that existed is gone or replaced) or 'code' (a file
ran code). Writes bench/results/robustness.json and prints the table.

    python bench/robustness.py                      # this checkout
    python bench/robustness.py --before /tmp/old    # and, beside it, another checkout (e.g. `git worktree add /tmp/old HEAD~5`)
"""
import argparse, json, subprocess, sys, tempfile, time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def one_case(name, tree=None):
    "Verdict of one case, run in this process with the vdwnb at `tree` (None: this checkout)."
    import os
    if tree: sys.path.insert(0, str(tree)); os.environ['PYTHONPATH'] = f"{tree}:{os.environ.get('PYTHONPATH', '')}"
    sys.path.insert(0, str(ROOT / 'tests'))
    from bad_inputs import CASES, verdict
    group, fn = CASES[name]
    with tempfile.TemporaryDirectory() as d:
        cwd = os.getcwd(); os.chdir(d)
        try: c = fn(Path(d)); return dict(verdict=verdict(c), message=(c.run.err or c.run.warned)[:200])
        except MemoryError: return dict(verdict='memory', message='MemoryError: the step asked for more than the budget')
        finally: os.chdir(cwd)


def run_cases(tree=None, timeout=600):
    "Every case in its own process (memory capped at the budget, so an allocation beyond it fails there), and the orphan count."
    sys.path.insert(0, str(ROOT / 'tests'))
    from bad_inputs import CASES, orphans_after_kill
    import os
    rows = []
    for name, (group, fn) in CASES.items():
        t = time.time()
        cmd = [sys.executable, __file__, '--case', name] + (['--tree', str(tree)] if tree else [])
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
            line = [l for l in p.stdout.splitlines() if l.startswith('JSON ')]
            res = json.loads(line[-1][5:]) if line else dict(
                verdict='memory' if p.returncode < 0 or 'MemoryError' in p.stderr else 'traceback',
                message=f'the process ended with status {p.returncode}: {p.stderr.strip()[-160:]}')
        except subprocess.TimeoutExpired: res = dict(verdict='silent', message=f'no answer within {timeout} s')
        rows.append(dict(case=name, group=group, **res, seconds=round(time.time() - t, 1)))
        print(f"{res['verdict']:9s} {group:9s} {name}", flush=True)
    env = dict(os.environ, PYTHONPATH=f"{tree}:{os.environ.get('PYTHONPATH', '')}") if tree else None
    old = os.environ.copy()
    if env: os.environ.update(env)
    try:
        with tempfile.TemporaryDirectory() as d: orphans = orphans_after_kill(Path(d))
    finally: os.environ.clear(); os.environ.update(old)
    return dict(rows=rows, orphans=orphans)


def summary(res):
    "The bar's figures from one run."
    v = Counter(r['verdict'] for r in res['rows'])
    mem = [r for r in res['rows'] if r['verdict'] == 'memory' or r['group'] == 'memory' and r['verdict'] != 'clear']
    return {'bad inputs tried': len(res['rows']), 'clear messages or right readings': v['clear'],
            'code executed from a crafted file': v['code'], 'files or rows lost / overwritten': v['lost'],
            'raw tracebacks': v['traceback'], 'silent or unexplained answers': v['silent'],
            'allocations above the memory budget (memory cases not refused)': len(mem),
            'orphaned worker processes after kill -9': res['orphans']}


def git_commit(tree):
    try: return subprocess.run(['git', '-C', str(tree), 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()
    except OSError: return ''


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--before', help='another checkout to run the same cases against, side by side')
    ap.add_argument('--tree', help=argparse.SUPPRESS)           # internal: the checkout a --case runs with
    ap.add_argument('--case', help=argparse.SUPPRESS)           # internal: run one case, print its JSON
    ap.add_argument('--out', default=str(HERE / 'results' / 'robustness.json'))
    a = ap.parse_args()
    if a.case:
        import resource
        import os
        cap = os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') // 2 + 4 * 2 ** 30   # the budget + what torch maps at start
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        print('JSON ' + json.dumps(one_case(a.case, a.tree))); return
    now = run_cases()
    out = dict(now=dict(commit=git_commit(ROOT), summary=summary(now), rows=now['rows']),
               note='each case in its own process, its address space capped at the memory budget (half the RAM) + 4 GiB for '
                    'what torch maps at start; the orphan count is kill -9 of `vdwnb resolve --workers 2`, children alive 20 s later')
    if a.before:
        before = run_cases(Path(a.before).resolve())
        out['before'] = dict(commit=git_commit(a.before), summary=summary(before), rows=before['rows'])
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(out, indent=1, ensure_ascii=False))
    cols = ['now'] + (['before'] if 'before' in out else [])
    heads = ' | '.join(f"{c} ({out[c]['commit']})" for c in cols)
    print(f"\n| measure | {heads} |\n|---|{'---|' * len(cols)}")
    for k in out['now']['summary']:
        print(f"| {k} | {' | '.join(str(out[c]['summary'][k]) for c in cols)} |")
    bad = [r for r in out['now']['rows'] if r['verdict'] != 'clear']
    for r in bad: print(f"  not clear now: {r['case']} ({r['verdict']}): {r['message']}")
    print(f'\nwritten {a.out}')


if __name__ == '__main__':
    main()
