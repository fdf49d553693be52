"""Fail when a vdwnb module breaks the import rules of DESIGN.md §3: it imports another module's `_private` name, imports a
module later in the data flow, or (below `explore`) imports ipywidgets; `match` must not import matplotlib at import time."""
import ast, sys
from pathlib import Path

ORDER = ['structures', 'stackings', 'safety', 'io', 'optics', 'simulate', 'data', 'trident', 'realism', 'infer', 'lattice', 'match', 'answer', 'named', 'maps', 'scenes', 'verify', 'examples', 'explore', 'views', 'refine', 'transition', 'cli']
WIDGETS_FROM = ORDER.index('explore')          # explore and what comes after it may use ipywidgets
lib = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / 'vdwnb'   # a copy of the package, in tests

def target(node, here):
    "The vdwnb module a `from ... import` names, or None for outside packages."
    if node.level: return (node.module or here).split('.')[0]
    if node.module and node.module.split('.')[0] == 'vdwnb': return node.module.split('.')[1] if '.' in node.module else None
    return None

def problems(path):
    name, tree = path.stem, ast.parse(path.read_text(), str(path))
    out = []
    for node in ast.walk(tree):
        mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ''] if isinstance(node, ast.ImportFrom) else []
        if any(m.split('.')[0] == 'ipywidgets' for m in mods) and ORDER.index(name) < WIDGETS_FROM:
            out.append(f'{name}.py:{node.lineno}: imports ipywidgets (only explore and the modules after it may)')
        if isinstance(node, ast.ImportFrom) and (t := target(node, name)):
            bad = [a.name for a in node.names if a.name.startswith('_') and not a.name.startswith('__')]
            if bad: out.append(f'{name}.py:{node.lineno}: imports private {", ".join(bad)} from {t} (make it public or move it)')
            if t in ORDER and ORDER.index(t) >= ORDER.index(name):
                out.append(f'{name}.py:{node.lineno}: imports {t}, which comes later in the data flow ({" → ".join(ORDER)})')
    if name == 'match':
        top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        if any('matplotlib' in (getattr(n, 'module', None) or ' '.join(a.name for a in n.names)) for n in top):
            out.append('match.py: imports matplotlib at import time (the fit must not need a plotting backend)')
    return out

mods = sorted(p for p in lib.glob('*.py') if p.stem in ORDER)
missing = sorted(p.stem for p in lib.glob('*.py') if p.stem not in ORDER and not p.stem.startswith('_'))
found = [msg for p in mods for msg in problems(p)] + [f'{m}.py: not placed in the data flow (add it to ORDER in tools/check_imports.py)' for m in missing]
if found:
    print('import rules broken:', *found, sep='\n  ')
    sys.exit(1)
print(f'import rules hold ({len(mods)} modules: no private names, data-flow order, widgets only from explore on)')
