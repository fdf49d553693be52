"""Bad inputs, tried as a user would: each case makes its files, runs the `vdwnb` command (in this process) or a loading
function, and says what a good answer is. `tests/test_bad_inputs.py` asserts every case; `bench/robustness.py` counts
them (clear messages, tracebacks, silent answers, files lost or overwritten, code run from a file).

Only public names are used, so the same cases also run against an older checkout (`bench/robustness.py --tree`)."""
from __future__ import annotations
import contextlib, io, json, os, warnings
from pathlib import Path
from typing import Callable, NamedTuple
import numpy as np

ROOT = Path(__file__).resolve().parent.parent


class Run(NamedTuple):
    "What one attempt gave: exit status (None: it raised), output, error text, the exception, the warnings."
    rc: int | None
    out: str
    err: str
    exc: BaseException | None
    warned: str


class Check(NamedTuple):
    "A case's verdict on a `Run`: what should have happened, and whether files were lost or code ran."
    run: Run
    want: str            # 'refused' (an error), 'warned' (a warning or a row's warning), 'works' (answers correctly, no error)
    says: tuple = ()     # words the message must contain (the file, the flag, the fix)
    lost: bool = False   # a file or a row that existed is gone or replaced
    ran_code: bool = False


def cli(*argv, env=None) -> Run:
    "`vdwnb ARGV` in this process: exit status, stdout, stderr (an exception that escapes `main` is a traceback)."
    from vdwnb.cli import main
    out, err = io.StringIO(), io.StringIO()
    old = {k: os.environ.get(k) for k in (env or {})}
    os.environ.update(env or {})
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings(record=True) as w:
            warnings.simplefilter('always')
            try: rc, exc = main([str(a) for a in argv]), None
            except SystemExit as e: rc, exc = (e.code if isinstance(e.code, int) else 2), None
            except BaseException as e: rc, exc = None, e
    finally:
        for k, v in old.items():
            if v is None: os.environ.pop(k, None)
            else: os.environ[k] = v
    return Run(rc, out.getvalue(), err.getvalue(), exc, ' | '.join(str(x.message) for x in w if issubclass(x.category, UserWarning)))


def api(fn: Callable) -> Run:
    "`fn()`: a `VdwInputError` is a clear refusal (rc 2), another exception a traceback; warnings are recorded."
    from vdwnb.structures import VdwInputError
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        try: fn(); rc, err, exc = 0, '', None
        except VdwInputError as e: rc, err, exc = 2, str(e), None
        except BaseException as e: rc, err, exc = None, f'{type(e).__name__}: {e}', e
    return Run(rc, '', err, exc, ' | '.join(str(x.message) for x in w if issubclass(x.category, UserWarning)))


def verdict(c: Check) -> str:
    "'clear', 'traceback', 'silent', 'lost' or 'code' for one checked case."
    r = c.run
    if c.ran_code: return 'code'
    if c.lost: return 'lost'
    if r.exc is not None or 'Traceback' in r.err: return 'traceback'
    text = r.err + ' ' + r.warned + ' ' + r.out
    if c.want == 'refused': ok = r.rc not in (0, None) and r.err.strip().count('\n') == 0 and r.err.strip() != ''
    elif c.want == 'warned': ok = r.rc == 0 and (r.warned != '' or 'warn' in text.lower())
    else: ok = r.rc == 0
    if ok and all(s.lower() in text.lower() for s in c.says): return 'clear'
    return 'silent'


# ---------------------------------------------------------------- files the cases use
def lattice_png(path, slip=(1.2, 0.6), size=200, seed=1, material='ReS2', mode='L'):
    "A simulated bilayer (0.15 Å/px) saved as an 8-bit PNG (grey, 'LA' grey+alpha or 'RGB')."
    import imageio.v3 as iio
    from vdwnb.maps import twisted_image
    a = twisted_image(material, 0.0, slip=slip, size=size, seed=seed).data
    g = (255 * (a - a.min()) / np.ptp(a)).astype(np.uint8)
    if mode == 'LA': g = np.stack([g, np.full_like(g, 255)], -1)
    if mode == 'RGB': g = np.stack([g] * 3, -1)
    iio.imwrite(path, g)
    return Path(path)


def lattice_array(size=200, seed=1, slip=(1.2, 0.6), material='ReS2'):
    from vdwnb.maps import twisted_image
    return twisted_image(material, 0.0, slip=slip, size=size, seed=seed).data.astype(np.float32)


def hspy(path, data, scale=0.015, units='nm'):
    "A HyperSpy file with the given calibration."
    from vdwnb.io import hyperspy_api
    s = hyperspy_api().signals.Signal2D(data)
    for ax in s.axes_manager.signal_axes: ax.scale, ax.units = scale, units
    s.save(path, overwrite=True)
    return Path(path)


def crafted(path, marker):
    "A torch file whose unpickling runs `touch marker` (what a hostile checkpoint does)."
    import torch
    class Evil:
        def __reduce__(self): return (os.system, (f'touch {marker}',))
    torch.save(dict(config=dict(width=8), weights=dict(), x=Evil()), path)
    return Path(path)


def shipped(name='ReS2_slip'):
    return ROOT / 'vdwnb' / 'weights' / f'{name}.pt'


def model_with(path, **change):
    "The shipped ReS2 model with some fields changed (a schema-valid file whose values are wrong)."
    import torch
    st = torch.load(shipped(), map_location='cpu', weights_only=True)
    for k, v in change.items():
        if k.startswith('config.'): st['config'][k[7:]] = v
        else: st[k] = v
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    torch.save(st, path)
    return Path(path)


def snapshot(p):
    "Bytes of a file, to tell later whether it was replaced."
    return Path(p).read_bytes() if Path(p).exists() else None


# ---------------------------------------------------------------- the cases
CASES: dict[str, tuple[str, Callable]] = {}


def case(group):
    def add(fn):
        CASES[fn.__name__] = (group, fn)
        return fn
    return add


# code from files ---------------------------------------------------------
@case('code')
def crafted_generator_for_train_model(d):
    g, m = crafted(d / 'generator.pt', d / 'pwned'), d / 'pwned'
    r = cli('train', 'model', '--task', 'slip', '--material', 'ReS2', '--size', 32, '--width', 4, '--blocks', '1,1', '--batch', 2,
            '--steps', 1, '--calibrate', 0, '--generator', g, '--out', d / 'm', '--quiet', '--device', 'cpu')
    return Check(r, 'refused', ('generator.pt', 'run code'), ran_code=m.exists())

@case('code')
def crafted_trident_checkpoint_in_out_folder(d):
    (d / 'g').mkdir(); crafted(d / 'g' / 'checkpoint.pt', d / 'pwned')
    lattice_png(d / 'exp.png')
    r = cli('train', 'generator', d / 'exp.png', '--material', 'ReS2', '--config', 'tiny', '--steps', 2, '--pixel-size', 0.15,
            '--out', d / 'g', '--quiet', '--device', 'cpu')
    return Check(r, 'refused', ('checkpoint.pt',), ran_code=(d / 'pwned').exists())

@case('code')
def crafted_model_for_resolve(d):
    crafted(d / 'model.pt', d / 'pwned'); lattice_png(d / 'a.png')
    r = cli('resolve', d / 'a.png', '--material', 'ReS2', '--model', d / 'model.pt', '--pixel-size', 0.15, '--out', d / 'r.csv', '--quiet')
    return Check(r, 'refused', ('model.pt',), ran_code=(d / 'pwned').exists())

@case('code')
def crafted_generator_loaded_by_api(d):
    from vdwnb.trident import TridentGenerator
    crafted(d / 'generator.pt', d / 'pwned')
    return Check(api(lambda: TridentGenerator.load(d / 'generator.pt')), 'refused', ('generator.pt',), ran_code=(d / 'pwned').exists())

@case('code')
def crafted_training_checkpoint(d):
    (d / 'm').mkdir(); crafted(d / 'm' / 'checkpoint.pt', d / 'pwned')
    r = cli('train', 'model', '--task', 'slip', '--material', 'ReS2', '--size', 32, '--width', 4, '--blocks', '1,1', '--batch', 2,
            '--steps', 1, '--calibrate', 0, '--out', d / 'm', '--quiet', '--device', 'cpu')
    return Check(r, 'refused', ('checkpoint.pt',), ran_code=(d / 'pwned').exists())


# rows and files ----------------------------------------------------------
def _resolve(d, *paths, out=None, extra=()):
    return cli('resolve', *paths, '--material', 'ReS2', '--pixel-size', 0.15, '--no-fit', '--tta', 1, '--out', out or d / 'r.csv', '--quiet', *extra)

def _rows(p):
    import pandas as pd
    return pd.read_csv(p)

@case('files')
def resolve_twice_into_one_csv(d):
    lattice_png(d / 'a.png'); lattice_png(d / 'b.png', seed=2)
    _resolve(d, d / 'a.png'); before = snapshot(d / 'r.csv')
    r = _resolve(d, d / 'b.png')
    return Check(r, 'refused', ('r.csv', '--resume', '--overwrite'), lost=snapshot(d / 'r.csv') != before)

@case('files')
def resume_with_the_path_spelled_differently(d):
    (d / 'x').mkdir(); lattice_png(d / 'x' / 'a.png')
    _resolve(d, d / 'x' / 'a.png')
    r = _resolve(d, f'{d}/x/../x/./a.png', extra=('--resume',))
    return Check(r, 'works', lost=len(_rows(d / 'r.csv')) != 1)

@case('files')
def resume_keeps_other_files_failures(d):
    lattice_png(d / 'a.png'); (d / 'bad.png').write_bytes(b'not a png')
    _resolve(d, d / 'a.png', d / 'bad.png')
    r = _resolve(d, d / 'a.png', extra=('--resume',))
    return Check(r, 'works', lost=len(_rows(d / 'r.csv')) != 2)

@case('files')
def resolve_over_a_foreign_csv(d):
    lattice_png(d / 'a.png'); (d / 'r.csv').write_text('name,price\nwidget,3\n'); before = snapshot(d / 'r.csv')
    r = _resolve(d, d / 'a.png')
    return Check(r, 'refused', ('r.csv',), lost=snapshot(d / 'r.csv') != before)

@case('files')
def resume_a_foreign_csv(d):
    lattice_png(d / 'a.png'); (d / 'r.csv').write_text('name,price\nwidget,3\n'); before = snapshot(d / 'r.csv')
    r = _resolve(d, d / 'a.png', extra=('--resume',))
    return Check(r, 'refused', ('r.csv', 'resume'), lost=snapshot(d / 'r.csv') != before)

@case('files')
def resume_a_malformed_csv(d):
    lattice_png(d / 'a.png'); (d / 'r.csv').write_bytes(b'file,status\n"a.png,ok\n\x00\xff\xfe,,,\n"'); before = snapshot(d / 'r.csv')
    r = _resolve(d, d / 'a.png', extra=('--resume',))
    return Check(r, 'refused', ('r.csv',), lost=snapshot(d / 'r.csv') != before)

@case('files')
def resume_an_empty_csv(d):
    lattice_png(d / 'a.png'); (d / 'r.csv').write_text('')
    r = _resolve(d, d / 'a.png', extra=('--resume',))
    return Check(r, 'works', lost=False)

@case('files')
def resolve_while_another_run_writes(d):
    import socket
    lattice_png(d / 'a.png')
    (d / '.r.csv.lock').write_text(json.dumps(dict(pid=os.getpid(), host=socket.gethostname(), started='now', command='vdwnb resolve (other)')))
    r = _resolve(d, d / 'a.png')
    return Check(r, 'refused', ('another run', str(os.getpid())), lost=(d / 'r.csv').exists())

@case('files')
def demo_into_a_folder_with_results(d):
    (d / 'out').mkdir(); (d / 'out' / 'results.csv').write_text('precious\n'); before = snapshot(d / 'out' / 'results.csv')
    r = cli('demo', '--out', d / 'out', '--workers', 0)
    return Check(r, 'refused', ('results.csv', '--overwrite'), lost=snapshot(d / 'out' / 'results.csv') != before)

@case('files')
def simulate_over_an_existing_tif(d):
    (d / 'x.tif').write_bytes(b'precious'); before = snapshot(d / 'x.tif')
    r = cli('simulate', 'MoS2', '--fov', 10, '--out', d / 'x.tif')
    return Check(r, 'refused', ('x.tif', '--overwrite'), lost=snapshot(d / 'x.tif') != before)

@case('files')
def simulate_over_an_existing_png(d):
    (d / 'x.png').write_bytes(b'precious'); before = snapshot(d / 'x.png')
    r = cli('simulate', 'MoS2', '--fov', 10, '--out', d / 'x.png')
    return Check(r, 'refused', ('x.png',), lost=snapshot(d / 'x.png') != before)

@case('files')
def train_model_over_a_finished_model(d):
    import shutil
    (d / 'm').mkdir(); shutil.copy(shipped(), d / 'm' / 'model.pt'); before = snapshot(d / 'm' / 'model.pt')
    r = cli('train', 'model', '--task', 'slip', '--material', 'ReS2', '--size', 32, '--width', 4, '--blocks', '1,1', '--batch', 2,
            '--steps', 1, '--calibrate', 0, '--out', d / 'm', '--quiet', '--device', 'cpu')
    return Check(r, 'refused', ('model.pt', '--overwrite'), lost=snapshot(d / 'm' / 'model.pt') != before)

@case('files')
def train_generator_over_a_finished_generator(d):
    (d / 'g').mkdir(); (d / 'g' / 'generator.pt').write_bytes(b'precious'); before = snapshot(d / 'g' / 'generator.pt')
    lattice_png(d / 'exp.png')
    r = cli('train', 'generator', d / 'exp.png', '--material', 'ReS2', '--config', 'tiny', '--steps', 2, '--pixel-size', 0.15,
            '--out', d / 'g', '--quiet', '--device', 'cpu')
    return Check(r, 'refused', ('generator.pt', '--overwrite'), lost=snapshot(d / 'g' / 'generator.pt') != before)

@case('files')
def formula_file_name_in_the_csv(d):
    lattice_png(d / '=1+2.png'); lattice_png(d / '@SUM(A1).png', seed=3)
    r = _resolve(d, d / '=1+2.png', d / '@SUM(A1).png')
    import csv
    cells = [c for row in csv.reader((d / 'r.csv').open()) for c in row]
    return Check(r, 'works', lost=any(_formula(c) for c in cells))

@case('files')
def formula_model_name_in_the_csv(d):
    import shutil, csv
    m = d / '=HYPERLINK("http:&&x")'; m.mkdir(); shutil.copy(shipped(), m / 'model.pt'); lattice_png(d / 'a.png')
    r = _resolve(d, d / 'a.png', extra=('--model', m / 'model.pt'))
    cells = [c for row in csv.reader((d / 'r.csv').open()) for c in row]
    return Check(r, 'works', lost=any(_formula(c) for c in cells))


def _formula(cell):
    "True for a CSV cell a spreadsheet would run (text starting with = + - @; numbers are fine)."
    try: float(cell); return False
    except ValueError: return cell[:1] in ('=', '+', '-', '@')


# memory ------------------------------------------------------------------
def _peak(fn):
    "Run fn, returning (Run, traced peak bytes)."
    import tracemalloc
    tracemalloc.start()
    try: r = api(fn); peak = tracemalloc.get_traced_memory()[1]
    finally: tracemalloc.stop()
    return r, peak

@case('memory')
def calibrate_a_huge_image(d):
    from vdwnb.io import auto_calibrate
    big = np.tile(lattice_array(400), (15, 15))            # 6000² px
    r, peak = _peak(lambda: auto_calibrate(big, 'ReS2'))
    return Check(r, 'works', lost=peak > 2e9)              # a central crop is enough for the FFT (was 8.6 GB at 12000²)

@case('memory')
def pixel_size_in_pm_on_the_command_line(d):
    lattice_png(d / 'a.png')
    return Check(_resolve(d, d / 'a.png', extra=('--pixel-size', 10)), 'refused', ('--pixel-size', 'pm'))

@case('memory')
def pixel_size_in_pm_in_python(d):
    from vdwnb.answer import resolve
    r, peak = _peak(lambda: resolve(lattice_array(), material='ReS2', pixel_size=10.0, fit=False))
    return Check(r, 'refused', ('pm',), lost=peak > 1e9)

@case('memory')
def resample_beyond_the_budget(d):
    from vdwnb.io import load_image, resample
    s = load_image(lattice_array(), pixel_size=0.15)
    old = os.environ.get('VDWNB_MEMORY_GB'); os.environ['VDWNB_MEMORY_GB'] = '0.5'
    try: r = api(lambda: resample(s, 0.001))
    finally:
        if old is None: os.environ.pop('VDWNB_MEMORY_GB', None)
        else: os.environ['VDWNB_MEMORY_GB'] = old
    return Check(r, 'refused', ('GB', 'VDWNB_MEMORY_GB'))

@case('memory')
def model_of_width_8192(d):
    from vdwnb.infer import load_model
    p = model_with(d / 'wide.pt', **{'config.width': 8192})
    r, peak = _peak(lambda: load_model(p))
    return Check(r, 'refused', ('wide.pt',), lost=peak > 5e8)

@case('memory')
def generator_of_width_100000(d):
    import torch
    from vdwnb.trident import TridentGenerator
    torch.save(dict(config=dict(width=100000, depth=2), enc_c={}, enc_a={}, gen={}, styles=None), d / 'generator.pt')
    r, peak = _peak(lambda: TridentGenerator.load(d / 'generator.pt'))
    return Check(r, 'refused', ('generator.pt',), lost=peak > 5e8)

@case('memory')
def simulate_a_field_too_large(d):
    return Check(cli('simulate', 'MoS2', '--fov', 3000, '--pixel-size', 0.01, '--out', d / 'x.hspy'), 'refused', ('--fov',))


# command-line arguments and damaged files ---------------------------------
def _bad_arg(*argv, says=()):
    def run(d):
        lattice_png(d / 'a.png')
        place = lambda a: (d / 'a.png' if a == '{img}' else d / 'r.csv' if a == '{out}' else d / 'x.hspy' if a == '{sim}' else
                           f'{d}/nowhere{a[12:]}' if isinstance(a, str) and a.startswith('/nonexistent') else a)   # a missing path inside d
        return Check(cli(*map(place, argv)), 'refused', tuple(map(str, map(place, says))))
    return run

for _name, _argv, _says in [
        ('tta_zero', ('resolve', '{img}', '--material', 'ReS2', '--pixel-size', 0.15, '--tta', 0, '--out', '{out}'), ('--tta',)),
        ('tta_negative', ('resolve', '{img}', '--material', 'ReS2', '--pixel-size', 0.15, '--tta', -3, '--out', '{out}'), ('--tta',)),
        ('pixel_size_negative', ('resolve', '{img}', '--material', 'ReS2', '--pixel-size', -1, '--out', '{out}'), ('--pixel-size',)),
        ('pixel_size_nan', ('resolve', '{img}', '--material', 'ReS2', '--pixel-size', 'nan', '--out', '{out}'), ('--pixel-size',)),
        ('pixel_size_inf', ('resolve', '{img}', '--material', 'ReS2', '--pixel-size', 'inf', '--out', '{out}'), ('--pixel-size',)),
        ('pixel_size_zero', ('resolve', '{img}', '--material', 'ReS2', '--pixel-size', 0, '--out', '{out}'), ('--pixel-size',)),
        ('workers_negative', ('resolve', '{img}', '--material', 'ReS2', '--workers', -2, '--out', '{out}'), ('--workers',)),
        ('unknown_material', ('resolve', '{img}', '--material', 'Unobtainium', '--out', '{out}'), ('Unobtainium',)),
        ('no_shipped_model', ('resolve', '{img}', '--material', 'WS2', '--task', 'trilayer', '--out', '{out}'), ('train',)),   # a pair no model serves yet
        ('model_missing', ('resolve', '{img}', '--material', 'ReS2', '--model', '/nonexistent/model.pt', '--out', '{out}'), ('model.pt',)),
        ('no_such_image', ('resolve', '/nonexistent/a.png', '--material', 'ReS2', '--out', '{out}'), ('/nonexistent/a.png',)),
        ('glob_matches_nothing', ('resolve', '/nonexistent/*.png', '--material', 'ReS2', '--out', '{out}'), ('no file matches',)),
        ('resolve_out_in_missing_folder', ('resolve', '{img}', '--material', 'ReS2', '--pixel-size', 0.15, '--out', '/nonexistent/dir/r.csv'), ('does not exist',)),
        ('simulate_out_in_missing_folder', ('simulate', 'MoS2', '--fov', 10, '--out', '/nonexistent/dir/x.hspy'), ('does not exist',)),
        ('simulate_bad_suffix', ('simulate', 'MoS2', '--fov', 10, '--out', 'x.jpg'), ('.hspy',)),
        ('simulate_fov_zero', ('simulate', 'MoS2', '--fov', 0, '--out', '{sim}'), ('--fov',)),
        ('simulate_pixel_size_zero', ('simulate', 'MoS2', '--pixel-size', 0, '--out', '{sim}'), ('--pixel-size',)),
        ('simulate_pixel_size_in_pm', ('simulate', 'MoS2', '--pixel-size', 10, '--out', '{sim}'), ('pm',)),
        ('simulate_zero_layers', ('simulate', 'MoS2', '--layers', 0, '--out', '{sim}'), ('--layers',)),
        ('simulate_nine_layers', ('simulate', 'MoS2', '--layers', 9, '--out', '{sim}'), ('--layers',)),
        ('simulate_dose_negative', ('simulate', 'MoS2', '--fov', 10, '--dose', -5, '--out', '{sim}'), ('--dose',)),
        ('simulate_dose_nan', ('simulate', 'MoS2', '--fov', 10, '--dose', 'nan', '--out', '{sim}'), ('--dose',)),
        ('simulate_source_negative', ('simulate', 'MoS2', '--fov', 10, '--source-size', -1, '--out', '{sim}'), ('--source-size',)),
        ('simulate_defocus_nan', ('simulate', 'MoS2', '--fov', 10, '--defocus', 'nan', '--out', '{sim}'), ('--defocus',)),
        ('simulate_twist_nan', ('simulate', 'MoS2', '--fov', 10, '--twist', 'nan', '--out', '{sim}'), ('--twist',)),
        ('simulate_slip_one_number', ('simulate', 'MoS2', '--slip', '1.5', '--out', '{sim}'), ('--slip',)),
        ('simulate_slip_words', ('simulate', 'MoS2', '--slip', 'a,b', '--out', '{sim}'), ('--slip',)),
        ('simulate_slip_nan', ('simulate', 'MoS2', '--slip', 'nan,1', '--out', '{sim}'), ('--slip',)),
        ('simulate_unknown_material', ('simulate', 'Kryptonite', '--out', '{sim}'), ('Kryptonite',)),
        ('generate_zero_images', ('generate', 'ReS2', 0, '--out', '{sim}'), ('n',)),
        ('generate_tiny_size', ('generate', 'ReS2', 4, '--size', 8, '--out', '{sim}'), ('--size',)),
        ('generate_bad_twist_range', ('generate', 'MoS2', 4, '--twist-range', 'x', '--out', '{sim}'), ('--twist-range',)),
        ('generate_out_in_missing_folder', ('generate', 'ReS2', 4, '--out', '/nonexistent/dir/set'), ('does not exist',)),
        ('train_steps_zero', ('train', 'model', '--task', 'slip', '--material', 'ReS2', '--steps', 0, '--out', '{sim}'), ('--steps',)),
        ('train_width_zero', ('train', 'model', '--task', 'slip', '--material', 'ReS2', '--width', 0, '--out', '{sim}'), ('--width',)),
        ('train_lr_nan', ('train', 'model', '--task', 'slip', '--material', 'ReS2', '--lr', 'nan', '--out', '{sim}'), ('--lr',)),
        ('train_blocks_words', ('train', 'model', '--task', 'slip', '--material', 'ReS2', '--blocks', 'a,b', '--out', '{sim}'), ('--blocks',)),
        ('train_unknown_recipe', ('train', 'model', 'NoSuchRecipe'), ('recipe',)),
        ('train_task_without_material', ('train', 'model', '--task', 'slip'), ('--material',)),
        ('train_generator_no_images', ('train', 'generator', '/nonexistent_dir', '--quiet'), ('/nonexistent_dir',)),
        ('train_generator_missing', ('train', 'model', '--task', 'slip', '--material', 'ReS2', '--generator', '/nonexistent/g.pt', '--out', '{sim}'), ('g.pt',)),
        ('demo_samples_missing', ('demo', '--samples', '/nonexistent/samples', '--out', '{sim}'), ('labels.csv',)),
        ]:
    def _f(d, _r=_bad_arg(*_argv, says=_says)): return _r(d)
    _f.__name__ = _name
    case('arguments')(_f)

@case('arguments')
def model_is_a_text_file(d):
    (d / 'model.pt').write_text('hello'); lattice_png(d / 'a.png')
    return Check(_resolve(d, d / 'a.png', extra=('--model', d / 'model.pt')), 'refused', ('model.pt',))

@case('arguments')
def model_truncated(d):
    (d / 'model.pt').write_bytes(shipped().read_bytes()[:5000]); lattice_png(d / 'a.png')
    return Check(_resolve(d, d / 'a.png', extra=('--model', d / 'model.pt')), 'refused', ('model.pt',))

@case('arguments')
def model_with_text_ood(d):
    lattice_png(d / 'a.png')
    return Check(_resolve(d, d / 'a.png', extra=('--model', model_with(d / 'm' / 'model.pt', ood='high'))), 'refused', ('model.pt', 'ood'))

@case('arguments')
def model_with_text_sigma_scale(d):
    lattice_png(d / 'a.png')
    return Check(_resolve(d, d / 'a.png', extra=('--model', model_with(d / 'm' / 'model.pt', sigma_scale='big'))), 'refused', ('sigma_scale',))

@case('arguments')
def model_with_text_threshold(d):
    import torch
    st = torch.load(shipped(), weights_only=True); st['ood']['threshold'] = 'x'
    lattice_png(d / 'a.png'); (d / 'm').mkdir(); torch.save(st, d / 'm' / 'model.pt')
    return Check(_resolve(d, d / 'a.png', extra=('--model', d / 'm' / 'model.pt')), 'refused', ('threshold',))

@case('arguments')
def model_without_config(d):
    import torch
    torch.save(dict(weights={}), d / 'model.pt'); lattice_png(d / 'a.png')
    return Check(_resolve(d, d / 'a.png', extra=('--model', d / 'model.pt')), 'refused', ('config',))

@case('arguments')
def model_is_a_list(d):
    import torch
    torch.save([1, 2, 3], d / 'model.pt'); lattice_png(d / 'a.png')
    return Check(_resolve(d, d / 'a.png', extra=('--model', d / 'model.pt')), 'refused', ('model.pt',))

@case('arguments')
def generator_is_a_model(d):
    return Check(cli('train', 'model', '--task', 'slip', '--material', 'ReS2', '--steps', 1, '--generator', shipped(), '--out', d / 'm', '--quiet'),
                 'refused', ('ReS2_slip.pt',))

@case('arguments')
def truncated_training_checkpoint(d):
    import torch
    (d / 'm').mkdir(); torch.save(dict(config={}, weights={str(i): torch.zeros(1000) for i in range(20)}), d / 'm' / 'checkpoint.pt')
    (d / 'm' / 'checkpoint.pt').write_bytes((d / 'm' / 'checkpoint.pt').read_bytes()[:3000])
    r = cli('train', 'model', '--task', 'slip', '--material', 'ReS2', '--size', 32, '--width', 4, '--blocks', '1,1', '--batch', 2,
            '--steps', 1, '--calibrate', 0, '--out', d / 'm', '--quiet', '--device', 'cpu')
    return Check(r, 'refused', ('checkpoint.pt',))

def _labels(d, text):
    (d / 's').mkdir(); (d / 's' / 'labels.csv').write_text(text)
    return cli('demo', '--samples', d / 's', '--out', d / 'out', '--workers', 0)

@case('arguments')
def demo_labels_without_columns(d):
    return Check(_labels(d, 'name,value\na,1\n'), 'refused', ('labels.csv',))

@case('arguments')
def demo_labels_bad_pixel_size(d):
    lattice_png(d / 'a.png')
    return Check(_labels(d, f'file,material,task,truth,pixel_size\n{d / "a.png"},ReS2,slip,"[[1.2, 0.6]]",big\n'), 'refused', ('labels.csv', 'pixel_size'))

@case('arguments')
def demo_labels_bad_truth(d):
    return Check(_labels(d, 'file,material,task,truth,pixel_size\na.png,ReS2,slip,oops,0.15\n'), 'refused', ('labels.csv', 'truth'))

@case('arguments')
def demo_labels_missing_image(d):
    return Check(_labels(d, 'file,material,task,truth,pixel_size\nnothere.png,ReS2,slip,"[[1.2, 0.6]]",0.15\n'), 'refused', ('nothere.png',))

@case('arguments')
def demo_labels_empty(d):
    return Check(_labels(d, ''), 'refused', ('labels.csv',))

@case('arguments')
def resolve_with_nothing_resolvable(d):
    (d / 'a.png').write_bytes(b'junk')
    r = _resolve(d, d / 'a.png')
    return Check(r, 'refused', ('0 images resolved',))      # every image failed: a non-zero exit status


# misreadings -----------------------------------------------------------------
def _load(**kw):
    from vdwnb.io import load_image
    return lambda p: load_image(p, **kw)

@case('reading')
def grey_alpha_png(d):
    from vdwnb.io import load_image
    p = lattice_png(d / 'ga.png', mode='LA')
    r = api(lambda: load_image(p, pixel_size=0.15))
    return Check(r, 'works')

@case('reading')
def rgb_png(d):
    from vdwnb.io import load_image
    return Check(api(lambda: load_image(lattice_png(d / 'c.png', mode='RGB'), pixel_size=0.15)), 'works')

@case('reading')
def planar_rgb_tiff(d):
    import tifffile
    from vdwnb.io import load_image
    g = (255 * np.clip(lattice_array() / lattice_array().max(), 0, 1)).astype(np.uint8)
    tifffile.imwrite(d / 'p.tif', np.stack([g] * 3), photometric='rgb', planarconfig='separate')
    return Check(api(lambda: load_image(d / 'p.tif', pixel_size=0.15)), 'works')

@case('reading')
def hspy_axes_in_pixels(d):
    from vdwnb.io import load_image
    p = hspy(d / 'px.hspy', lattice_array(), scale=1.0, units='px')
    return Check(api(lambda: load_image(p, material='ReS2')), 'warned', ("'px'",))

@case('reading')
def hspy_axes_in_inverse_nm(d):
    from vdwnb.io import load_image
    p = hspy(d / 'k.hspy', lattice_array(), scale=0.05, units='1/nm')
    return Check(api(lambda: load_image(p, material='ReS2')), 'refused', ('1/nm', 'diffraction'))

@case('reading')
def hspy_negative_scale(d):
    from vdwnb.io import load_image
    p = hspy(d / 'n.hspy', lattice_array(), scale=-0.015, units='nm')
    return Check(api(lambda: load_image(p, material='ReS2')), 'refused', ('negative', 'n.hspy'))

@case('reading')
def hspy_complex_data(d):
    from vdwnb.io import load_image
    p = hspy(d / 'c.hspy', lattice_array().astype(np.complex64) * (1 + 1j))
    return Check(api(lambda: load_image(p)), 'refused', ('complex',))

@case('reading')
def complex_array(d):
    from vdwnb.io import load_image
    return Check(api(lambda: load_image(np.fft.fft2(lattice_array()), pixel_size=0.15)), 'refused', ('complex',))

@case('reading')
def folder_as_an_image(d):
    from vdwnb.io import load_image
    return Check(api(lambda: load_image(d, pixel_size=0.15)), 'refused', ('folder',))

@case('reading')
def png_without_pixel_size_resolved_with_material(d):
    from vdwnb.answer import resolve
    p = lattice_png(d / 'a.png', size=400)
    return Check(api(lambda: resolve(p, material='ReS2', fit=False, tta=1)), 'works')

@case('reading')
def stack_of_frames_on_the_command_line(d):
    import tifffile
    tifffile.imwrite(d / 's.tif', np.stack([lattice_array(seed=i) for i in (1, 2, 3)]), photometric='minisblack')
    r = _resolve(d, d / 's.tif')
    return Check(r, 'refused', ('--frame',))

@case('reading')
def frame_chosen_on_the_command_line(d):
    import tifffile
    tifffile.imwrite(d / 's.tif', np.stack([lattice_array(seed=i) for i in (1, 2, 3)]), photometric='minisblack')
    r = _resolve(d, d / 's.tif', extra=('--frame', 1))
    return Check(r, 'works', says=('1 images resolved',))

@case('reading')
def frame_out_of_range(d):
    from vdwnb.io import load_image
    import tifffile
    tifffile.imwrite(d / 's.tif', np.stack([lattice_array(seed=i) for i in (1, 2, 3)]), photometric='minisblack')
    return Check(api(lambda: load_image(d / 's.tif', pixel_size=0.15, frame=7)), 'refused', ('frame',))

@case('reading')
def text_file_named_png(d):
    from vdwnb.io import load_image
    (d / 't.png').write_text('hello')
    return Check(api(lambda: load_image(d / 't.png', pixel_size=0.15)), 'refused', ('t.png',))

@case('reading')
def empty_tif(d):
    from vdwnb.io import load_image
    (d / 'e.tif').write_bytes(b'')
    return Check(api(lambda: load_image(d / 'e.tif', pixel_size=0.15)), 'refused', ('e.tif',))

@case('reading')
def nan_pixels(d):
    from vdwnb.io import load_image
    a = lattice_array(); a[5:9, 5:9] = np.nan
    return Check(api(lambda: load_image(a, pixel_size=0.15)), 'refused', ('nan',))

@case('reading')
def constant_image(d):
    from vdwnb.io import load_image
    return Check(api(lambda: load_image(np.ones((100, 100)), pixel_size=0.15)), 'refused', ('constant',))

@case('reading')
def tiny_image(d):
    from vdwnb.io import load_image
    return Check(api(lambda: load_image(np.random.rand(10, 10), pixel_size=0.15)), 'refused', ('too small',))

@case('reading')
def unknown_extension(d):
    from vdwnb.io import load_image
    (d / 'a.xyz').write_bytes(b'x')
    return Check(api(lambda: load_image(d / 'a.xyz', pixel_size=0.15)), 'refused', ('a.xyz', 'format'))

@case('reading')
def pixel_size_as_text(d):
    from vdwnb.io import load_image
    return Check(api(lambda: load_image(lattice_array(), pixel_size='abc')), 'refused', ('pixel_size',))

@case('reading')
def pixel_size_zero_in_python(d):
    from vdwnb.io import load_image
    return Check(api(lambda: load_image(lattice_array(), pixel_size=0)), 'refused', ('pixel_size',))

@case('reading')
def noise_with_a_material_to_calibrate(d):
    from vdwnb.io import load_image
    n = np.random.default_rng(0).normal(size=(256, 256))
    return Check(api(lambda: load_image(n, material='ReS2')), 'refused', ('lattice',))

@case('reading')
def object_array(d):
    from vdwnb.io import load_image
    return Check(api(lambda: load_image(np.array([['a'] * 40] * 40, dtype=object), pixel_size=0.15)), 'refused', ('not an image',))

@case('reading')
def five_dimensional_array(d):
    from vdwnb.io import load_image
    return Check(api(lambda: load_image(np.zeros((2, 2, 2, 40, 40)), pixel_size=0.15)), 'refused', ('2-D',))


# entry points -----------------------------------------------------------------
def _module(mod):
    import subprocess, sys
    p = subprocess.run([sys.executable, '-m', mod, '--help'], capture_output=True, text=True, timeout=120)
    return Run(p.returncode, p.stdout, p.stderr, None, '')

@case('entry')
def python_m_vdwnb_cli(d):
    r = _module('vdwnb.cli')
    return Check(r, 'works', says=('usage: vdwnb',))

@case('entry')
def python_m_vdwnb(d):
    r = _module('vdwnb')
    return Check(r, 'works', says=('usage: vdwnb',))


# processes ----------------------------------------------------------------------
CLI = ['-c', 'import sys; from vdwnb.cli import main; sys.exit(main(sys.argv[1:]))']

def children(pid):
    "PIDs of the live processes whose parent is `pid` (from /proc)."
    out = []
    for p in Path('/proc').iterdir():
        if not p.name.isdigit(): continue
        try: stat = (p / 'stat').read_text()
        except OSError: continue
        fields = stat[stat.rindex(')') + 2:].split()
        if int(fields[1]) == pid and fields[0] != 'Z': out.append(int(p.name))
    return out

def alive(pid):
    "True while `pid` runs (a zombie does not count)."
    try: stat = Path(f'/proc/{pid}/stat').read_text()
    except OSError: return False
    return stat[stat.rindex(')') + 2:].split()[0] != 'Z'

def orphans_after_kill(d, workers=2, grace=20.0):
    "Start `vdwnb resolve --workers N` on a few images, kill -9 it once its workers run: how many of its children are alive `grace` s later."
    import signal, subprocess, sys, time
    for i in range(6): lattice_png(d / f'k{i}.png', seed=i + 1)
    p = subprocess.Popen([sys.executable, *CLI, 'resolve', *[str(d / f'k{i}.png') for i in range(6)], '--material', 'ReS2',
                          '--pixel-size', '0.15', '--workers', str(workers), '--out', str(d / 'k.csv'), '--quiet'],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=d)   # cwd: no checkout's vdwnb/ shadows PYTHONPATH
    t = time.time()
    while len(kids := children(p.pid)) < workers and time.time() - t < 120: time.sleep(0.5)
    if len(kids) < workers: p.kill(); p.wait(); raise RuntimeError('the workers did not start')
    time.sleep(3)
    os.kill(p.pid, signal.SIGKILL); p.wait()
    t = time.time()
    while any(alive(k) for k in kids) and time.time() - t < grace: time.sleep(0.5)
    left = [k for k in kids if alive(k)]
    for k in left: os.kill(k, signal.SIGKILL)
    return len(left)
