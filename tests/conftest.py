from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
TEDGEN = ROOT.parent/'shared'/'data'/'tedgen'

def pytest_addoption(parser):
    parser.addoption('--runslow', action='store_true', default=False, help='also run tests marked slow')

def pytest_configure(config):
    config.addinivalue_line('markers', 'slow: slow test, run with --runslow (make test-slow)')

def pytest_collection_modifyitems(config, items):
    if config.getoption('--runslow'): return
    skip = pytest.mark.skip(reason='slow: run with --runslow')
    for item in items:
        if 'slow' in item.keywords: item.add_marker(skip)

@pytest.fixture
def tedgen():
    "The reference images in ../shared/data/tedgen; the test is skipped when they are absent."
    if not TEDGEN.exists(): pytest.skip('../shared/data/tedgen is not there')
    return TEDGEN
