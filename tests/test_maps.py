"""Maps on bad input (one clear error) and on the real images (skipped without ../shared/data/tedgen)."""
import numpy as np, pytest
from vdwnb.structures import VdwInputError
from vdwnb.io import load_image, to_signal
from vdwnb.maps import slip_map, twist_map, find_domains, fft_twist, motif_bonds, motif_metrics, domain_image

@pytest.fixture(scope='module')
def uniform():
    img, _ = domain_image('ReS2', [(1.2, 0.6), (1.2, 0.6)], size=240, seed=5)
    return img

def test_nan_and_tiny_images(uniform):
    a = uniform.data.copy(); a[10:20, 10:20] = np.nan
    with pytest.raises(VdwInputError, match='NaN|finite'): slip_map(to_signal(a, 0.15, title='bad.dm4'), material='ReS2', progress=False)
    with pytest.raises(VdwInputError, match='smaller than'): slip_map(uniform.isig[:60, :60], material='ReS2', progress=False)

def test_window_and_material_errors(uniform):
    with pytest.raises(VdwInputError, match='window'): slip_map(uniform, material='ReS2', window=8, progress=False)
    with pytest.raises(VdwInputError, match='2H-MoS2'): slip_map(uniform, 'vdwnb/weights/ReS2_slip.pt', material='MoS2', progress=False)
    with pytest.raises(VdwInputError, match='Re4 diamonds'): motif_bonds(uniform, 'MoS2', [(0, 0)])
    with pytest.raises(VdwInputError, match='constant'): fft_twist(np.zeros((64, 64)), 'MoS2')
    noise = np.random.default_rng(0).normal(size=(128, 128))
    with pytest.raises(VdwInputError, match='lattice'): fft_twist(noise, 'MoS2')

def test_uniform_image_is_one_domain(uniform):
    dom = find_domains(slip_map(uniform, material='ReS2', flip=False, progress=False))
    assert len(dom.table) == 1 and dom.interfaces == []

def test_real_images_map(tedgen):
    img = load_image(tedgen / 'experimental' / 'res2_bilayer_1.png', material='ReS2')
    smap = slip_map(img, material='ReS2', progress=False)
    assert smap.data.shape[0] == 4 and np.isfinite(smap.data).all()
    assert np.median(smap.data[2]) < 0.2                                   # σ of a real window, Å
    mm = motif_metrics(img, 'ReS2', [(1.19, 0.58)], window=15, stride=10)
    assert len(mm) and mm.diamond_bonds.min() > 0
