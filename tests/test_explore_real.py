"""The explorers on the four real images of the paper's repository, with default arguments: the lattice is found,
the compared field is about 30 Å whatever the sampling, and the panels carry scale bars and labelled colour bars.
(Update latency is measured by bench/explore.py, not asserted here.)"""
import warnings
import pytest

REAL = {'res2_bilayer_1': 'StackExplorer', 'res2_bilayer_trainB': 'StackExplorer', 'rese2_bilayer': 'StackExplorer',
        'mos2_twisted': 'MoireExplorer'}

@pytest.mark.parametrize('name', list(REAL))
def test_explorer_on_a_real_image(tedgen, name):
    import vdwnb as vw
    from vdwnb.examples import EXAMPLES
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)
        img = vw.examples.load_example(name, tedgen)
        ex = getattr(vw, REAL[name])(img, EXAMPLES[name]['material'])
    H, W = img.data.shape
    field = min(30.0, H * img.axes_manager[1].scale, W * img.axes_manager[0].scale)
    assert ex.lattice_found, name
    assert abs(ex.shape[0] * ex.p - field) < 0.2, (name, ex.shape, ex.p)
    assert 'lattice not found' not in ex.status.value
    assert len(ex.scale_bars) == 2 and all(t.get_text().endswith('Å') for _, t in ex.scale_bars)
    labels = [ax.get_ylabel() for ax in ex.fig.axes if ax not in ex.axes]        # the colour bars' axes
    assert labels and all(labels), labels
    ex.sliders['twist' if REAL[name] == 'MoireExplorer' else 'Da'].value = 1.0
    assert ex.score is not None and len(ex.view.value) > 1000                     # it updates and draws
