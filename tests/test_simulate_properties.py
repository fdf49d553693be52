"Properties of the fast simulator that hold for any input: linearity, translation, batch independence."
import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st
from vdwnb.optics import Microscope
from vdwnb.simulate import IncoherentSimulator, check_memory
from vdwnb.structures import VdwInputError, build_stack

SIM = IncoherentSimulator(pixel_size=0.1, device='cpu')

def _atoms(rng, n=6):
    return rng.uniform(2, 10, (n, 2)), rng.choice([16, 34, 42, 75], n)

@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.integers(-5, 5), st.integers(-5, 5))
def test_whole_pixel_shift_shifts_the_image(seed, dx, dy):
    p, z = _atoms(np.random.default_rng(seed))
    a, b = SIM.render([p, p + 0.1 * np.array([dx, dy])], [z, z], (120, 120))
    sl = slice(10, 110)
    np.testing.assert_allclose(b[sl, sl].numpy(), torch.roll(a, (dy, dx), (0, 1))[sl, sl].numpy(), atol=1e-6 * float(a.max()))

@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10_000))
def test_images_add(seed):
    rng = np.random.default_rng(seed)
    (p1, z1), (p2, z2) = _atoms(rng), _atoms(rng)
    a, b, ab = SIM.render([p1, p2, np.r_[p1, p2]], [z1, z2, np.r_[z1, z2]], (80, 80))
    np.testing.assert_allclose((a + b).numpy(), ab.numpy(), atol=1e-5 * float(ab.max()))

def test_image_does_not_depend_on_its_batch():
    rng = np.random.default_rng(1)
    p, z = _atoms(rng)
    alone = SIM.render([p], [z], (64, 64), pixel_sizes=[0.1], microscopes=[Microscope(defocus=20)])[0]
    others = SIM.render([p, p * 0.9, p], [z, z, z], (64, 64), pixel_sizes=[0.1, 0.104, 0.096],
                        microscopes=[Microscope(defocus=20), Microscope(), Microscope(source_size=1.0)])[0]
    np.testing.assert_allclose(alone.numpy(), others.numpy(), atol=1e-6 * float(alone.max()))

def test_bad_input_errors():
    with pytest.raises(VdwInputError, match='outer angle'): Microscope(adf_inner=100, adf_outer=50)
    with pytest.raises(VdwInputError, match='semiangle'): Microscope(semiangle=-1)
    with pytest.raises(VdwInputError, match='positions but'): SIM.render([np.zeros((3, 2))], [np.ones(2)], (8, 8))
    with pytest.raises(VdwInputError, match='shape'): SIM.render([np.zeros((1, 2))], [np.ones(1)], (0, 8))
    with pytest.raises(VdwInputError, match='GiB'):
        IncoherentSimulator(pixel_size=0.002, device='cpu')(build_stack('MoS2', fov=(200, 200)))
