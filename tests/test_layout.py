"""The house's layout: `ae` is the library alone, and each DVC stage depends on exactly what it imports."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ae", "aerepro")


def module_file(module):
    """The project file of a dotted module name, or None when it is not one of ours."""
    path = ROOT.joinpath(*module.split("."))
    for candidate in (path / "__init__.py", path.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def _package_of(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return parts[:-1] if parts[-1] != "__init__" else parts[:-1]


def imported_modules(path):
    """Dotted names of the project modules ``path`` imports (anywhere in the file, lazily or not)."""
    names = set()
    package = _package_of(path) if path.parts[-2] != "stages" else ()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            if path.name == "__init__.py" and node.level:
                base = list(_package_of(path)[: len(_package_of(path)) - node.level + 1])
            module = ".".join(base + ([node.module] if node.module else []))
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)  # submodules imported by name
    return {n for n in names if n.split(".")[0] in PACKAGES and module_file(n)}


def import_closure(script):
    """Every project file a stage script runs when imported: its modules, their packages, transitively."""
    seen, todo = set(), [script]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for module in imported_modules(path):
            parts = module.split(".")
            for i in range(1, len(parts) + 1):  # importing a.b.c runs a/__init__ and a/b/__init__ first
                todo.append(module_file(".".join(parts[:i])))
    return {p.relative_to(ROOT).as_posix() for p in seen}


def stage_scripts():
    """``stage name -> (script, listed .py deps)`` of every stage of dvc.yaml."""
    stages = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]
    out = {}
    for name, stage in stages.items():
        body = stage.get("do", stage)
        script = next(word for word in body["cmd"].split() if word.startswith("stages/"))
        out[name] = (script, {d for d in body.get("deps", []) if d.endswith(".py")})
    return out


@pytest.mark.parametrize("stage", sorted(stage_scripts()))
def test_dvc_deps_are_exactly_the_stages_imports(stage):
    script, listed = stage_scripts()[stage]
    closure = import_closure(ROOT / script)
    assert not closure - listed, f"{stage}: dvc.yaml misses {sorted(closure - listed)}"
    assert not listed - closure, f"{stage}: dvc.yaml lists {sorted(listed - closure)}, which it does not import"


def test_no_stage_lists_a_whole_package():
    stages = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]
    for name, stage in stages.items():
        deps = stage.get("do", stage).get("deps", [])
        assert not set(deps) & set(PACKAGES), f"{name} depends on a whole package: {deps}"


def test_dvc_lock_holds_only_the_stages_of_dvc_yaml():
    # DVC keeps the entry of a stage taken out of dvc.yaml; every stage then
    # parses and rewrites that dead weight (the lock is thousands of lines).
    stages = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]
    keys = yaml.safe_load((ROOT / "params.yaml").read_text())["study"]["configurations"]
    names = {f"{n}@{k}" for n, s in stages.items() if "foreach" in s for k in keys}
    names |= {n for n, s in stages.items() if "foreach" not in s}
    locked = set(yaml.safe_load((ROOT / "dvc.lock").read_text())["stages"])
    assert locked <= names, f"dvc.lock holds stages dvc.yaml no longer has: {sorted(locked - names)}"


def test_closure_follows_relative_and_lazy_imports(tmp_path):
    closure = import_closure(ROOT / "stages" / "report.py")
    assert "aerepro/blog/page.py" in closure  # from .page import ... inside aerepro/blog/report.py
    assert "aerepro/markdown.py" in closure  # two levels down
    assert "aerepro/tracking.py" not in closure and "aerepro/blog/train.py" not in closure
    train = import_closure(ROOT / "stages" / "train.py")
    assert "ae/network.py" in train and "aerepro/blog/page.py" not in train and "aerepro/tracking.py" not in train


def test_importing_ae_needs_only_the_numeric_stack_and_changes_nothing():
    # scikit-learn and SciPy set warning filters and environment variables of
    # their own when imported: they are imported first, then ae must add nothing.
    code = """
import os, sys, warnings
for name in ("pandas", "matplotlib", "yaml", "mlflow", "dvc"):
    sys.modules[name] = None  # importing any of them now fails
import numpy as np, joblib, threadpoolctl, sklearn.base, sklearn.utils.validation, sklearn.utils._param_validation
filters, errstate, environ = list(warnings.filters), np.geterr(), dict(os.environ)
import ae
print(" ".join(sorted(m for m in sys.modules if m == "ae" or m.startswith("ae."))))
exported = [getattr(ae, name) for name in ae.__all__]  # imported on first use
assert sorted(dir(ae)) == dir(ae) and set(ae.__all__) <= set(dir(ae))
assert list(warnings.filters) == filters and np.geterr() == errstate and dict(os.environ) == environ
print(" ".join(sorted(m for m in sys.modules if m == "ae" or m.startswith("ae."))))
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    library = "activations corruption estimator initializers losses network optimizers parallel records stopping training".split()
    alone, used = done.stdout.splitlines()
    assert alone.split() == ["ae"]
    assert used.split() == ["ae"] + [f"ae.{m}" for m in library]


def test_ae_imports_nothing_of_the_reproduction():
    for path in (ROOT / "ae").rglob("*.py"):
        text = path.read_text()
        assert "aerepro" not in {n.split(".")[0] for n in imported_modules(path)}, path
        for heavy in ("pandas", "matplotlib", "yaml", "mlflow", "dvc"):
            assert f"import {heavy}" not in text and f"from {heavy}" not in text, (path, heavy)


def _string_constants(path):
    return [node.value for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def _reproduction_files():
    return sorted([*(ROOT / "aerepro").rglob("*.py"), *(ROOT / "stages").glob("*.py")])


def test_each_run_folder_file_name_is_defined_once():
    from aerepro import runs

    names = {getattr(runs, n) for n in runs.__all__ if n.isupper() and isinstance(getattr(runs, n), str)}
    assert {"runs.csv", "codes.csv", "curves.csv", "models.joblib"} <= names
    for path in _reproduction_files():
        if path.name == "runs.py" and path.parent.name == "aerepro":
            continue
        typed = [s for s in _string_constants(path) if s in names]
        assert not typed, f"{path.relative_to(ROOT)} types {typed}: use the names of aerepro.runs"


def test_no_protocol_or_activation_setting_is_named_in_code():
    study = yaml.safe_load((ROOT / "params.yaml").read_text())["study"]
    names = set(study["protocols"]) | set(study["activations"])
    for path in _reproduction_files():
        typed = {s for s in _string_constants(path) if s in names}
        assert not typed, f"{path.relative_to(ROOT)} names {sorted(typed)}: declare the role in params.yaml (report.roles)"


def test_no_reproduction_function_is_longer_than_80_lines():
    for path in _reproduction_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                assert length <= 80, f"{path.relative_to(ROOT)}:{node.lineno} {node.name} is {length} lines"


def test_stage_scripts_are_argparse_and_one_call():
    for path in sorted((ROOT / "stages").glob("*.py")):
        tree = ast.parse(path.read_text())
        main = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "main")
        calls = [n for n in main.body if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)
                 and ast.unparse(n.value.func) != "parser.add_argument"]
        assert len(main.body) == len(calls) + sum(ast.unparse(n).startswith(("parser", "args")) for n in main.body)
        project = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and (n.module or "").startswith("aerepro")]
        assert len(calls) == 1 and project, f"{path.name}: main should parse its arguments and make one call"


# -- the study as the unit: aerepro.studies --------------------------------


def _study_of(path):
    """The study a project file belongs to (its folder under aerepro/), or None for the shared floor and ae."""
    parts = Path(path).parts
    return parts[1] if len(parts) > 2 and parts[0] == "aerepro" else None


def _stage_module(script):
    """The aerepro module whose function a stage script calls."""
    tree = ast.parse((ROOT / script).read_text())
    return next(n.module for n in tree.body if isinstance(n, ast.ImportFrom) and n.module.startswith("aerepro")
                and n.module != "aerepro.errors")


def test_every_study_folder_is_registered():
    from aerepro.studies import STUDIES

    folders = {p.name for p in (ROOT / "aerepro").iterdir() if (p / "__init__.py").is_file()}
    assert folders == set(STUDIES)


@pytest.mark.parametrize("study", ["blog", "symmetry", "paper", "anomaly", "family", "loss"])
def test_every_study_keeps_the_contract(study):
    import importlib

    from aerepro.schema import Schema

    assert isinstance(importlib.import_module(f"aerepro.{study}.schema").SCHEMA, Schema)
    assert (ROOT / "aerepro" / study / "grid.py").is_file()
    for step, function in (("train", "train"), ("report", "report")):
        module = importlib.import_module(f"aerepro.{study}.{step}")
        assert callable(getattr(module, function)) and module.PARAMS, f"aerepro.{study}.{step}"


def test_no_shared_module_imports_a_study_and_no_study_another():
    from aerepro.studies import STUDIES

    for path in sorted((ROOT / "aerepro").rglob("*.py")):
        if path.name == "studies.py" and path.parent.name == "aerepro":
            continue  # the registry lists them
        mine = _study_of(path.relative_to(ROOT))
        for module in imported_modules(path):
            theirs = module.split(".")[1] if module.count(".") >= 1 else None
            if theirs in STUDIES:
                assert theirs == mine, f"{path.relative_to(ROOT)} imports {module}"


def test_a_stage_runs_only_its_own_study():
    # editing one study's grid or page reruns that study's stages, and no other's
    for stage, (script, _) in stage_scripts().items():
        own = _study_of(Path(*_stage_module(script).split(".")))
        studies = {_study_of(p) for p in import_closure(ROOT / script)} - {None}
        assert studies <= {own}, f"{stage} runs the code of {sorted(studies - {own})}"


def test_no_training_stage_imports_a_page_and_data_imports_no_ae():
    for stage, (script, _) in stage_scripts().items():
        closure = import_closure(ROOT / script)
        if _stage_module(script).endswith(".train"):
            assert not [p for p in closure if p.endswith(("/page.py", "/report.py"))], stage
    assert not [p for p in import_closure(ROOT / "stages" / "data.py") if p.startswith("ae/")]


def test_each_stage_lists_the_params_its_module_declares():
    import importlib

    from aerepro.params import MACHINE

    stages = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]
    for name, (script, _) in stage_scripts().items():
        declared = [k for k in importlib.import_module(_stage_module(script)).PARAMS if k not in MACHINE]
        assert stages[name].get("do", stages[name]).get("params", []) == declared, name
