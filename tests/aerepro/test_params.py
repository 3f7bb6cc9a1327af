"""Reading params.yaml: problems prefixed with the file, and a file that passed is not checked again."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import aerepro.params
from aerepro.params import ParamsError, checks_fingerprint, load_params
from tests.aerepro.test_validation import REAL, ROOT, edited


def test_load_params_lists_problems_prefixed_with_the_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(edited(train__n_jobs=0, tracking__experiment="")))
    with pytest.raises(ParamsError) as info:
        load_params(path)
    assert str(info.value).splitlines() == [
        f"{path}: train.n_jobs: expected an integer other than 0 or null, got 0",
        f"{path}: tracking.experiment: expected a non-empty string, got ''",
    ]
    assert load_params(path, validate=False)["train"]["n_jobs"] == 0


def _counting_checks(monkeypatch):
    """Count the calls of the checks ``load_params`` imports when it runs them."""
    import aerepro.validation

    calls = []
    real = aerepro.validation.validate_params
    monkeypatch.setattr(aerepro.validation, "validate_params", lambda params: calls.append(1) or real(params))
    return calls


def test_a_file_that_passed_is_read_again_without_the_checks(tmp_path, monkeypatch):
    monkeypatch.setenv("AEREPRO_CACHE_DIR", str(tmp_path / "cache"))
    calls = _counting_checks(monkeypatch)
    path = tmp_path / "params.yaml"
    text = (ROOT / "params.yaml").read_text()
    path.write_text(text)
    assert load_params(path) == REAL and len(calls) == 1
    assert load_params(path) == REAL and len(calls) == 1
    assert len(list((tmp_path / "cache" / "valid-params").iterdir())) == 1
    path.write_text(text + "# another text, checked anew\n")
    assert load_params(path) == REAL and len(calls) == 2


def test_a_file_with_problems_is_never_remembered(tmp_path, monkeypatch):
    monkeypatch.setenv("AEREPRO_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(edited(train__n_jobs=0)))
    for _ in range(2):
        with pytest.raises(ParamsError, match="train.n_jobs"):
            load_params(path)
    assert not (tmp_path / "cache" / "valid-params").exists()


def test_changed_code_checks_a_file_anew(tmp_path, monkeypatch):
    package = tmp_path / "src" / "checkedpkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("RULE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path / "src"))
    before = checks_fingerprint(("checkedpkg",))
    assert checks_fingerprint(("checkedpkg",)) == before
    (package / "__init__.py").write_text("RULE = 2\n")
    assert checks_fingerprint(("checkedpkg",)) != before


def test_a_file_is_checked_anew_under_other_code(tmp_path, monkeypatch):
    monkeypatch.setenv("AEREPRO_CACHE_DIR", str(tmp_path / "cache"))
    calls = _counting_checks(monkeypatch)
    assert load_params(ROOT / "params.yaml") == REAL and len(calls) == 1
    monkeypatch.setattr(aerepro.params, "checks_fingerprint", lambda: "other code")
    assert load_params(ROOT / "params.yaml") == REAL and len(calls) == 2
    assert load_params(ROOT / "params.yaml") == REAL and len(calls) == 2


def test_an_unwritable_cache_only_costs_the_checks(tmp_path, monkeypatch):
    blocker = tmp_path / "a file"
    blocker.write_text("")
    monkeypatch.setenv("AEREPRO_CACHE_DIR", str(blocker))  # a folder cannot be made under a file
    calls = _counting_checks(monkeypatch)
    assert load_params(ROOT / "params.yaml") == REAL
    assert load_params(ROOT / "params.yaml") == REAL and len(calls) == 2


def test_a_cache_folder_that_cannot_be_searched_only_costs_the_checks(tmp_path, monkeypatch):
    monkeypatch.setenv("AEREPRO_CACHE_DIR", str(tmp_path / "cache"))
    calls = _counting_checks(monkeypatch)
    assert load_params(ROOT / "params.yaml") == REAL

    def refused(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "exists", refused)  # as for another user's folder (the tests may run as root)
    assert load_params(ROOT / "params.yaml") == REAL and len(calls) == 2


def test_no_home_folder_only_costs_the_checks(monkeypatch):
    for name in ("AEREPRO_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)

    def homeless():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", homeless)
    calls = _counting_checks(monkeypatch)
    assert load_params(ROOT / "params.yaml") == REAL
    assert load_params(ROOT / "params.yaml") == REAL and len(calls) == 2


def test_stages_that_train_nothing_skip_scikit_learn_once_the_file_passed(tmp_path):
    """Their modules import no scikit-learn; the checks, which need it, ran in an earlier stage."""
    code = (
        "import sys\n"
        "import aerepro.blog.analyse, aerepro.blog.report, aerepro.datasets, aerepro.family.report, "
        "aerepro.symmetry.report\n"
        "from aerepro.params import load_params\n"
        f"load_params({str(ROOT / 'params.yaml')!r})\n"
        "print(sorted(m for m in sys.modules if m.partition('.')[0] == 'sklearn')[:3])\n"
    )
    env = {**os.environ, "AEREPRO_CACHE_DIR": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
            for _ in range(2)]
    assert runs[0].stdout.strip() != "[]"  # the first one checked the file
    assert runs[1].stdout.strip() == "[]"


def test_repeated_yaml_key_is_an_error(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text((ROOT / "params.yaml").read_text().replace("  n_jobs: 2", "  n_jobs: 2\n  n_jobs: 1"))
    with pytest.raises(ParamsError, match=r"line \d+, column 3\): repeated key 'n_jobs'"):
        load_params(path)
