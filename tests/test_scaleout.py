"""Scale-out: make_dataset and vdwnb resolve on a dask distributed cluster give what one process gives."""
import contextlib, io
import numpy as np
import pandas as pd
import pytest
import imageio.v3 as iio
distributed = pytest.importorskip('distributed')
from vdwnb.data import DataSpec, make_dataset, read_shard
from vdwnb.maps import twisted_image
from vdwnb.cli import main

@pytest.fixture(scope='module')
def cluster():
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as c:
        yield c

def test_make_dataset_on_dask(cluster, tmp_path):
    spec = DataSpec(material='MoS2', size=32)
    a = make_dataset(spec, 6, tmp_path / 'one', seed=5, shard_size=2, progress=False)
    b = make_dataset(spec, 6, tmp_path / 'dask', seed=5, shard_size=2, progress=False, scheduler=cluster.scheduler_address)
    assert a.equals(b)
    for k in range(3):
        assert np.array_equal(read_shard(tmp_path / 'one' / f'shard_{k:05d}.npz')[0], read_shard(tmp_path / 'dask' / f'shard_{k:05d}.npz')[0])

def test_resolve_on_dask(cluster, tmp_path):
    for i, s in enumerate([(1.2, 0.6), (0.4, 1.5)]):
        a = twisted_image('ReS2', 0.0, slip=s, size=200, seed=i).data
        iio.imwrite(tmp_path / f'r{i}.png', (255 * (a - a.min()) / np.ptp(a)).astype(np.uint8))
    (tmp_path / 'notes.txt').write_text('not an image')
    out = tmp_path / 'out'; out.mkdir()
    assert main(['resolve', str(tmp_path), '--material', 'ReS2', '--pixel-size', '0.15', '--quiet', '--out', str(out / 'one.csv')]) == 0
    assert main(['resolve', str(tmp_path), '--material', 'ReS2', '--pixel-size', '0.15', '--quiet', '--out', str(out / 'dask.csv'),
                 '--scheduler', cluster.scheduler_address]) == 0
    one, dask = pd.read_csv(out / 'one.csv'), pd.read_csv(out / 'dask.csv')
    assert one.file.tolist() == dask.file.tolist() and dask.status.tolist() == ['failed', 'ok', 'ok']
    assert np.allclose(one.slip1_x.fillna(0), dask.slip1_x.fillna(0), atol=1e-6)

def test_unreachable_scheduler_is_one_clear_error(tmp_path):
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        rc = main(['generate', 'MoS2', '4', '--size', '32', '--out', str(tmp_path / 'd'), '--quiet', '--scheduler', 'tcp://127.0.0.1:9'])
    assert rc == 2 and 'could not reach the dask scheduler' in err.getvalue() and 'dask worker' in err.getvalue()
