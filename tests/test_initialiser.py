"""The integer PRNG + Box-Muller initialiser gives independent standard normals (checked on 40,000 draws)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import DbtProject, assert_params_close
from reference_mlp import init_params


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


@pytest.mark.parametrize("scale", ["he", "xavier", 0.5])
def test_sql_initialiser_equals_python(project: DbtProject, scale: str | float) -> None:
    result = project.dbt(
        "run", "--select", "initial_params", vars={"nn_hidden": [5, 4], "nn_init_scale": scale, "nn_seed": 11}
    )
    assert result.success, result.exception
    rows = project.query("select layer, param, i, j, value from initial_params")
    assert_params_close(rows, init_params(11, [2, 5, 4, 3], scale), rtol=1e-15, what="initial_params")
