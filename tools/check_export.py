"""Fail when `nbdev_export` changes vdwnb/: the notebooks and the library must be committed in sync."""
import subprocess, sys
from pathlib import Path

lib = Path(__file__).resolve().parent.parent/'vdwnb'
def snapshot(): return {p.relative_to(lib).as_posix(): p.read_bytes() for p in lib.rglob('*.py')}

before = snapshot()
subprocess.run(['nbdev_export'], check=True, cwd=lib.parent)
after = snapshot()
changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
if changed:
    print('nbdev_export changed vdwnb/ (notebooks and library out of sync):', *changed, sep='\n  ')
    print('Fix: edit the notebooks in nbs/, run nbdev_export, and commit the notebook with the exported .py.')
    sys.exit(1)
print(f'vdwnb/ is in sync with nbs/ ({len(after)} modules)')
