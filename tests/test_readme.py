"""The README's configuration table is the library defaults, as `_default_settings` writes them (the one place)."""

from __future__ import annotations

import re

import yaml
from conftest import REPO

SETTINGS_MACRO = REPO / "macros" / "settings" / "_settings.sql"
REQUIRED = {"network", "data", "features", "label"}


def _defaults() -> dict:
    """The dict literal of `_default_settings`, read as YAML (Jinja's none/true/false are YAML's)."""
    body = SETTINGS_MACRO.read_text().split("{% macro _default_settings() %}")[1].split("{% endmacro %}")[0]
    entries = re.findall(r"'(\w+)': (.+?),?\n", body)
    assert len(entries) > 20, "could not read _default_settings"
    return {key: yaml.safe_load(value.replace("none", "null")) for key, value in entries}


def _readme_table() -> dict[str, str]:
    text = (REPO / "README.md").read_text().split("<!-- configuration table")[1]
    rows = re.findall(r"^\| `(\w+)` \| (.+?) \|", text, flags=re.M)
    return dict(rows)


def test_readme_lists_every_setting_with_its_default() -> None:
    defaults, table = _defaults(), _readme_table()
    assert set(table) == set(defaults) | REQUIRED
    for key in REQUIRED:
        assert table[key] == "(required)", key
    for key, value in defaults.items():
        shown = table[key].strip("`")
        read = float(shown) if isinstance(value, float) else yaml.safe_load(shown)  # YAML 1.1 reads 1e-08 as text
        assert read == value, f"README says {key} = {shown}, _default_settings says {value!r}"
