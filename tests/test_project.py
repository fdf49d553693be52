"""Project plumbing: README in sync with nbs/index.ipynb, CI entry point, settings pins."""
import configparser, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def test_readme_in_sync():
    r = subprocess.run([sys.executable, 'tools/readme.py', '--check'], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr

def test_readme_states_the_two_commands_first():
    text = (ROOT/'README.md').read_text()
    first_code = text.split('```sh', 1)[1].split('```', 1)[0]
    assert 'make test' in first_code and 'make demo' in first_code

def test_ci_runs_make_test():
    lines = [l for l in (ROOT/'.ci'/'run').read_text().splitlines() if l.strip() and not l.startswith('#')]
    assert lines[-1].strip() == 'make test'

def test_settings_pins():
    cfg = configparser.ConfigParser(); cfg.read(ROOT/'settings.ini'); d = cfg['DEFAULT']
    assert 'nbdev>=2.4.14,<3' in d['dev_requirements'] and 'hyperspy>=2.1,<3' in d['requirements']
    assert 'scipy>=1.11,<1.19' in d['requirements'] and 'torchvision' not in d['requirements']
    assert d['update_pyproject'] == 'False'
    pins = (ROOT/'requirements'/'constraints.txt').read_text()
    for p in ('torch==2.13.0', 'nbdev==2.4.14', 'fastcore==1.14.5', 'execnb==0.1.18', 'scipy==1.17.1', 'hyperspy==2.5.0'):
        assert p in pins.splitlines(), p

def test_demo_runs(tmp_path):
    "`vdwnb demo` (what `make demo` runs): a table of the five bundled samples, their figures and the report."
    import pandas as pd
    r = subprocess.run([sys.executable, '-c', 'import sys; from vdwnb.cli import main; sys.exit(main(sys.argv[1:]))',
                        'demo', '--out', str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert 'within the inference goals' in r.stdout and 'Traceback' not in r.stderr
    df = pd.read_csv(tmp_path/'results.csv')
    assert len(df) == 5 and set(df.task) == {'slip', 'trilayer', 'twist', 'map'}
    err = df.slip_error.fillna(df.twist_error)                      # Å for slips, degrees for the twist: resolve's layout
    assert err.notna().all() and df.slip1_sigma.dropna().lt(0.2).all()   # σ in Å, not pm
    n = int(r.stdout.split(' of 5 within')[0].split()[-1])
    assert n == df.within_goal.sum() and not (df.within_goal & (df.verdict == 'inconsistent')).any()   # the count and the verdicts agree
    assert (tmp_path/'report.md').exists() and len(list(tmp_path.glob('*.png'))) >= 8
    assert not list(tmp_path.glob('*.tmp*'))

def _import_check(lib):
    return subprocess.run([sys.executable, 'tools/check_imports.py', str(lib)], cwd=ROOT, capture_output=True, text=True)

def test_import_rules_hold():
    r = _import_check(ROOT / 'vdwnb')
    assert r.returncode == 0, r.stdout

def test_import_rules_catch_breaks(tmp_path):
    "A private name imported across modules, ipywidgets below explore, a backward import: each fails the check, named."
    import shutil
    for mod, line, said in [('match', 'from .io import _read_source', 'private _read_source'),
                            ('maps', 'import ipywidgets as W', 'imports ipywidgets'),
                            ('infer', 'from .verify import verify', 'later in the data flow')]:
        lib = tmp_path / mod / 'vdwnb'; shutil.copytree(ROOT / 'vdwnb', lib, ignore=shutil.ignore_patterns('weights', '__pycache__'))
        (lib / f'{mod}.py').write_text((lib / f'{mod}.py').read_text() + f'\n{line}\n')
        r = _import_check(lib)
        assert r.returncode == 1 and said in r.stdout and f'{mod}.py' in r.stdout, r.stdout
