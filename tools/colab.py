"""Give every tutorial an "Open in Colab" badge and an install cell that runs only on Colab.

The repository URL and branch come from settings.ini (`git_url`, `branch`): the one place that defines them.
The badge is the tutorial's second cell (id `colab-badge`), the install cell its third (id `colab-install`).
`python tools/colab.py` writes them; `--check` fails when a tutorial lacks them or they are out of date.
"""
import configparser, json, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent

def settings():
    cfg = configparser.ConfigParser(delimiters=['=']); cfg.read(root / 'settings.ini', encoding='utf-8')
    return cfg['DEFAULT']

def badge_cell(nb_path, cfg):
    "The badge's markdown cell for the tutorial at `nb_path`."
    repo = cfg['git_url'].removeprefix('https://github.com/').rstrip('/')
    rel = nb_path.relative_to(root).as_posix()
    url = f'https://colab.research.google.com/github/{repo}/blob/{cfg["branch"]}/{rel}'
    return dict(cell_type='markdown', id='colab-badge', metadata={},
                source=[f'[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({url})'])

def install_cell(cfg):
    "The install cell: on Colab it installs vdwnb from the repository and turns on the ipywidgets manager."
    lines = ["import sys, subprocess",
             "if 'google.colab' in sys.modules:     # only on Colab (locally: `pip install vdwnb`, or `pip install -e .` in a clone)",
             f"    subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', 'vdwnb @ git+{cfg['git_url']}@{cfg['branch']}'], check=True)",
             "    from google.colab import output",
             "    output.enable_custom_widget_manager()   # ipywidgets 8: the explorers' sliders"]
    return dict(cell_type='code', execution_count=None, id='colab-install', metadata={}, outputs=[],
                source=[l + '\n' for l in lines[:-1]] + [lines[-1]])

def tutorials(): return sorted((root / 'nbs' / 'tutorials').glob('*.ipynb'))

def updated(nb_path, cfg):
    "The tutorial's notebook with its badge and install cell in place (as second and third cells)."
    nb = json.loads(nb_path.read_text(encoding='utf-8'))
    cells = [c for c in nb['cells'] if c.get('id') not in ('colab-badge', 'colab-install')]
    nb['cells'] = cells[:1] + [badge_cell(nb_path, cfg), install_cell(cfg)] + cells[1:]
    return nb

def dump(nb): return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + '\n'

if __name__ == '__main__':
    cfg, stale = settings(), []
    for p in tutorials():
        text = dump(updated(p, cfg))
        if text == p.read_text(encoding='utf-8'): continue
        if '--check' in sys.argv: stale.append(p.name)
        else: p.write_text(text, encoding='utf-8'); print('updated', p.relative_to(root))
    if stale: sys.exit(f'tutorials without an up-to-date Colab badge and install cell: {", ".join(stale)}; run python tools/colab.py')
    print(f'{len(tutorials())} tutorials have the Colab badge and install cell ({cfg["git_url"]}, branch {cfg["branch"]})')
