"Every bad input in tests/bad_inputs.py gets one clear message (or, where it was a misreading, the right reading): no traceback, no silent answer, no file lost, no code run."
import pytest
from bad_inputs import CASES, verdict

@pytest.mark.parametrize('name', list(CASES))
def test_bad_input(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    group, fn = CASES[name]
    c = fn(tmp_path)
    assert verdict(c) == 'clear', (name, c.want, c.says, c.run.rc, c.run.err[-800:], c.run.warned[-300:], c.run.out[-300:], repr(c.run.exc))

def test_there_are_enough_cases():
    assert len(CASES) >= 80
