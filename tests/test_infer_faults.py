"""Bad input to `propose` / `load_model`: one clear error that names the file and the fix, never a deep traceback."""
import numpy as np, pytest, torch
from PIL import Image
from vdwnb.structures import VdwInputError
from vdwnb.infer import ModelConfig, train_model, load_model, propose

@pytest.fixture(scope='module')
def tiny_model(tmp_path_factory):
    d = tmp_path_factory.mktemp('model')
    train_model(ModelConfig(size=32, width=4, blocks=(1, 1), batch=4, steps=3, warmup=1, n_val=8, val_every=3), d, seed=0,
                device='cpu', progress=False)
    return d

def lattice_png(path, size=160):
    y, x = np.mgrid[:size, :size]
    a = (np.cos(2 * np.pi * x / 9.0) + np.cos(2 * np.pi * (x / 2 + y * 0.866) / 9.0) + 2) * 60
    Image.fromarray(a.astype(np.uint8)).save(path)
    return path

def test_uncalibrated_png_asks_for_pixel_size(tiny_model, tmp_path):
    png = lattice_png(tmp_path / 'scan_0001.png')
    with pytest.raises(VdwInputError, match=r'scan_0001\.png.*pixel_size'): propose(png, tiny_model)
    assert propose(png, tiny_model, pixel_size=0.1, tta=2).value.shape == (1, 2)      # the fix works

def test_corrupt_weights_name_the_file(tmp_path):
    bad = tmp_path / 'ReS2_slip.pt'; bad.write_bytes(b'\x80\x02 truncated')
    with pytest.raises(VdwInputError, match='ReS2_slip.pt'): load_model(bad)
    with pytest.raises(VdwInputError, match='ReS2_slip.pt'): propose(np.zeros((64, 64)), bad, pixel_size=0.1)

def test_weights_of_another_kind(tmp_path):
    other = tmp_path / 'other.pt'; torch.save({'state_dict': {}}, other)
    with pytest.raises(VdwInputError, match='not a vdwnb model'): load_model(other)

def test_wrong_material_and_tiny_image(tiny_model, tmp_path):
    a = np.random.default_rng(0).normal(size=(96, 96)).astype(np.float32)
    with pytest.raises(VdwInputError, match='2H-MoS2'): propose(a, tiny_model, pixel_size=0.1, material='MoS2')
    with pytest.raises(VdwInputError, match='smaller than the model'): propose(a[:40, :40], tiny_model, pixel_size=0.05)

def test_nan_image_is_refused(tiny_model):
    a = np.full((96, 96), np.nan, np.float32)
    with pytest.raises(VdwInputError): propose(a, tiny_model, pixel_size=0.1)

def test_unlike_image_gets_an_ood_warning(tiny_model):
    noise = 5 * np.random.default_rng(1).normal(size=(128, 128)).astype(np.float32)
    r = propose(noise, tiny_model, pixel_size=0.1, tta=4)
    assert r.ood > r.ood_threshold and any('OOD' in w for w in r.warnings)
