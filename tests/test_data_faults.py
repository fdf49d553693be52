"Fault injection for dataset writing: an interrupted make_dataset leaves only whole shards and resumes to the same data."
import numpy as np
import pytest
import vdwnb.data as data
from vdwnb.data import DataSpec, make_dataset, read_shard, StackDataset
from vdwnb.simulate import IncoherentSimulator
from vdwnb.structures import VdwInputError

SPEC = DataSpec(material='MoS2', size=32)

def test_interrupted_run_resumes_identically(tmp_path, monkeypatch):
    sim = IncoherentSimulator(device='cpu')
    ref = make_dataset(SPEC, 6, tmp_path / 'ref', seed=1, shard_size=2, simulator=sim, progress=False)
    real, calls = data.simulate_labels, {'n': 0}
    def flaky(*a, **k):
        calls['n'] += 1
        if calls['n'] == 2: raise KeyboardInterrupt('killed mid-run')
        return real(*a, **k)
    monkeypatch.setattr(data, 'simulate_labels', flaky)
    with pytest.raises(KeyboardInterrupt):
        make_dataset(SPEC, 6, tmp_path / 'run', seed=1, shard_size=2, simulator=sim, batch_size=1, progress=False)
    files = sorted(p.name for p in (tmp_path / 'run').iterdir())
    assert files == ['spec.json'], files                      # no half-written shard, no temp file, no labels.csv
    with pytest.raises(VdwInputError, match='labels.csv is missing'): StackDataset(tmp_path / 'run')
    monkeypatch.setattr(data, 'simulate_labels', real)
    df = make_dataset(SPEC, 6, tmp_path / 'run', seed=1, shard_size=2, simulator=sim, progress=False)
    assert df.equals(ref)
    for k in range(3):
        a, b = read_shard(tmp_path / 'ref' / f'shard_{k:05d}.npz')[0], read_shard(tmp_path / 'run' / f'shard_{k:05d}.npz')[0]
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-9)

def test_truncated_shard_is_named(tmp_path):
    make_dataset(SPEC, 2, tmp_path / 'd', seed=0, shard_size=2, simulator=IncoherentSimulator(device='cpu'), progress=False)
    f = tmp_path / 'd' / 'shard_00000.npz'
    f.write_bytes(f.read_bytes()[:100])
    with pytest.raises(VdwInputError, match='shard_00000.npz: damaged'):
        StackDataset(tmp_path / 'd')[0]

def test_bad_specs():
    with pytest.raises(VdwInputError, match='Graphite'): DataSpec(material='Graphite')
    with pytest.raises(VdwInputError, match='dose_range'): DataSpec(dose_range=(0, 1e5))
    with pytest.raises(VdwInputError, match='positive integer'): make_dataset(SPEC, -3, '/tmp/never')
    with pytest.raises(VdwInputError, match='n > 0'): StackDataset(SPEC, n=0)
