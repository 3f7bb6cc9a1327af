"""fit_many (ae/parallel.py): a model trained in a stack, in a worker
process or on a dask cluster ends bit for bit as its lone ``fit``."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning

from ae import AutoEncoder, SymmetricInitWarning, TrainingDivergedError, fit_many
from ae.parallel import _chunks

X = np.eye(16)
EARLY_TOL = 1e-2  # the tolerance of the one model that stops early

# Most models below stop at max_iter on purpose (short runs); their
# ConvergenceWarning is tested on its own.
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def _shallow_models():
    """16-5-16, RMSProp, full batch: jittered constant and glorot inits,
    several seeds, learning rates, tolerances and max_iter, and one model
    (tol=1e-2) that converges after a few epochs while the others go on."""
    kw = dict(solver="rmsprop", n_iter_no_change=1)
    return [
        AutoEncoder((5,), init="constant", init_value=1.0, init_jitter=0.01, learning_rate_init=0.001,
                    tol=1e-7, max_iter=400, random_state=0, **kw),
        AutoEncoder((5,), init="constant", init_value=0.6, init_jitter=0.01, learning_rate_init=0.001,
                    tol=1e-7, max_iter=300, random_state=1, **kw),
        AutoEncoder((5,), init="constant", init_value=0.2, init_jitter=0.01, learning_rate_init=0.005,
                    tol=1e-7, max_iter=400, random_state=2, **kw),
        AutoEncoder((5,), init="glorot_uniform", learning_rate_init=0.01, tol=0.0, max_iter=250,
                    random_state=3, **kw),
        AutoEncoder((5,), init="glorot_uniform", learning_rate_init=0.002, tol=EARLY_TOL, max_iter=400,
                    random_state=4, **kw),  # the early stopper
    ]


def _deep_models():
    """16-8-4-8-16, RMSProp, full batch: one architecture more, with patience
    (the last model converges after five calm epochs, before the others stop)."""
    kw = dict(solver="rmsprop", n_iter_no_change=5)
    return [
        AutoEncoder((8, 4, 8), init="constant", init_value=0.8, init_jitter=0.01, learning_rate_init=0.001,
                    tol=1e-7, max_iter=300, random_state=10, **kw),
        AutoEncoder((8, 4, 8), init="constant", init_value=0.4, init_jitter=0.01, learning_rate_init=0.003,
                    tol=1e-7, max_iter=200, random_state=11, **kw),
        AutoEncoder((8, 4, 8), init="glorot_uniform", learning_rate_init=0.01, tol=1e-7, max_iter=350,
                    random_state=12, **kw),
        AutoEncoder((8, 4, 8), init="glorot_uniform", learning_rate_init=0.003, tol=1e-4, max_iter=350,
                    random_state=13, **kw),
    ]


def _minibatch_models():
    """16-5-16, Adam, batches of 4 shuffled per model from its own seed."""
    kw = dict(solver="adam", batch_size=4, shuffle=True, tol=0.0)
    return [
        AutoEncoder((5,), init="glorot_uniform", learning_rate_init=0.01, max_iter=40, random_state=20, **kw),
        AutoEncoder((5,), init="glorot_uniform", learning_rate_init=0.01, max_iter=60, random_state=21, **kw),
        AutoEncoder((5,), init="constant", init_value=0.5, init_jitter=0.01, learning_rate_init=0.003,
                    max_iter=50, random_state=22, **kw),
    ]


GROUPS = {"shallow": _shallow_models, "deep": _deep_models, "minibatch": _minibatch_models}


def mixed_models():
    """Fresh, unfitted: the three stacks, interleaved so that grouping is needed."""
    shallow, deep, mini = (make() for make in GROUPS.values())
    models = []
    for k in range(max(map(len, (shallow, deep, mini)))):
        for group in (shallow, deep, mini):
            if k < len(group):
                models.append(group[k])
    return models


def _fit_alone(estimator):
    return clone(estimator).fit(X)


@pytest.fixture(scope="module")
def lone_fits():
    """Each model of :func:`mixed_models` fitted by itself with ``fit``."""
    return [_fit_alone(est) for est in mixed_models()]


def assert_same_fit(stacked, alone, label=""):
    """``coefs_``, ``intercepts_``, ``loss_curve_``, ``n_iter_`` and the stop reason, bit for bit."""
    assert stacked.n_iter_ == alone.n_iter_, label
    assert stacked.stop_reason_ == alone.stop_reason_, label
    assert np.array_equal(stacked.loss_curve_, alone.loss_curve_, equal_nan=True), label
    assert len(stacked.coefs_) == len(alone.coefs_), label
    for got, want in zip(stacked.coefs_ + stacked.intercepts_, alone.coefs_ + alone.intercepts_):
        assert np.array_equal(got, want, equal_nan=True), label


def assert_all_same(models, lone):
    assert len(models) == len(lone)
    for k, (stacked, alone) in enumerate(zip(models, lone)):
        assert_same_fit(stacked, alone, f"model {k}: {stacked!r}")


def test_mixed_list_in_stacks_equals_each_model_fitted_alone(lone_fits):
    models = mixed_models()
    returned = fit_many(models, X)
    assert returned == models and all(a is b for a, b in zip(returned, models))
    assert_all_same(models, lone_fits)
    # They really were trained together, one stack per architecture ...
    sizes = {len(make()) for make in GROUPS.values()}
    assert {m.stack_size_ for m in models} == sizes
    # ... and the early stopper left its stack while the others went on.
    (early,) = [m for m in models if m.tol == EARLY_TOL]
    assert early.stop_reason_ == "converged"
    mates = [m for m in models if m.stack_size_ == early.stack_size_ and m is not early]
    assert all(early.n_iter_ < m.n_iter_ for m in mates)
    assert [m.stop_reason_ for m in models].count("converged") == 2


def test_mixed_list_over_two_processes_equals_each_model_fitted_alone(lone_fits):
    models = mixed_models()
    returned = fit_many(models, X, n_jobs=2)
    assert all(a is b for a, b in zip(returned, models))  # fitted in place, though in other processes
    assert_all_same(models, lone_fits)
    # Three stacks for two workers, fewer than two tasks each: every stack is split in two.
    sizes = {len(make()) for make in GROUPS.values()}
    assert sorted({m.stack_size_ for m in models}) == sorted({-(-n // 2) for n in sizes} | {n // 2 for n in sizes})


def test_forked_workers_that_hand_results_back_at_the_end_give_the_same_models(lone_fits):
    # joblib's multiprocessing backend (forked workers, what the stages train with) streams no results.
    from joblib import parallel_config

    models = mixed_models()
    with parallel_config(backend="multiprocessing"):
        fit_many(models, X, n_jobs=2)
    assert_all_same(models, lone_fits)


def test_stacks_are_split_into_enough_tasks_for_the_workers_and_no_more():
    def stack(name, n, max_iter, data=X):
        models = [AutoEncoder((3,), max_iter=max_iter) for _ in range(n)]
        for m in models:
            m.prepare_fit(data)
        return [[(m, f"{name}{i}", i, data)] for i, m in enumerate(models)]  # bundles of one model

    def names(tasks):
        return [[name for bundle in task for _, name, *_ in bundle] for task in tasks]

    # 2 stacks, 4 tasks wanted: each stack (the costlier first) dealt into 2 parts in turn
    groups = [stack("b", 3, 10), stack("a", 7, 10)]
    assert names(_chunks(groups, n_workers=2)) == [["a0", "a2", "a4", "a6"], ["a1", "a3", "a5"], ["b0", "b2"], ["b1"]]
    many = [stack(g, 3, 10) for g in "abcd"]  # two per worker already: whole stacks
    assert names(_chunks(many, n_workers=2)) == names(many)
    assert names(_chunks([stack("a", 2, 10)], n_workers=8)) == [["a0"], ["a1"]]  # no empty task
    # four stacks, one with more work than a worker's share (half the whole): it alone is split, in two
    uneven = [stack("a", 4, 10), stack("b", 4, 10), stack("c", 4, 10), stack("d", 6, 100)]
    assert names(_chunks(uneven, n_workers=2)) == [["d0", "d2", "d4"], ["d1", "d3", "d5"]] + names(uneven[:3])
    # into as many parts as it holds shares: 600 of 780 is 2.3 shares of 260 for 3 workers
    small = [stack(name, 3, 10) for name in "abcdef"]
    assert [len(task) for task in _chunks(small + [stack("g", 6, 100)], n_workers=3)] == [2, 2, 2] + [3] * 6
    # the work counts samples: the same stack on 10 times the rows is over its share, on as many rows it is not
    tall = np.vstack([X] * 10)
    assert names(_chunks(uneven[:3] + [stack("e", 6, 10, tall)], n_workers=2))[:2] == [["e0", "e2", "e4"], ["e1", "e3", "e5"]]
    assert names(_chunks(uneven[:3] + [stack("e", 6, 10)], n_workers=2)) == [[f"e{i}" for i in range(6)]] + names(uneven[:3])


def test_a_single_stack_is_split_when_workers_would_idle():
    models = _shallow_models()
    fit_many(models, X, n_jobs=2)
    # split in two parts: other stack mates, same bits
    assert max(m.stack_size_ for m in models) < len(models)
    assert_all_same(models, [_fit_alone(m) for m in _shallow_models()])


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_max_stack_gives_the_same_bits_in_stacks_of_at_most_that_many_models(lone_fits, n_jobs):
    unlimited = mixed_models()
    fit_many(unlimited, X, n_jobs=n_jobs)
    models = mixed_models()
    returned, stacks = fit_many(models, X, n_jobs=n_jobs, max_stack=2, return_stacks=True)
    assert all(a is b for a, b in zip(returned, models))
    assert_all_same(models, unlimited)
    assert_all_same(models, lone_fits)
    # Every model in exactly one stack of one architecture, of at most 2 models, whose size it knows ...
    assert sorted(i for stack in stacks for i in stack) == list(range(len(models)))
    for stack in stacks:
        assert 1 <= len(stack) <= 2
        assert len({models[i].hidden_layer_sizes for i in stack}) == 1
        assert all(models[i].stack_size_ == len(stack) for i in stack)
    # ... in the fewest parts: 5, 4 and 3 models make 3 + 2 + 2 stacks (two workers want no more tasks).
    assert len(stacks) == sum(-(-len(make()) // 2) for make in GROUPS.values())
    assert max(m.stack_size_ for m in unlimited) > 2


def test_without_max_stack_the_returned_stacks_are_one_per_architecture():
    models = mixed_models()
    _, stacks = fit_many(models, X, return_stacks=True)
    assert sorted(map(len, stacks)) == sorted(len(make()) for make in GROUPS.values())
    assert all(models[i].stack_size_ == len(stack) for stack in stacks for i in stack)
    assert fit_many([], X, return_stacks=True) == ([], [])


def test_a_list_of_data_sets_trains_each_model_on_its_own_stacked_with_those_given_the_same():
    eye8, flipped = np.eye(8), np.eye(8)[::-1].copy()  # the same shape, other data
    kw = dict(max_iter=20, tol=0.0)
    models = [AutoEncoder((3,), random_state=s, **kw) for s in range(4)] + [AutoEncoder((5,), random_state=0, **kw)]
    data = [eye8, flipped, eye8, flipped, X]
    _, stacks = fit_many(models, data, return_stacks=True)
    assert sorted(map(sorted, stacks)) == [[0, 2], [1, 3], [4]]
    for k, (model, Xk) in enumerate(zip(models, data)):
        assert_same_fit(model, clone(model).fit(Xk), f"model {k}")
    assert models[1].n_features_in_ == 8 and models[4].n_features_in_ == 16


def test_an_estimator_listed_twice_is_refused_naming_both_places():
    model = AutoEncoder((3,), random_state=0, max_iter=5)
    with pytest.raises(ValueError, match=r"estimators\[0\] and estimators\[2\] are the same object"):
        fit_many([model, AutoEncoder((3,), random_state=0, max_iter=5), model], X)
    assert not hasattr(model, "coefs_")  # refused before any training


def test_a_list_of_data_sets_needs_one_per_model_and_max_stack_a_positive_int():
    with pytest.raises(ValueError, match="2 data sets for 3 estimators"):
        fit_many([AutoEncoder() for _ in range(3)], [X, X])
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="max_stack"):
            fit_many([AutoEncoder()], X, max_stack=bad)
    # a list of rows is one data set, not one per model
    model = fit_many([AutoEncoder((2,), max_iter=2)], X.tolist())[0]
    assert model.n_features_in_ == 16


def test_shuffled_minibatches_are_drawn_per_model():
    # A constant init without jitter draws no random number: these models
    # start from the same weights and differ only in their shuffles.
    kw = dict(init="constant", init_value=0.5, init_jitter=0.0, solver="adam", batch_size=4, shuffle=True,
              learning_rate_init=0.01, tol=0.0, max_iter=30)
    models = [AutoEncoder((1,), random_state=seed, **kw) for seed in (0, 1, 2)]
    fit_many(models, X)
    assert models[0].stack_size_ == 3
    assert not np.array_equal(models[0].coefs_[0], models[1].coefs_[0])
    assert not np.array_equal(models[1].coefs_[0], models[2].coefs_[0])
    for k, model in enumerate(models):
        assert_same_fit(model, _fit_alone(model), f"model {k}")


def _sgd_models():
    kw = dict(output_activation="identity", loss="mse", solver="sgd", tol=0.0, max_iter=300)
    return [
        AutoEncoder((5,), learning_rate_init=0.01, random_state=0, **kw),
        AutoEncoder((5,), learning_rate_init=1e3, random_state=1, **kw),  # diverges
        AutoEncoder((5,), learning_rate_init=0.05, momentum=0.5, random_state=2, **kw),
    ]


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_a_diverging_model_is_recorded_and_its_stack_mates_finish_as_alone(n_jobs):
    models = _sgd_models()
    fit_many(models, X, n_jobs=n_jobs)
    diverged = models[1]
    assert diverged.stop_reason_ == "diverged"
    assert not np.isfinite(diverged.loss_curve_[-1])
    assert np.all(np.isfinite(diverged.loss_curve_[:-1]))
    assert diverged.n_iter_ < diverged.max_iter
    for k in (0, 2):
        assert models[k].stop_reason_ == "max_iter"
        assert_same_fit(models[k], _fit_alone(models[k]), f"model {k}")
    # Alone, the same model raises; up to that point it learnt the same bits.
    alone = clone(diverged)
    with pytest.raises(TrainingDivergedError):
        alone.fit(X)
    assert_same_fit(diverged, alone)


def test_warnings_raised_in_workers_are_reemitted_in_the_parent():
    models = [AutoEncoder((5,), solver="rmsprop", tol=0.0, max_iter=20 + k, random_state=k) for k in range(3)]
    models.append(AutoEncoder((8, 4, 8), init="constant", init_value=0.5, init_jitter=0.0, max_iter=7))
    with pytest.warns((ConvergenceWarning, SymmetricInitWarning)) as record:
        fit_many(models, X, n_jobs=2)
    convergence = sorted(str(w.message) for w in record if w.category is ConvergenceWarning)
    assert len(convergence) == len(models)
    for m in models:
        assert sum(f"max_iter={m.max_iter} " in message for message in convergence) == 1
    assert sum(w.category is SymmetricInitWarning for w in record) == 1


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_fitted_attributes_are_set(n_jobs):
    columns = [f"bit{k}" for k in range(16)]
    data = pd.DataFrame(X, columns=columns)
    models = [AutoEncoder((5,), max_iter=5, random_state=0), AutoEncoder((8, 4, 8), max_iter=5, random_state=1)]
    fit_many(models, data, n_jobs=n_jobs)
    for m in models:
        assert m.n_features_in_ == 16
        assert list(m.feature_names_in_) == columns
        assert m.n_iter_ == 5 and len(m.loss_curve_) == 5
        assert m.stop_reason_ == "max_iter"
        assert m.train_seconds_ >= 0.0
        assert m.transform(data).shape == (16, min(m.hidden_layer_sizes))
    assert list(models[1].get_feature_names_out()) == [f"autoencoder{k}" for k in range(4)]


def test_empty_list_is_returned_as_is():
    assert fit_many([], X) == []


def test_names_and_verbose_print_one_line_per_model(capsys):
    names = ["apple", "banana", "cherry", "damson", "elder"]
    models = [AutoEncoder((5,), max_iter=3 + k, random_state=k) for k in range(3)]
    models += [AutoEncoder((8, 4, 8), max_iter=4 + k, random_state=k) for k in range(2)]
    fit_many(models, X, names=names, verbose=1)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(models)
    for name, model in zip(names, models):
        (line,) = [line for line in lines if name in line]
        assert f"after {model.n_iter_} epochs" in line


def test_dask_cluster_gives_the_same_models_as_the_local_run(lone_fits):
    distributed = pytest.importorskip("distributed")
    from joblib import parallel_config

    local = fit_many(mixed_models(), X)
    remote = mixed_models()
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
        distributed.get_task_stream(client) as tasks,
        parallel_config(backend="dask"),
    ):
        fit_many(remote, X, n_jobs=2)
    assert tasks.data  # the work ran on the cluster
    assert_all_same(remote, local)
    assert_all_same(remote, lone_fits)


def test_warnings_arrive_from_thread_workers_too():
    # Threads share the process-wide warning filters; fit_many must not rely on them.
    from joblib import parallel_config

    for _ in range(3):
        models = [AutoEncoder((5,), max_iter=3, tol=0.0, random_state=s) for s in range(4)]
        with parallel_config(backend="threading"), pytest.warns(ConvergenceWarning) as record:
            fit_many(models, X, n_jobs=2)
        assert sum(issubclass(w.category, ConvergenceWarning) for w in record) == 4


def _float32(models):
    for m in models:
        m.set_params(dtype="float32")
    return models


@pytest.fixture(scope="module")
def lone_float32_fits():
    return [_fit_alone(est) for est in _float32(mixed_models())]


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_float32_list_in_stacks_equals_each_model_fitted_alone(lone_float32_fits, n_jobs):
    models = _float32(mixed_models())
    fit_many(models, X, n_jobs=n_jobs)
    assert_all_same(models, lone_float32_fits)
    assert all(W.dtype == np.float32 for m in models for W in m.coefs_ + m.intercepts_)
    if n_jobs is None:
        assert {m.stack_size_ for m in models} == {len(make()) for make in GROUPS.values()}


def test_float32_and_float64_models_never_share_a_stack(lone_fits, lone_float32_fits):
    wide, narrow = mixed_models(), _float32(mixed_models())
    models = [m for pair in zip(wide, narrow) for m in pair]
    fit_many(models, X)
    assert_all_same(models[0::2], lone_fits)
    assert_all_same(models[1::2], lone_float32_fits)
    # Each stack of the float64 list is met by a float32 stack of the same size, not merged with it.
    assert [m.stack_size_ for m in models[0::2]] == [m.stack_size_ for m in models[1::2]]
    assert {m.stack_size_ for m in models} == {len(make()) for make in GROUPS.values()}


def test_the_models_of_one_stack_share_a_dtype():
    from ae.parallel import validate_stack_data
    from ae.training import fit_stack

    with pytest.raises(ValueError, match="share a dtype"):
        validate_stack_data([AutoEncoder(), AutoEncoder(dtype="float32")], X)
    model = AutoEncoder(dtype="float32")
    model.prepare_fit(X)
    with pytest.raises(ValueError, match="X is float64, the estimators' dtype float32"):
        fit_stack([model], X)
