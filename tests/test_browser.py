"""Real-browser test of the explorers: JupyterLab + headless Chromium (Debian's) driven by Playwright.

A StackExplorer notebook (on a real image, default arguments) is opened in JupyterLab, all cells run, the `Da` slider is moved by typing into its
readout (the sliders have continuous_update=False: the value is committed on Enter), and the simulated panel of
the figure and the score must change while the experimental panel stays. Screenshots are kept in the test's
tmp dir; they must show the scale bars. Skips when Chromium or the playwright package is missing.
"""
import json, os, secrets, shutil, socket, subprocess, sys, time, urllib.request
from pathlib import Path
import numpy as np
import pytest

CHROMIUM = '/usr/bin/chromium'
FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
         '--disable-sync', '--no-first-run', '--disable-quic']

TEDGEN = Path(__file__).resolve().parents[2] / 'shared' / 'data' / 'tedgen'
CELLS = [   # a real image with the default arguments where the reference images are here, else a simulated one
    "import vdwnb as vw\n"
    + (f"exp = vw.examples.load_example('res2_bilayer_1', {str(TEDGEN)!r})\n" if TEDGEN.exists() else
       "exp = vw.examples.twisted_image('ReS2', 0.0, slip=(1.2, 0.6), size=300, seed=1)\n")
    + "ex = vw.StackExplorer(exp, 'ReS2')\nex",
    "import json\nprint('PANELS', json.dumps([[float(v) for v in a.get_position().bounds] for a in ex.axes]))\n"
    "W, H = ex.fig.canvas.get_width_height()\n"
    "print('BARS', json.dumps([(ax.transData.transform(b.get_xydata()) / (W, H)).tolist() for b, _ in ex.scale_bars for ax in [b.axes]]))",
]


def _notebook(path):
    cells = [dict(cell_type='code', execution_count=None, id=f'c{i}', metadata={}, outputs=[], source=s) for i, s in enumerate(CELLS)]
    nb = dict(cells=cells, metadata=dict(kernelspec=dict(display_name='Python 3', language='python', name='python3')), nbformat=4, nbformat_minor=5)
    path.write_text(json.dumps(nb))


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    "A JupyterLab server on 127.0.0.1 with a token, serving a temporary root with the explorer notebook."
    root = tmp_path / 'root'; root.mkdir()
    _notebook(root / 'explore_demo.ipynb')
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, 'JUPYTER_CONFIG_DIR': str(tmp_path / 'cfg'), 'JUPYTER_RUNTIME_DIR': str(tmp_path / 'rt'), 'MPLBACKEND': 'agg'}
    log = open(tmp_path / 'lab.log', 'w')
    proc = subprocess.Popen([sys.executable, '-m', 'jupyterlab', '--no-browser', '--ServerApp.ip=127.0.0.1', f'--ServerApp.port={port}',
                             f'--ServerApp.token={token}', f'--ServerApp.root_dir={root}', '--LabApp.expose_app_in_browser=True',
                             '--ServerApp.port_retries=0', '--LabApp.extension_manager=readonly'] + (['--allow-root'] if os.geteuid() == 0 else []), stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
    url = f'http://127.0.0.1:{port}'
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f'{url}/api/status?token={token}', timeout=2); break
            except OSError:
                if proc.poll() is not None: pytest.fail(f'jupyter lab exited: {(tmp_path / "lab.log").read_text()[-2000:]}')
                time.sleep(0.5)
        else: pytest.fail('jupyter lab did not start in 60 s')
        yield url, token, tmp_path
    finally:
        proc.terminate()
        try: proc.wait(20)
        except subprocess.TimeoutExpired: proc.kill()
        log.close()


def _panel(img, bounds):
    "The part of a screenshot array `img` inside figure-fraction bounds (x0, y0 from the bottom, w, h)."
    H, W = img.shape[:2]
    x0, y0, w, h = bounds
    return img[int(H * (1 - y0 - h)) + 2:int(H * (1 - y0)) - 2, int(W * x0) + 2:int(W * (x0 + w)) - 2].astype(float)


def test_stack_explorer_in_jupyterlab(lab):
    if not Path(CHROMIUM).exists(): pytest.skip(f'{CHROMIUM} is missing (apt-get install chromium; `make test` does it as root)')
    sync_api = pytest.importorskip('playwright.sync_api', reason='the playwright package is not installed (make venv)')
    from PIL import Image
    url, token, tmp = lab
    t0 = time.time()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            page = browser.new_page(viewport={'width': 1400, 'height': 1000})
            page.goto(f'{url}/lab/tree/explore_demo.ipynb?token={token}')
            page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook')", timeout=60_000)
            page.wait_for_timeout(1500)                                         # the kernel session attaches
            page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
            status = page.locator('.widget-html', has_text='NCC').first
            status.wait_for(timeout=120_000)
            panels_out = page.locator('.jp-OutputArea-output', has_text='PANELS').first
            panels_out.wait_for(timeout=60_000)
            bounds = json.loads(panels_out.inner_text().split('PANELS', 1)[1].split('BARS')[0].strip())
            bars = json.loads(panels_out.inner_text().split('BARS', 1)[1].strip())
            view = page.locator('.widget-image').first
            view.wait_for(timeout=30_000)
            view.scroll_into_view_if_needed()
            score0 = status.inner_text()
            before = tmp / 'explorer_before.png'; view.screenshot(path=str(before))
            page.screenshot(path=str(tmp / 'page_before.png'), full_page=True)
            readout = page.locator('.widget-hslider', has_text='Da (Å)').locator('.widget-readout')
            readout.click(); page.keyboard.press('Control+A'); page.keyboard.type('2.00'); page.keyboard.press('Enter')
            page.wait_for_function("s => !document.querySelector('.widget-html') || [...document.querySelectorAll('.widget-html')].some(e => e.innerText.includes('NCC') && e.innerText !== s)",
                                   arg=score0, timeout=60_000)
            page.wait_for_timeout(1000)                                         # the new PNG is decoded and drawn
            score1 = status.inner_text()
            after = tmp / 'explorer_after.png'; view.screenshot(path=str(after))
            page.screenshot(path=str(tmp / 'page_after.png'), full_page=True)
        finally:
            browser.close()
    a, b = np.asarray(Image.open(before).convert('L')), np.asarray(Image.open(after).convert('L'))
    assert a.shape == b.shape
    assert 'lattice not found' not in score0                                   # the explorer found the image's lattice
    for (x0, y0), (x1, _) in bars:                                             # each scale bar is drawn, white, where it belongs
        H, W = a.shape
        row = a[int(round(H * (1 - y0))) + np.arange(-1, 2)[:, None], np.arange(int(W * x0) + 2, int(W * x1) - 2)[None]]
        assert row.max(axis=0).min() > 200, ('scale bar not in the screenshot', x0, y0, row.max(axis=0).min())
    exp_change = np.abs(_panel(a, bounds[0]) - _panel(b, bounds[0])).mean()
    sim_change = np.abs(_panel(a, bounds[1]) - _panel(b, bounds[1])).mean()
    diff_change = np.abs(_panel(a, bounds[2]) - _panel(b, bounds[2])).mean()
    print(f'browser test {time.time() - t0:.1f} s; screenshots in {tmp}; mean |Δ| grey: experiment {exp_change:.2f}, '
          f'simulation {sim_change:.2f}, difference {diff_change:.2f}; status {score0!r} -> {score1!r}')
    assert sim_change > 5 * max(exp_change, 0.2), (sim_change, exp_change)    # the simulated panel changed, the experiment did not
    assert diff_change > 5 * max(exp_change, 0.2)
    ncc0, ncc1 = [float(s.split('NCC', 1)[1].split()[0]) for s in (score0, score1)]
    assert ncc0 != ncc1 and '(2.00,' in score1                                  # the score and the stacking line follow the slider
