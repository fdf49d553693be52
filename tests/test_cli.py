"""The `vdwnb` console script, run as a user runs it: exit codes, one-line errors, files written."""
import json, subprocess, sys
from pathlib import Path
import pytest

VDWNB = Path(sys.executable).parent / 'vdwnb'

def run(*args, cwd=None):
    if not VDWNB.exists(): pytest.skip('the vdwnb console script is not installed in this environment (pip install -e .)')
    return subprocess.run([str(VDWNB), *args], capture_output=True, text=True, cwd=cwd, timeout=300)

def test_help_names_the_commands():
    r = run('--help')
    assert r.returncode == 0 and 'train' in r.stdout
    r = run('train', 'model', '--help')
    assert r.returncode == 0 and 'recipe' in r.stdout and '--material' in r.stdout

def test_unknown_recipe_is_one_clear_line():
    r = run('train', 'model', 'NoSuchRecipe')
    assert r.returncode == 2
    assert 'no recipe' in r.stderr and 'ReS2_slip' in r.stderr and 'Traceback' not in r.stderr

def test_wrong_material_is_one_clear_line():
    r = run('train', 'model', '--task', 'slip', '--material', 'Gold')
    assert r.returncode == 2 and 'Unknown material' in r.stderr and 'Traceback' not in r.stderr

def test_corrupt_experimental_image_names_the_file(tmp_path):
    bad = tmp_path / 'broken.png'; bad.write_bytes(b'not a png')
    r = run('train', 'generator', str(bad), '--config', 'tiny', '--out', str(tmp_path / 'g'), '--quiet')
    assert r.returncode == 2 and 'broken.png' in r.stderr and 'Traceback' not in r.stderr
    assert not (tmp_path / 'g' / 'generator.pt').exists()

def test_tiny_model_trains_and_writes_its_card(tmp_path):
    out = tmp_path / 'm'
    r = run('train', 'model', '--task', 'slip', '--material', 'ReS2', '--size', '32', '--width', '4', '--blocks', '1,1',
            '--batch', '4', '--steps', '3', '--calibrate', '2', '--out', str(out), '--quiet', '--device', 'cpu')
    assert r.returncode == 0, r.stderr
    card = json.loads((out / 'card.json').read_text())
    assert card['task'] == 'slip' and card['config']['steps'] == 3 and card['sigma_scale'] > 0
    assert (out / 'model.pt').exists() and 'validation MAE' in r.stdout

def test_resolve_folder_with_bad_files(tedgen, tmp_path):
    "Real images and, beside them, a corrupt PNG and a text file: one row each, the bad ones with their reason."
    import shutil, pandas as pd
    d = tmp_path / 'images'; d.mkdir()
    for f in ('res2_bilayer_1.png', 'res2_bilayer_trainB.png'): shutil.copy(tedgen / 'experimental' / f, d / f)
    (d / 'corrupt.png').write_bytes(b'\x89PNG\r\n truncated'); (d / 'readme.txt').write_text('not an image')
    out = tmp_path / 'results.csv'
    r = run('resolve', str(d), '--material', 'ReS2', '--out', str(out), '--quiet')
    assert r.returncode == 0 and '2 images resolved, 2 failed' in r.stdout, r.stdout + r.stderr
    df = pd.read_csv(out).set_index('file')
    assert len(df) == 4 and 'Traceback' not in r.stderr
    ok = df[df.status == 'ok']
    assert len(ok) == 2 and ok.slip1_sigma.notna().all()
    bad = df[df.status == 'failed']
    assert all(Path(f).name in reason for f, reason in bad.reason.items())      # each reason names its file

def test_resolve_without_material_is_one_clear_line(tmp_path):
    r = run('resolve', str(tmp_path))
    assert r.returncode == 2 and '--material' in r.stderr

def test_every_command_has_help():
    for cmd in ('resolve', 'demo', 'simulate', 'generate'):
        r = run(cmd, '--help')
        assert r.returncode == 0 and len(r.stdout) > 200, cmd

def test_simulate_png_and_bad_suffix(tmp_path):
    r = run('simulate', 'ReS2', '--slip', '1.2,0.6', '--fov', '15', '--out', str(tmp_path / 'res2.png'))
    assert r.returncode == 0 and 'Å/px' in r.stdout and (tmp_path / 'res2.png').stat().st_size > 0
    r = run('simulate', 'ReS2', '--out', str(tmp_path / 'res2.jpg'))
    assert r.returncode == 2 and '.hspy' in r.stderr and not (tmp_path / 'res2.jpg').exists()

def test_model_trains_through_a_generator(tmp_path):
    "`train generator` then `train model --generator`: the Trident path from the shell; a pixel-size mismatch is one clear line."
    exp = Path(__file__).resolve().parents[1] / 'data_samples' / 'res2_bilayer.png'
    g = tmp_path / 'g'
    r = run('train', 'generator', str(exp), '--material', 'ReS2', '--config', 'tiny', '--pixel-size', '0.15', '--out', str(g), '--quiet', '--device', 'cpu')
    assert r.returncode == 0 and (g / 'generator.pt').exists(), r.stderr
    tiny = ['--task', 'slip', '--material', 'ReS2', '--size', '32', '--width', '4', '--blocks', '1,1', '--batch', '4', '--steps', '3',
            '--calibrate', '2', '--quiet', '--device', 'cpu', '--generator', str(g / 'generator.pt')]
    r = run('train', 'model', *tiny, '--pixel-size', '0.15', '--out', str(tmp_path / 'm'))
    assert r.returncode == 0 and (tmp_path / 'm' / 'card.json').exists(), r.stderr
    r = run('train', 'model', *tiny, '--pixel-size', '0.1', '--out', str(tmp_path / 'm2'))
    assert r.returncode == 2 and 'Train the generator with --pixel-size 0.1' in r.stderr and 'Traceback' not in r.stderr
