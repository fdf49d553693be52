"""Fault injection for vdwnb.io.load_image: every bad input gives one VdwInputError naming the file and the fix."""
import numpy as np
import pytest
import imageio.v3 as iio
import tifffile
from vdwnb.structures import VdwInputError, build_stack, to_cartesian
from vdwnb.io import load_image, column_image, pixel_size_of, resample, auto_calibrate

@pytest.fixture(scope='module')
def lattice_png(tmp_path_factory):
    img = column_image(build_stack('MoS2', slips=[to_cartesian('MoS2', (1/3, 2/3))], fov=(50, 50)), 0.1)
    p = tmp_path_factory.mktemp('img')/'mos2.png'
    iio.imwrite(p, (255 * img / img.max()).astype(np.uint8))
    return p

def fails(path, match, **kw):
    with pytest.raises(VdwInputError, match=match) as e:
        load_image(path, **kw)
    assert str(path) in str(e.value) or path.name in str(e.value)
    assert e.value.__cause__ is None and e.value.__suppress_context__ or e.value.__context__ is None
    return e

def test_missing_file(tmp_path): fails(tmp_path/'nope.dm4', 'no such file')

def test_truncated_png(tmp_path, lattice_png):
    bad = tmp_path/'cut.png'; bad.write_bytes(lattice_png.read_bytes()[:200])
    fails(bad, 'could not be read', pixel_size=0.1)

@pytest.mark.parametrize('ext', ['.dm3', '.dm4', '.emd', '.ser', '.tif'])
def test_corrupt_microscope_file(tmp_path, ext):
    bad = tmp_path/f'junk{ext}'; bad.write_bytes(b'\x00garbage' * 50)
    fails(bad, 'could not be read')

def test_unknown_format(tmp_path):
    f = tmp_path/'image.xyz'; f.write_text('x'); fails(f, 'unknown format')

def test_stack_needs_a_frame(tmp_path):
    f = tmp_path/'stack.tif'; tifffile.imwrite(f, np.random.default_rng(0).random((5, 64, 64)).astype(np.float32))
    fails(f, r'frame=i', pixel_size=0.1)
    assert load_image(f, pixel_size=0.1, frame=2).data.shape == (64, 64)

def test_nan_and_inf(tmp_path):
    a = np.random.default_rng(0).random((64, 64)).astype(np.float32); a[3, 4] = np.nan; a[5, 6] = np.inf
    f = tmp_path/'nan.tif'; tifffile.imwrite(f, a); fails(f, 'NaN', pixel_size=0.1)

def test_constant_image(tmp_path):
    f = tmp_path/'flat.png'; iio.imwrite(f, np.full((64, 64), 7, np.uint8)); fails(f, 'constant', pixel_size=0.1)

def test_tiny_image(tmp_path):
    f = tmp_path/'tiny.png'; iio.imwrite(f, np.random.default_rng(0).integers(0, 255, (8, 8), dtype=np.uint8))
    fails(f, 'too small', pixel_size=0.1)

def test_field_too_small(lattice_png): fails(lattice_png, 'field of view', pixel_size=0.1, min_field=100)

def test_png_without_scale_or_material(lattice_png): fails(lattice_png, 'pixel_size=')

def test_badly_distorted_lattice(tmp_path, lattice_png):
    "A 6 % sheared scan (or a grossly wrong material) is refused rather than given a wrong scale."
    from scipy import ndimage
    sheared = ndimage.affine_transform(iio.imread(lattice_png).astype(float), [[1, 0.06], [0, 1]], order=1, mode='grid-wrap')
    f = tmp_path/'drift.png'; iio.imwrite(f, sheared.astype(np.uint8))
    fails(f, 'distortion', material='MoS2')

def test_unknown_material(lattice_png): fails(lattice_png, 'Known materials', material='graphene')

def test_noise_is_not_a_lattice(tmp_path):
    f = tmp_path/'noise.png'; iio.imwrite(f, np.random.default_rng(1).integers(0, 255, (256, 256), dtype=np.uint8))
    fails(f, 'could not find the', material='MoS2')

def test_rgb_png_and_calibration(lattice_png, tmp_path):
    g = iio.imread(lattice_png); f = tmp_path/'rgb.png'; iio.imwrite(f, np.stack([g] * 3, -1))
    s = load_image(f, material='MoS2')
    assert s.data.ndim == 2 and s.data.dtype == np.float32
    assert abs(pixel_size_of(s) / 0.1 - 1) < 0.01
    assert s.axes_manager.signal_axes[0].units == 'Å'

@pytest.mark.parametrize('ext', ['tif', 'emd', 'hspy'])
@pytest.mark.parametrize('units,scale', [('nm', 0.01), ('pm', 10.0), ('Å', 0.1)])
def test_calibrated_files_are_converted_to_angstrom(tmp_path, lattice_png, ext, units, scale):
    import hyperspy.api as hs
    s = hs.signals.Signal2D(iio.imread(lattice_png).astype(np.float32))
    for ax in s.axes_manager.signal_axes: ax.scale, ax.units = scale, units
    f = tmp_path/f'cal.{ext}'; s.save(f)
    loaded = load_image(f)
    assert abs(pixel_size_of(loaded) - 0.1) < 1e-6 and loaded.axes_manager.signal_axes[1].units == 'Å'
    r = resample(loaded, 0.2)
    assert abs(pixel_size_of(r) - 0.2) < 1e-12 and r.data.shape == (250, 250)

def test_uncalibrated_tif_needs_a_scale(tmp_path, lattice_png):
    f = tmp_path/'plain.tif'; tifffile.imwrite(f, iio.imread(lattice_png))
    fails(f, 'pixel_size=')
    assert abs(pixel_size_of(load_image(f, material='MoS2')) / 0.1 - 1) < 0.01

def _material(name): return 'ReSe2' if 'rese2' in name else 'MoS2' if 'mos2' in name else 'ReS2'

def test_reference_experimental_images_calibrate(tedgen):
    expected = {'res2_bilayer_trainB.png': 0.038, 'res2_bilayer_1.png': 0.0445, 'rese2_bilayer.png': 0.039,
                'mos2_twisted_probably_generated.png': 0.028}   # ±2 % estimates from the data README
    for f in sorted((tedgen/'experimental').glob('*.png')):
        c = load_image(f, material=_material(f.name)).metadata.vdwnb.calibration
        assert abs(c.pixel_size / expected[f.name] - 1) < 0.03, (f.name, c.pixel_size)

def test_reference_simulations_calibrate_within_1pct(tedgen):
    files = sorted((tedgen/'simulated').glob('*.png'))
    assert files
    for f in files[::5]:     # every 5th here; bench/bench_calibration.py runs all 36
        c = load_image(f, material='ReS2').metadata.vdwnb.calibration
        assert abs(c.pixel_size / (34.9 / 1024) - 1) < 0.01, (f.name, c.pixel_size)


# fetch_example: the download path, through file:// URLs (no network here)
def _fake_remote(tmp_path, content):
    src = tmp_path / 'remote' / 'one.png'; src.parent.mkdir(parents=True); src.write_bytes(content)
    return src.as_uri()

def test_fetch_example_downloads_and_checks(tedgen, tmp_path, monkeypatch):
    import vdwnb.examples as io
    real = (tedgen / io.EXAMPLES['res2_bilayer_1']['path']).read_bytes()
    monkeypatch.setitem(io.EXAMPLES, 'res2_bilayer_1', dict(io.EXAMPLES['res2_bilayer_1'], url=_fake_remote(tmp_path, real)))
    monkeypatch.setenv('VDWNB_EXAMPLES', str(tmp_path / 'cache'))
    p = io.fetch_example('res2_bilayer_1')
    assert p == tmp_path / 'cache' / 'experimental' / 'res2_bilayer_1.png' and p.read_bytes() == real
    assert io.fetch_example('res2_bilayer_1') == p                   # second call: from the cache

def test_fetch_example_rejects_a_changed_file(tmp_path, monkeypatch):
    import vdwnb.examples as io
    monkeypatch.setitem(io.EXAMPLES, 'rese2_bilayer', dict(io.EXAMPLES['rese2_bilayer'], url=_fake_remote(tmp_path, b'changed')))
    with pytest.raises(VdwInputError, match='sha256 differs'): io.fetch_example('rese2_bilayer', tmp_path / 'cache')
    assert not any((tmp_path / 'cache').rglob('*.png'))              # nothing half-kept

def test_fetch_example_offline_says_what_to_do(tmp_path, monkeypatch):
    import vdwnb.examples as io
    monkeypatch.setitem(io.EXAMPLES, 'mos2_twisted', dict(io.EXAMPLES['mos2_twisted'], url=(tmp_path / 'absent.png').as_uri()))
    with pytest.raises(VdwInputError, match='could not download .*Save that file by hand'): io.fetch_example('mos2_twisted', tmp_path / 'c')
    assert not any((tmp_path / 'c').rglob('*.png'))
