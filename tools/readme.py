"""Render README.md from nbs/index.ipynb (nbdev_readme needs Quarto, which is not available here).

Markdown cells are copied; code cells that are not hidden become ```python blocks. `--check` fails
when README.md is out of date.
"""
import json, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent

def render(nb_path=root/'nbs'/'index.ipynb') -> str:
    cells = json.loads(nb_path.read_text(encoding='utf-8'))['cells']
    parts = []
    for c in cells:
        src = ''.join(c['source']).strip()
        if not src: continue
        if c['cell_type'] == 'markdown': parts.append(src)
        elif c['cell_type'] == 'code' and not src.startswith('#| hide'): parts.append(f'```python\n{src}\n```')
    return '\n\n'.join(parts) + '\n'

if __name__ == '__main__':
    text, readme = render(), root/'README.md'
    if '--check' in sys.argv:
        if readme.read_text(encoding='utf-8') != text:
            sys.exit('README.md is out of date with nbs/index.ipynb: run `make readme` (tools/readme.py) and commit it.')
        print('README.md is in sync with nbs/index.ipynb')
    else:
        readme.write_text(text, encoding='utf-8'); print('wrote', readme)
