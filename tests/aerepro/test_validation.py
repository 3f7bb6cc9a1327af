"""params.yaml's rules: every bad value stops the real stage with one clear line, exit 2, no traceback."""

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aerepro.params import read_params
from aerepro.studies import SCHEMA, validate_params

ROOT = Path(__file__).resolve().parents[2]
REAL = yaml.safe_load((ROOT / "params.yaml").read_text())


def stage_args(stage, out):
    """The stage's command line, every output under ``out`` (the runs never get that far)."""
    return {
        "data": ["--out", out / "data"],
        "analyse": ["--runs", out / "runs", "--out", out / "analysis", "--metrics", out / "metrics.json",
                    "--figures", out / "codes"],
        "train": ["--configuration", "16-5-16", "--data", out / "onehot.csv", "--out", out / "runs",
                  "--metrics", out / "metrics.json", "--plot", out / "loss.png"],
        "paper": ["--data", out / "patterns.csv", "--out", out / "runs"],
        "paper_report": ["--runs", out / "runs", "--data", out / "patterns.csv", "--source",
                         ROOT / "sources" / "paper.yaml", "--metrics", out / "metrics.json", "--page", out / "paper.md"],
        "anomaly": ["--out", out / "runs"],
        "anomaly_report": ["--runs", out / "runs", "--metrics", out / "metrics.json", "--figure", out / "scores.png",
                           "--page", out / "anomaly.md"],
        "track": ["--study-runs", out / "runs", "--analysis", out / "analysis", "--loss-plots", out / "plots",
                  "--out", out / "tracking.json"],
        "family": ["--out", out / "runs", "--metrics", out / "metrics.json"],
        "family_report": ["--runs", out / "runs", "--source", ROOT / "sources" / "encoder_literature.yaml",
                          "--report", out / "family.md", "--figures", out / "family"],
        "report": ["--source", ROOT / "sources" / "blog.yaml", "--analysis", out / "analysis", "--loss-plots",
                   out / "plots", "--codes", out / "codes", "--out", out / "report" / "README.md",
                   "--metrics", out / "claims.json", "--stop-rule-metrics", out / "stop_rule.json"],
        "symmetry": ["--data", out / "onehot.csv", "--out", out / "runs", "--metrics", out / "metrics.json"],
        "symmetry_report": ["--runs", out / "runs", "--source", ROOT / "sources" / "blog.yaml",
                            "--report", out / "symmetry.md", "--figures", out / "symmetry"],
        "loss": ["--data", out / "onehot.csv", "--out", out / "runs"],
        "loss_report": ["--runs", out / "runs", "--report", out / "loss.md", "--figures", out / "loss",
                        "--metrics", out / "metrics.json", "--claim", out / "claim.json"],
    }[stage]


def edited(**edits):
    """The repository's params with ``{"dotted__path": value}`` edits (``__`` stands for the dot)."""
    params = copy.deepcopy(REAL)
    for dotted, value in edits.items():
        *parents, key = dotted.split("__")
        node = params
        for name in parents:
            node = node[name]
        node[key] = value
    return params


def run_stage(stage, tmp_path, params=None, text=None):
    """Run ``stages/<stage>.py`` on a params file, as DVC would (cwd = repository)."""
    path = tmp_path / "params.yaml"
    path.write_text(text if text is not None else yaml.safe_dump(params, sort_keys=False))
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, str(ROOT / "stages" / f"{stage}.py"), "--params", str(path),
           *map(str, stage_args(stage, out))]
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert not out.exists(), "the stage did something before rejecting its params"
    return result


def assert_rejected(result, *fragments, lines=None):
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    errors = result.stderr.splitlines()
    assert errors and all(line.startswith("error: ") and "params.yaml: " in line for line in errors), result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    if lines is not None:
        assert len(errors) == lines, result.stderr


# -- one test per class of bad value, through the real stage -----------------


def test_yaml_syntax_error(tmp_path):
    text = (ROOT / "params.yaml").read_text().replace("inits: [1.0, 0.8, 0.6, 0.4, 0.2]", "inits: [1.0, 0.8")
    assert_rejected(run_stage("train", tmp_path, text=text), "not valid YAML (line ", lines=1)


@pytest.mark.parametrize(
    "stage, params, expected",
    [
        ("paper", edited(paper__variants__denoising__noise_typ="masking"),
         "paper.variants.denoising.noise_typ: unknown key (did you mean 'noise_type'?)"),
        ("data", edited(data__patterns__nbits=3), "data.patterns.nbits: unknown key (did you mean 'n_bits'?)"),
        ("family", edited(family__sizez=[4]), "family.sizez: unknown key (did you mean 'sizes'?)"),
    ],
    ids=["estimator-block", "setting", "beside-what-the-stage-reads"],
)
def test_unknown_key(tmp_path, stage, params, expected):
    assert_rejected(run_stage(stage, tmp_path, params), expected)


@pytest.mark.parametrize(
    "stage, params, expected",
    [
        ("train", edited(train__n_jobs="two"), "train.n_jobs: expected an integer other than 0 or null, got 'two'"),
        ("track", edited(tracking__history_points=2.5), "tracking.history_points: expected an integer >= 2, got 2.5"),
        ("anomaly", edited(anomaly__estimator__batch_size="16"),
         "anomaly.estimator.batch_size: expected an int in the range [1, inf) or None, got '16'"),
    ],
    ids=["setting", "setting-track", "estimator"],
)
def test_wrong_type(tmp_path, stage, params, expected):
    assert_rejected(run_stage(stage, tmp_path, params), expected)


@pytest.mark.parametrize(
    "stage, params, expected",
    [
        ("train", edited(study__protocols__jitter__tol=-1),
         "study.protocols.jitter.tol: expected a float in the range [0.0, inf), got -1"),
        ("data", edited(data__patterns__n_bits=13), "data.patterns.n_bits: expected an integer in 1..12, got 13"),
        ("anomaly", edited(anomaly__test_size=1.5), "anomaly.test_size: expected a float in (0, 1), got 1.5"),
    ],
    ids=["estimator", "data", "anomaly"],
)
def test_out_of_range(tmp_path, stage, params, expected):
    assert_rejected(run_stage(stage, tmp_path, params), expected)


def test_hidden_layer_sizes_not_positive(tmp_path):
    params = copy.deepcopy(REAL)
    params["study"]["configurations"]["16-5-16"]["hidden_layer_sizes"] = [0]
    assert_rejected(run_stage("train", tmp_path, params), "study.configurations.16-5-16.hidden_layer_sizes: "
                    "expected a non-empty list of positive integers, got [0]")


@pytest.mark.parametrize(
    "stage, params, expected",
    [
        ("train", edited(study__activations__relu__activation="rleu"),
         "study.activations.relu.activation: 'rleu' is not one of identity, leaky_relu, relu, sigmoid, tanh"),
        ("report", edited(report__compare_protocol="jiter"),
         "report.compare_protocol: expected one of study.protocols (as_written, jitter, budget), got 'jiter'"),
        ("train", edited(study__estimator__solver="rmsprp"),
         "study.estimator.solver: 'rmsprp' is not one of adam, rmsprop, sgd (did you mean 'rmsprop'?)"),
        ("paper", edited(paper__estimator__init="glorot"), "paper.estimator.init: 'glorot' is not one of "),
        ("report", edited(report__roles__relu_hidden="relu_sigmod"),
         "report.roles.relu_hidden: expected one of study.activations (sigmoid, relu, relu_sigmoid) "
         "or null, got 'relu_sigmod'"),
        ("report", edited(report__roles__literal_protocol=None),
         "report.roles.literal_protocol: expected one of study.protocols (as_written, jitter, budget), got None"),
        ("symmetry", edited(symmetry__dtypes=["float64", "float16"]),
         "symmetry.dtypes: item 1: 'float16' is not one of float32, float64"),
        ("symmetry_report", edited(symmetry__perturbation__configuration="16-6-16"),
         "symmetry.perturbation.configuration: expected one of study.configurations (16-5-16, 16-4-16, 16-3-16, "
         "16-8-4-8-16), got '16-6-16'"),
    ],
    ids=["activation", "protocol", "solver", "init", "role", "role-required", "dtype", "configuration"],
)
def test_unknown_name(tmp_path, stage, params, expected):
    assert_rejected(run_stage(stage, tmp_path, params), expected)


def test_the_stop_rule_search_names_a_configuration_of_the_study():
    assert validate_params(edited(report__stop_rule_on="16-6-16")) == [
        "report.stop_rule_on: expected one of study.configurations (16-5-16, 16-4-16, 16-3-16, 16-8-4-8-16), "
        "got '16-6-16'"]


def test_unknown_protocol_in_a_configurations_overrides(tmp_path):
    params = copy.deepcopy(REAL)
    params["study"]["configurations"]["16-5-16"]["protocols"] = {"budgt": {"max_iter": 35000}}
    assert_rejected(run_stage("train", tmp_path, params),
                    "study.configurations.16-5-16.protocols.budgt: unknown protocol (did you mean 'budget'?")


@pytest.mark.parametrize(
    "params, expected",
    [
        (edited(study__inits=[]), "study.inits: empty list (no runs to train)"),
        (edited(study__configurations={}), "study.configurations: empty (no runs to train)"),
    ],
    ids=["no-inits", "no-configurations"],
)
def test_empty_grid(tmp_path, params, expected):
    assert_rejected(run_stage("train", tmp_path, params), expected, lines=1)


def test_problem_that_only_appears_once_merged_names_the_run(tmp_path):
    # Valid alone; the relu activation settings make it a sparse autoencoder without sigmoid units.
    params = edited(study__estimator__sparsity_weight=0.1)
    result = run_stage("train", tmp_path, params)
    assert_rejected(result, "study run 16-5-16/relu/as_written/c1/seed0: sparsity_weight > 0 needs sigmoid hidden layers")


def test_every_problem_is_listed_at_once(tmp_path):
    params = edited(study__estimator__solver="rmsprp", train__curve_points=1, study__seeds=[])
    result = run_stage("train", tmp_path, params)
    assert_rejected(result, "study.estimator.solver", "train.curve_points", "study.seeds", lines=3)


def test_a_stage_checks_only_what_it_reads(tmp_path):
    # the blog's training does not read the paper's block: a problem there is the paper stages' to report
    params = edited(paper__seeds=[], study__seeds=[])
    assert_rejected(run_stage("train", tmp_path, params), "study.seeds", lines=1)
    assert_rejected(run_stage("paper", tmp_path, params), "paper.seeds", lines=1)


def test_a_configuration_the_stage_names_must_exist(tmp_path):
    params = copy.deepcopy(REAL)
    del params["study"]["configurations"]["16-5-16"]
    assert_rejected(run_stage("train", tmp_path, params), "study.configurations.16-5-16: missing "
                    "(study.configurations has 16-4-16, 16-3-16, 16-8-4-8-16)", lines=1)


# -- in process --------------------------------------------------------------


def test_the_repository_params_are_valid():
    assert validate_params(read_params(ROOT / "params.yaml")) == []


def test_an_unknown_section_is_a_problem_of_the_whole_file():
    assert validate_params({**REAL, "trian": {"n_jobs": 1}}) == ["trian: unknown key (did you mean 'train'?)"]


@pytest.mark.parametrize(
    "edits, expected",
    [
        ({"study__protocols__jitter__max_iter": True},
         "study.protocols.jitter.max_iter: expected an int in the range [1, inf), got True"),
        ({"study__protocols__jitter__tol": "1e-7"},
         "study.protocols.jitter.tol: expected a float in the range [0.0, inf), got '1e-7' "
         "(YAML reads '1e-7' as text: write 1.0e-07)"),
        ({"study__protocols__jitter__max_iter": "1e5"},
         "study.protocols.jitter.max_iter: expected an int in the range [1, inf), got '1e5' "
         "(YAML reads '1e5' as text: write 100000)"),
        ({"anomaly__estimator__shuffle": "yes"},
         "anomaly.estimator.shuffle: expected an instance of 'bool' or an instance of 'numpy.bool', got 'yes'"),
        ({"train__n_job": 1}, "train.n_job: unknown key (did you mean 'n_jobs'?)"),
        ({"study__inits": [1.0, 1]}, "study.inits: repeated values [1] (runs would share a name)"),
        ({"paper__variants__l2__alpha": -1},
         "paper.variants.l2.alpha: expected a float in the range [0.0, inf), got -1"),
        ({"study__activations__relu_sigmoid__hidden_layer_sizes": 5},
         "study.activations.relu_sigmoid.hidden_layer_sizes: expected a non-empty list of positive integers, got 5"),
    ],
    ids=["bool-for-int", "yaml-text-number", "yaml-text-whole-number", "bool", "setting-key", "repeated-init", "variant", "hidden-not-a-list"],
)
def test_one_problem_each(edits, expected):
    assert validate_params(edited(**edits)) == [expected]


def test_problems_of_a_merged_paper_run_name_it():
    problems = validate_params(edited(paper__variants__sparse__activation="relu"))
    assert problems == ["paper run paper/sparse: sparsity_weight > 0 needs sigmoid hidden layers "
                        "(mean activations in (0, 1)), got activation='relu'"]


def test_settings_that_every_run_overrides_are_reported():
    problems = validate_params(edited(study__estimator__init_value=0.5, paper__variants__l2__random_state=3))
    assert problems == [
        "study.estimator.init_value: has no effect: study.inits sets it for every run",
        "paper.variants.l2.random_state: has no effect: paper.seeds sets it for every run",
    ]


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))


PATHS = [p for p in _paths(REAL) if p]
YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats(allow_nan=True) | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), value=YAML_VALUES)
def test_validation_never_crashes_whatever_a_key_holds(path, value):
    params = copy.deepcopy(REAL)
    node = params
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    problems = validate_params(params)
    assert all(isinstance(p, str) and ": " in p and "\n" not in p for p in problems)


def test_a_relu_role_may_be_null_when_the_study_leaves_the_setting_out():
    params = edited(report__roles__relu_hidden=None)
    del params["study"]["activations"]["relu_sigmoid"]
    controls = params["study"]["controls"]["random_start"]
    assert validate_params(params) == [
        "study.controls.random_start.activations.2: expected one of study.activations "
        f"({', '.join(params['study']['activations'])}), got 'relu_sigmoid'"]
    controls["activations"].remove("relu_sigmoid")
    assert validate_params(params) == []


def test_an_unknown_key_with_a_newline_is_named_on_one_line():
    params = copy.deepcopy(REAL)
    params["data"]["\n"] = 1
    assert validate_params(params) == ["data.'\\n': unknown key"]


def test_a_key_with_a_newline_inside_an_estimator_block_is_one_line():
    params = copy.deepcopy(REAL)
    params["study"]["protocols"]["jitter"]["\n"] = None
    (problem,) = validate_params(params)
    assert "\n" not in problem and problem.startswith("study.protocols.jitter.") and "unknown key" in problem


@pytest.mark.parametrize("change, problem", [
    ({"study__seeds": [0, 0]}, "study.seeds: repeated values [0] (runs would share a name)"),
    ({"study__seeds": [-1]}, "study.seeds: item 0: expected an integer >= 0, got -1"),
    ({"study__shared_draw": ["nope"]}, "study.shared_draw.0: expected one of study.protocols"),
    ({"study__controls__random_start__configurations": ["9-9-9"]},
     "study.controls.random_start.configurations.0: expected one of study.configurations"),
    ({"study__controls__random_start__estimator__random_state": 3},
     "study.controls.random_start.estimator.random_state"),
    ({"study__sensitivity__p10__protocols": ["nope"]}, "study.sensitivity.p10.protocols.0: expected one of study.protocols"),
    ({"study__sensitivity__p10__estimator__n_iter_no_change": 0},
     "study.sensitivity.p10.estimator.n_iter_no_change: expected an int"),
    ({"study__sensitivity__p10__estimator__stop_rule": "best"}, "study.sensitivity.p10.estimator.stop_rule"),
    ({"study__sensitivity__p10__estimator__init_value": 0.5}, "study.sensitivity.p10.estimator.init_value"),
    ({"study__sensitivity__haswell__core_type": ""}, "study.sensitivity.haswell.core_type: expected a non-empty"),
    ({"study__sensitivity__p10": {"protocols": ["jitter"]}}, "study.sensitivity.p10: an arm changes something"),
    ({"study__sensitivity__p10__speed": 1}, "study.sensitivity.p10.speed: unknown key"),
])
def test_seed_and_control_settings_are_checked(change, problem):
    problems = validate_params(edited(**change))
    assert any(p.startswith(problem) for p in problems), problems


# -- fuzz: any mutation of any key, through validation and through every stage -------------


def _mutated(path, how):
    """The repository's params with the key at ``path`` deleted, given an unknown child, or set to ``how``."""
    params = copy.deepcopy(REAL)
    node = params
    for key in path[:-1]:
        node = node[key]
    if how == "delete":
        del node[path[-1]]
    elif how == "unknown child":
        node[path[-1]]["zz_unknown"] = 1
    else:
        node[path[-1]] = how
    return params


def _real_node(path):
    node = REAL
    for key in path:
        node = node[key]
    return node


MUTATIONS = st.sampled_from(["delete", "unknown child", 10**30, -(10**400), 1e308, float("inf"), "1e-7", "two",
                             True, None, [], {"zz": 1}])


@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), how=MUTATIONS)
def test_any_mutation_of_any_key_is_problems_on_one_line_naming_the_key(path, how):
    if how == "unknown child" and not isinstance(_real_node(path), dict):
        how = "delete"
    problems = validate_params(_mutated(path, how))
    assert all(isinstance(p, str) and ": " in p and "\n" not in p for p in problems)
    dotted = ".".join(map(str, path))
    if how == "unknown child":
        assert any(p.startswith(f"{dotted}.zz_unknown: ") for p in problems), problems  # unknown, or a bad entry
    elif how == "delete" and dotted in SCHEMA.settings:
        assert f"{dotted}: missing" in problems
    elif isinstance(how, int) and not isinstance(how, bool):
        assert any(p.startswith(dotted) for p in problems), problems  # no setting takes a number that size


#: One mutation of params.yaml's text per stage, of a key that stage reads: every stage exits 2 naming the key.
STAGE_MUTATIONS = {
    "data": ("wrong type", lambda t: t.replace("n_inputs: 16", "n_inputs: sixteen", 1),
             "data.onehot.n_inputs: expected an integer"),
    "train": ("number read as text", lambda t: t.replace("as_written:\n      init_jitter: 0.0\n      tol: 1.0e-7",
                                                         "as_written:\n      init_jitter: 0.0\n      tol: 1e-7", 1),
              "study.protocols.as_written.tol: expected a float in the range [0.0, inf), got '1e-7'"),
    "analyse": ("bad entry", lambda t: t.replace("hidden_layer_sizes: [5]", "hidden_layer_sizes: [0]", 1),
                "study.configurations.16-5-16.hidden_layer_sizes: expected a non-empty list"),
    "report": ("null", lambda t: t.replace("  compare_protocol: budget", "  compare_protocol:", 1),
               "report.compare_protocol: expected one of study.protocols"),
    "paper": ("repeated value", lambda t: t.replace("batch_sizes: [1, 4, 8]", "batch_sizes: [1, 4, 8, 8]", 1),
              "paper.batch_sizes: repeated values [8]"),
    "paper_report": ("out of range", lambda t: t.replace("  loss_level: 0.05", "  loss_level: 5", 1),
                     "paper.loss_level: expected a float in (0, 1), got 5"),
    "anomaly": ("out of range", lambda t: t.replace("  test_size: 0.3", "  test_size: 30", 1),
                "anomaly.test_size: expected a float in (0, 1), got 30"),
    "anomaly_report": ("not a digit", lambda t: t.replace("  figure_class: 8 ", "  figure_class: 18 ", 1),
                       "anomaly.figure_class: expected an integer in 0..9, got 18"),
    "family": ("unknown key", lambda t: t.replace("family:\n", "family:\n  sizez: [4]\n", 1),
               "family.sizez: unknown key (did you mean 'sizes'?)"),
    "family_report": ("huge value", lambda t: t.replace("  n_seeds: 20 ", "  n_seeds: 2" + "0" * 40 + " ", 1),
                      "family.n_seeds: expected"),
    "symmetry": ("repeated key", lambda t: t.replace("  n_jobs: 2 ", "  n_jobs: 2\n  n_jobs: 1 ", 1),
                 "repeated key 'n_jobs'"),
    "symmetry_report": ("huge float", lambda t: t.replace("  separated_at: 0.01", "  separated_at: 1.0e+308", 1),
                        "symmetry.separated_at: expected a float in (0, 1), got 1e+308"),
    "track": ("missing key", lambda t: t.replace("  lock_wait:", "  # lock_wait:", 1), "tracking.lock_wait: missing"),
    "loss": ("zero", lambda t: t.replace("  checkpoint_every: 100 ", "  checkpoint_every: 0 ", 1),
             "loss.checkpoint_every: expected an integer >= 1, got 0"),
    "loss_report": ("a budget missing", lambda t: t.replace("    16-4-16: 12000\n", "", 1),
                    "loss.budgets.16-4-16: missing"),
}


def test_every_stage_script_has_a_mutation():
    assert set(STAGE_MUTATIONS) == {p.stem for p in (ROOT / "stages").glob("*.py")}


@pytest.mark.parametrize("stage", sorted(STAGE_MUTATIONS))
def test_every_stage_exits_2_naming_the_key_of_a_mutated_params_file(tmp_path, stage):
    mutation = STAGE_MUTATIONS[stage]
    _, edit, expected = mutation
    text = (ROOT / "params.yaml").read_text()
    assert edit(text) != text, mutation[0]  # the mutation still finds its key in params.yaml
    assert_rejected(run_stage(stage, tmp_path, text=edit(text)), expected)


@pytest.mark.parametrize(
    "stage, params, expected",
    [
        ("paper", edited(paper__batch_sizes=[1, 0]), "paper.batch_sizes: item 1: expected an integer >= 1, got 0"),
        ("paper", edited(paper__properties__levels=[0.2, 1.5]),
         "paper.properties.levels: item 1: expected a float in (0, 1), got 1.5"),
        ("paper", edited(paper__properties__noise_type="salt"), "paper.properties.noise_type: 'salt' is not one of"),
        ("anomaly", edited(anomaly__normal_classes=[3, 10]),
         "anomaly.normal_classes: item 1: expected an integer in 0..9, got 10"),
        ("anomaly_report", edited(anomaly__figure_class=3, anomaly__normal_classes=[1, 2]),
         "anomaly.figure_class: expected one of anomaly.normal_classes (1, 2), got 3"),
        ("anomaly", edited(anomaly__estimator__random_state=1),
         "anomaly.estimator.random_state: has no effect: anomaly.seeds sets it for every run"),
    ],
    ids=["batch-size", "corruption-level", "noise-type", "normal-class", "figure-class", "seeded"],
)
def test_paper_and_anomaly_settings(tmp_path, stage, params, expected):
    assert_rejected(run_stage(stage, tmp_path, params), expected, lines=1)


@pytest.mark.parametrize("key, text", [("max_iter", "1e5"), ("tol", "1e-7"), ("tol", "1e2")])
def test_the_hint_for_a_number_read_as_text_writes_what_passes(key, text):
    import re

    import yaml

    bad = copy.deepcopy(REAL)
    bad["study"]["protocols"]["jitter"][key] = text
    (problem,) = validate_params(bad)
    written = re.search(r"write (\S+)\)$", problem).group(1)
    bad["study"]["protocols"]["jitter"][key] = yaml.safe_load(written)
    assert validate_params(bad) == []
