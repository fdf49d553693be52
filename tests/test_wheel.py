"""A built wheel, installed into a fresh virtual environment with no checkout on the path, runs `vdwnb demo` and
tutorial 1.

The fresh venv borrows the installed dependencies (torch, HyperSpy, abTEM, …) from the running environment through
a .pth line, so nothing is downloaded; vdwnb itself comes only from the wheel (the editable install's finder is
not loaded there), and every command runs in an empty folder outside the clone.
"""
import json, os, subprocess, sys, sysconfig, zipfile
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent

def run(cmd, cwd, env, timeout=900):
    p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert p.returncode == 0, f'{cmd[:3]} failed ({p.returncode}):\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}'
    return p.stdout

def tutorial_script(nb_path):
    "Tutorial code cells as one script: `#| eval: false` cells and the Colab-only install cell left out."
    cells = json.loads(nb_path.read_text(encoding='utf-8'))['cells']
    code = [''.join(c['source']) for c in cells if c['cell_type'] == 'code' and c.get('id') != 'colab-install']
    return '\n\n'.join(s for s in code if not any(l.strip() in ('#| eval: false', '#|eval: false') for l in s.splitlines()))

@pytest.fixture(scope='module')
def wheel_env(tmp_path_factory):
    "(python of a fresh venv holding only the wheel's vdwnb, environment, an empty work folder)."
    tmp = tmp_path_factory.mktemp('wheel')
    run([sys.executable, '-m', 'pip', 'wheel', str(ROOT), '--no-deps', '--no-build-isolation', '-q', '-w', str(tmp / 'dist')], tmp, None)
    whl = next((tmp / 'dist').glob('vdwnb-*.whl'))
    names = zipfile.ZipFile(whl).namelist()
    assert 'vdwnb/samples/labels.csv' in names and any(n.startswith('vdwnb/weights/') for n in names), names
    env_dir = tmp / 'venv'
    run([sys.executable, '-m', 'venv', '--without-pip', str(env_dir)], tmp, None)
    py = env_dir / 'bin' / 'python'
    site = Path(run([str(py), '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], tmp, None).strip())
    (site / '_vdwnb_test_deps.pth').write_text(sysconfig.get_paths()['purelib'] + '\n')   # the dependencies, not vdwnb
    run([sys.executable, '-m', 'pip', '--python', str(py), 'install', '--no-deps', '--no-index', '-q', str(whl)], tmp, None)
    env = {k: v for k, v in os.environ.items() if k not in ('PYTHONPATH', 'VIRTUAL_ENV')}
    env.update(PATH=f'{env_dir / "bin"}:{env["PATH"]}', MPLBACKEND='Agg', PYTHONNOUSERSITE='1')
    work = tmp / 'work'; work.mkdir()
    where = run([str(py), '-c', 'import vdwnb.examples as e; print(e.__file__); print(e.SAMPLES)'], work, env).split()
    assert all(str(env_dir) in w for w in where), where            # the package and its samples come from the wheel
    return py, env, work

def test_wheel_runs_the_demo(wheel_env):
    py, env, work = wheel_env
    out = run([str(py.parent / 'vdwnb'), 'demo', '--out', 'demo_out'], work, env)
    rows = (work / 'demo_out' / 'results.csv').read_text().splitlines()
    assert len(rows) == 6 and (work / 'demo_out' / 'report.md').exists(), out

def test_wheel_runs_tutorial_1(wheel_env):
    py, env, work = wheel_env
    script = work / 'tutorial_1.py'
    script.write_text(tutorial_script(ROOT / 'nbs' / 'tutorials' / '01_quickstart.ipynb'))
    run([str(py), str(script)], work, env)
