"""Bad input to `verify` / `fit_columns`: one clear `VdwInputError` naming the problem and the fix; and a smoke test of
`propose` + `verify` on a real image (skipped when ../shared/data/tedgen is absent)."""
import numpy as np, pytest
from vdwnb.structures import VdwInputError
from vdwnb.infer import Result
from vdwnb.io import to_signal, load_image
from vdwnb.verify import verify, fit_columns, simulated_example, label_slips, as_result, Verification

@pytest.fixture(scope='module')
def example():
    img, lab, _ = simulated_example('ReS2', size=220, seed=11)
    return img, label_slips(lab)

def test_nan_image(example):
    img, s = example
    bad = img.copy(); bad[10:20, 10:20] = np.nan
    with pytest.raises(VdwInputError, match='NaN'): verify(bad, as_result('ReS2', s), pixel_size=0.1, progress=False)
    with pytest.raises(VdwInputError, match='NaN'): fit_columns(bad, 'ReS2', pixel_size=0.1, progress=False)

def test_tiny_image(example):
    img, s = example
    with pytest.raises(VdwInputError, match='too small'): verify(img[:24, :24], as_result('ReS2', s), pixel_size=0.1, progress=False)
    with pytest.raises(VdwInputError, match=r'too small.*three unit cells'):
        verify(img[:120, :120], as_result('ReS2', s), pixel_size=0.1, progress=False)

def test_wrong_material(example):
    img, s = example
    with pytest.raises(VdwInputError, match='2H-MoS2'): verify(img, as_result('ReS2', s), pixel_size=0.1, material='MoS2', progress=False)
    try:                   # another material's stack: no lattice to place it on, or placed (2H's 3.16 Å lattice fits ReS2's subcell) and refuted
        assert not verify(img, as_result('MoS2', [[0.5, 0.2]]), pixel_size=0.1, progress=False).consistent
    except VdwInputError as e: assert '2H-MoS2' in str(e)
    sig = load_image(to_signal(img, 0.1, title='scan.tif'), material='ReSe2')          # loaded as ReSe2, checked as ReS2
    with pytest.raises(VdwInputError, match='ReSe2'): verify(sig, as_result('ReS2', s), progress=False)

def test_twist_result_is_refused(example):
    img, _ = example
    tw = Result('2H-MoS2', 'twist', np.array([21.5]), np.array([0.4]), np.zeros(4), 1.0, 2.0, None, 'moire.png')
    with pytest.raises(VdwInputError, match='twist.*vdwnb.maps'): verify(img, tw, pixel_size=0.1, progress=False)

def test_no_lattice_and_not_a_result(example):
    img, s = example
    noise = np.random.default_rng(0).normal(size=img.shape)
    with pytest.raises(VdwInputError, match='no .*lattice found'): verify(noise, as_result('ReS2', s), pixel_size=0.1, progress=False)
    with pytest.raises(VdwInputError, match='expected a vdwnb Result'): verify(img, s, pixel_size=0.1, progress=False)
    with pytest.raises(VdwInputError, match='mode'): verify(img, as_result('ReS2', s), pixel_size=0.1, mode='exact', progress=False)

def test_example_verifies(example):
    img, s = example
    v = verify(img, as_result('ReS2', s), pixel_size=0.1, progress=False)
    assert isinstance(v, Verification) and v.consistent and v.n_matched >= 30
    row = v.to_row()
    assert row['consistent'] and np.isfinite(row['rms_pm'])

def test_real_image_smoke(tedgen):
    "resolve + verify on a 500² crop of a real ReS2 image: figures are finite, columns are found, the re-simulation matches."
    from vdwnb.infer import propose
    sig = load_image(tedgen / 'experimental' / 'res2_bilayer_1.png', material='ReS2')
    p = float(sig.axes_manager[0].scale)
    crop = sig.data[:500, :500]
    r = propose(crop, material='ReS2', pixel_size=p, tta=8, device='cpu')
    v = verify(crop, r, pixel_size=p, progress=False)
    print(v)
    assert v.n_matched >= 50 and v.n_unmatched <= 0.2 * v.n_matched
    assert np.isfinite([v.rms_pm, v.motif_pm]).all() and v.correlation > 0.7
    assert v.image.shape == v.residual.shape == v.resim.shape
