"""Property tests (hypothesis) of the slip and twist conventions of DESIGN.md §2."""
import math
import numpy as np
from hypothesis import given, settings, strategies as st
from vdwnb.structures import (materials, monolayer_point_ops, get_material, slip_group, stack_columns, match_translation, canonical_slip,
                              slip_distance, fundamental_domain, to_cartesian, to_fractional, canonical_twist,
                              twist_distance, twist_period, build_stack)

MATS = materials()
frac = st.floats(-1.5, 1.5, allow_nan=False)
slips = st.tuples(st.sampled_from(MATS), frac, frac)

def equivalent(m, f, i, n):
    """An equivalent slip ±g·s + n (fractional) and the image transform that goes with it.

    g is a point operation of the projected monolayer: the image of g·s is g applied to the image of s;
    the exchange of the layers (the sign) only translates the image, so the image transform stays g."""
    ops = monolayer_point_ops(m)
    g, sign = ops[i % len(ops)], (1 if (i // len(ops)) % 2 == 0 else -1)
    return g, sign * (g @ np.asarray(f)) + np.asarray(n)

@settings(max_examples=60, deadline=None)
@given(slips, st.integers(0, 11), st.tuples(st.integers(-2, 2), st.integers(-2, 2)))
def test_equivalent_slips_give_the_same_projected_columns(case, i, n):
    m, u, v = case
    g, f2 = equivalent(m, (u, v), i, n)
    sym, uv = stack_columns(m, [to_cartesian(m, (u, v))])
    transformed = (sym, (uv @ g.T) % 1)                     # the rigid transform g applied to the image of s
    assert match_translation(m, transformed, stack_columns(m, [to_cartesian(m, f2)])) is not None

@settings(max_examples=40, deadline=None)
@given(slips, st.floats(0.05, 0.3), st.floats(0, 2 * math.pi))
def test_inequivalent_slips_differ(case, r, phi):
    "The column test is not vacuous: a slip moved off its orbit no longer matches under any group element."
    m, u, v = case
    s = to_cartesian(m, (u, v))
    s2 = s + r * np.array([math.cos(phi), math.sin(phi)])
    if slip_distance(m, s, s2) < 0.05: return
    sym, uv = stack_columns(m, [s])
    for g in slip_group(m):
        assert match_translation(m, (sym, (uv @ g.T) % 1), stack_columns(m, [s2]), tol=0.02) is None

@settings(max_examples=80, deadline=None)
@given(slips, st.integers(0, 11), st.tuples(st.integers(-2, 2), st.integers(-2, 2)))
def test_canonical_is_idempotent_and_invariant(case, i, n):
    m, u, v = case
    s = to_cartesian(m, (u, v))
    c = canonical_slip(m, s)
    assert np.allclose(canonical_slip(m, c), c, atol=1e-6)
    assert slip_distance(m, s, c) < 1e-6
    _, f2 = equivalent(m, (u, v), i, n)
    assert np.allclose(canonical_slip(m, to_cartesian(m, f2)), c, atol=1e-6)

def _inside(poly, p, tol=1e-6):
    edges = np.roll(poly, -1, 0) - poly
    cross = edges[:, 0] * (p[1] - poly[:, 1]) - edges[:, 1] * (p[0] - poly[:, 0])
    return (cross >= -tol * np.linalg.norm(edges, axis=1)).all()

@settings(max_examples=80, deadline=None)
@given(slips)
def test_canonical_lies_in_the_fundamental_domain(case):
    m, u, v = case
    assert _inside(fundamental_domain(m), canonical_slip(m, to_cartesian(m, (u, v))))

@settings(max_examples=60, deadline=None)
@given(st.sampled_from(MATS), st.tuples(frac, frac), st.tuples(frac, frac), st.tuples(frac, frac))
def test_slip_distance_is_a_metric(m, a, b, c):
    a, b, c = (to_cartesian(m, x) for x in (a, b, c))
    dab, dba = slip_distance(m, a, b), slip_distance(m, b, a)
    assert slip_distance(m, a, a) < 1e-9
    assert abs(dab - dba) < 1e-9
    assert slip_distance(m, a, c) <= dab + slip_distance(m, b, c) + 1e-9
    assert abs(slip_distance(m, canonical_slip(m, a), canonical_slip(m, b)) - dab) < 1e-6

@settings(max_examples=80, deadline=None)
@given(st.sampled_from(MATS), st.floats(-720, 720), st.floats(-720, 720), st.integers(-3, 3), st.booleans())
def test_twist_equivalence(m, t1, t2, k, flip):
    p = twist_period(m)
    c = canonical_twist(m, t1)
    assert 0 <= c <= p / 2 + 1e-9
    assert abs(canonical_twist(m, c) - c) < 1e-9
    assert twist_distance(m, t1, (-t1 if flip else t1) + k * p) < 1e-6
    assert abs(twist_distance(m, t1, t2) - twist_distance(m, t2, t1)) < 1e-9

def test_hexagonal_twist_domain():
    "2H: θ ~ θ + 120° ~ −θ, domain [0°, 60°], and θ and 60° − θ are different structures."
    assert twist_period('MoS2') == 120
    assert twist_distance('MoS2', 10, 50) == 40

def test_build_stack_columns_match_stack_columns():
    "Atoms of build_stack, reduced modulo the lattice, are the projected columns of stack_columns."
    for m in MATS:
        s = to_cartesian(m, (0.23, 0.61))
        atoms = build_stack(m, slips=[s], fov=(25, 25))
        f = to_fractional(m, atoms.positions[:, :2]) % 1
        got = match_translation(m, (np.array(atoms.get_chemical_symbols()), f), stack_columns(m, [s]))
        assert got is not None and np.allclose(got, 0, atol=1e-6), m
