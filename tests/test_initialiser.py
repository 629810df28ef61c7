"""The integer PRNG + Box-Muller initialiser gives independent standard normals (checked on 40,000 draws)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import DbtProject, copy_project, scaffold_like_spiral
from reference_mlp import init_params

from sqlnn import scaffold


def test_weights_look_like_independent_standard_normals() -> None:
    w = init_params(0, [200, 200], 1.0)[(1, "W")]
    n = w.size
    assert abs(w.mean()) < 4 / math.sqrt(n)
    assert abs(w.std() - 1) < 0.02
    # Kolmogorov-Smirnov distance to N(0, 1), below the 1% critical value.
    x = np.sort(w.ravel())
    cdf = 0.5 * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))
    assert np.max(np.abs(cdf - np.arange(1, n + 1) / n)) < 1.63 / math.sqrt(n)
    # Neighbouring keys (i, i+1) and (j, j+1) are uncorrelated: a plain Lehmer step would fail this.
    assert abs(np.corrcoef(w[:-1].ravel(), w[1:].ravel())[0, 1]) < 0.02
    assert abs(np.corrcoef(w[:, :-1].ravel(), w[:, 1:].ravel())[0, 1]) < 0.02


def test_seeds_and_layers_give_different_weights() -> None:
    a = init_params(0, [50, 50, 50], 1.0)
    b = init_params(1, [50, 50, 50], 1.0)
    assert abs(np.corrcoef(a[(1, "W")].ravel(), b[(1, "W")].ravel())[0, 1]) < 0.1
    assert abs(np.corrcoef(a[(1, "W")].ravel(), a[(2, "W")].ravel())[0, 1]) < 0.1


def test_scales() -> None:
    base = init_params(3, [4, 5], 1.0)[(1, "W")]
    np.testing.assert_array_equal(init_params(3, [4, 5], "he")[(1, "W")], base * (2.0 / 4) ** 0.5)
    np.testing.assert_array_equal(init_params(3, [4, 5], "xavier")[(1, "W")], base * (2.0 / 9) ** 0.5)


SCALES = {"init_he": "he", "init_xavier": "xavier", "init_half": 0.5}
SEED, HIDDEN = 11, [5, 4]


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> DbtProject:
    """Three networks that differ in init_scale, their initial_params (and what sizes them: the data's
    vocabulary and classes) built in one `dbt build`."""
    project = copy_project(tmp_path_factory.mktemp("init") / "project")
    for name, scale in SCALES.items():
        scaffold_like_spiral(project, name, 1, hidden=HIDDEN, init_scale=scale, seed=SEED, init_params=None)
    # the spiral's 45 epochs: dbt would parse them for nothing
    project.remove_network("spiral")
    scaffold.remove_settings(project.path, "spiral")
    selected = [f"+{name}_initial_params" for name in SCALES]
    result = project.dbt("build", "--select", *selected, "--exclude-resource-type", "test")
    assert result.success, result.exception
    return project


@pytest.mark.parametrize("network", SCALES)
def test_sql_initialiser_equals_python_bit_for_bit(initialised: DbtProject, network: str) -> None:
    rows = initialised.query(f"select layer, param, i, j, value from {network}_initial_params")
    expected = init_params(SEED, [2, *HIDDEN, 3], SCALES[network])
    assert len(rows) == sum(a.size for a in expected.values())
    for layer, param, i, j, value in rows:
        assert value == (expected[(layer, param)][i, j] if param == "W" else expected[(layer, param)][j])
