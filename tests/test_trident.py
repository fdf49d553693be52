"Trident generator: gradient reach per loss term, interrupted training, damaged files, bad inputs."
from dataclasses import replace
import numpy as np
import pytest
import torch
import vdwnb.trident as tri
from vdwnb.data import DataSpec
from vdwnb.structures import VdwInputError
from vdwnb.trident import (LOSS_TERMS, TERM_MODULES, TridentConfig, TridentNet, TridentGenerator, gradient_reach,
                           train_trident, trident_losses, discriminator_loss)

TINY = TridentConfig.tiny(steps=4, checkpoint_every=2)
SIM = [DataSpec('MoS2', 2, size=32)]
EXP = [np.random.default_rng(0).normal(size=(40, 56)).astype(np.float32)]

@pytest.fixture(scope='module')
def losses():
    net = TridentNet(TridentConfig.tiny(n_res=2))
    g = torch.Generator().manual_seed(0)
    yy, xx = torch.meshgrid(torch.arange(32.), torch.arange(32.), indexing='ij')
    xa = (torch.cos(xx * 0.8) + torch.cos(yy * 0.8 + xx * 0.4))[None, None].repeat(2, 1, 1, 1)
    return net, trident_losses(net, xa, torch.randn(2, 1, 32, 32, generator=g), g)

@pytest.mark.parametrize('term', LOSS_TERMS)
def test_term_reaches_its_modules(losses, term):
    net, L = losses
    reach = gradient_reach(net, L[term])
    assert all(reach[m] > 0 for m in TERM_MODULES[term]), {m: reach[m] for m in TERM_MODULES[term]}
    if term not in ('gan', 'content'): assert reach['dis_a'] == reach['dis_b'] == reach['dis_c'] == 0

def test_discriminator_loss_trains_only_discriminators(losses):
    net, L = losses
    x = torch.randn(2, 1, 32, 32)
    d = discriminator_loss(net, x, x, dict(fake_a=L['fake_b'].detach(), fake_b=L['fake_b'].detach(),
                                           ca=net.enc_c_a(x).detach(), cb=net.enc_c_b(x).detach()))
    reach = gradient_reach(net, d)
    assert min(reach['dis_a'], reach['dis_b'], reach['dis_c']) > 0
    assert all(reach[m] == 0 for m in ('gen_a', 'gen_b', 'enc_c_a', 'enc_c_b', 'enc_a_a', 'enc_a_b'))

def test_interrupted_training_resumes_to_the_same_generator(tmp_path, monkeypatch):
    ref = train_trident(SIM, EXP, TINY, tmp_path / 'ref', seed=2, progress=False)
    real, calls = tri.trident_losses, {'n': 0}
    def killed(*a, **k):
        calls['n'] += 1
        if calls['n'] == 4: raise KeyboardInterrupt('killed at step 4')
        return real(*a, **k)
    monkeypatch.setattr(tri, 'trident_losses', killed)
    with pytest.raises(KeyboardInterrupt): train_trident(SIM, EXP, TINY, tmp_path / 'run', seed=2, progress=False)
    files = sorted(p.name for p in (tmp_path / 'run').iterdir())
    assert files == ['checkpoint.pt', 'losses.csv', 'losses.png'], files     # whole files only, no generator yet
    assert torch.load(tmp_path / 'run' / 'checkpoint.pt', weights_only=False)['step'] == 2
    monkeypatch.setattr(tri, 'trident_losses', real)
    out = train_trident(SIM, EXP, TINY, tmp_path / 'run', seed=2, progress=False)
    x = torch.randn(2, 32, 40)
    torch.testing.assert_close(out.translate(x, seed=3), ref.translate(x, seed=3), rtol=1e-4, atol=1e-4)

def test_damaged_files_are_named(tmp_path):
    train_trident(SIM, EXP, TINY, tmp_path / 'r', seed=0, progress=False)
    for name in ('checkpoint.pt', 'generator.pt'):
        f = tmp_path / 'r' / name
        f.write_bytes(f.read_bytes()[:200])
    with pytest.raises(VdwInputError, match='generator.pt: not a readable Trident generator'): TridentGenerator.load(tmp_path / 'r')
    with pytest.raises(VdwInputError, match='checkpoint.pt: not a readable Trident checkpoint'):
        train_trident(SIM, EXP, replace(TINY, steps=6), tmp_path / 'r', progress=False)

def test_bad_inputs(tmp_path):
    with pytest.raises(VdwInputError, match='smaller than the 32 px crop'): train_trident(SIM, [np.zeros((20, 20))], TINY, tmp_path, progress=False)
    with pytest.raises(VdwInputError, match='at least one experimental'): train_trident(SIM, [], TINY, tmp_path, progress=False)
    with pytest.raises(VdwInputError, match='sim_source'): train_trident(['x.png'], EXP, TINY, tmp_path, progress=False)
    tg = train_trident(SIM, EXP, TINY, tmp_path / 'g', progress=False)
    with pytest.raises(VdwInputError, match='style'): tg.translate(torch.zeros(1, 32, 32), style=torch.zeros(5))
    with pytest.raises(VdwInputError, match='NaN'): tg.translate(np.full((32, 32), np.nan))

def test_tedgen_experiments_calibrate(tedgen):
    train, held = tri.tedgen_experiments(tedgen / 'experimental')
    # README pixel sizes: 0.038, 0.0445, 0.039 Å/px → fields 40.4, 34.5, 39.9 Å → ≈ 404, 345, 399 px at 0.1 Å/px
    widths = [t.shape[1] for t in train]
    np.testing.assert_allclose(widths, [404, 345, 399], rtol=0.03)
    assert all(h.shape[0] / (h.shape[0] + t.shape[0]) == pytest.approx(0.35, abs=0.01) for t, h in zip(train, held))
    assert all(abs(a.mean()) < 0.3 and a.std() == pytest.approx(1, abs=0.3) for a in train)
