"""aerepro.yamldata: the fast loader reads the project's data files as PyYAML's safe loader does."""

from pathlib import Path

import pytest
import yaml

from aerepro.yamldata import load_yaml

ROOT = Path(__file__).resolve().parents[2]
DATA = sorted([*ROOT.glob("sources/*.yaml"), *ROOT.glob("crosscheck/*.yaml")])


def test_there_are_data_files_to_compare():
    assert len(DATA) >= 4


@pytest.mark.parametrize("path", DATA, ids=lambda p: p.name)
def test_a_data_file_loads_as_the_safe_loader_loads_it(path):
    assert load_yaml(path) == yaml.safe_load(path.read_text())


def test_only_safe_tags_are_constructed(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text("!!python/object/apply:os.system ['true']\n")
    with pytest.raises(yaml.constructor.ConstructorError):
        load_yaml(path)
