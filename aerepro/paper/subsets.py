"""The paper's setup trained with one pattern left out: how it does on the pattern it never saw.

The paper trains "on some combinations of 0 and 1"; whether a 3-4-3 network
trained on 7 of the 8 three-bit patterns reconstructs the eighth says what
its printed network's fit of each pattern can tell about which ones it was
trained on. Every measure reads a trained model on all the patterns.
"""

import numpy as np
import pandas as pd

from ..intervals import median_interval

__all__ = ["pattern_names", "leave_one_out", "pattern_losses", "worst_ratio", "left_out_facts", "left_out_frame",
           "left_out_summary"]


def pattern_names(X):
    """Each row of a 0/1 matrix as its bits, e.g. ``"101"``."""
    return ["".join(str(int(v)) for v in row) for row in np.asarray(X)]


def leave_one_out(X):
    """Pattern name -> ``X`` without that pattern's row (the others in their order), in the order of ``X``.

    Raises ``ValueError`` when two rows are the same pattern: leaving one
    out would leave it in.
    """
    X = np.asarray(X, dtype=float)
    names = pattern_names(X)
    if len(set(names)) < len(names):
        raise ValueError("the patterns repeat: leaving one out would keep its copy")
    return {name: np.delete(X, i, axis=0) for i, name in enumerate(names)}


def pattern_losses(model, X):
    """The model's loss on each row of ``X`` (``-score_samples``: the mean over the row's outputs)."""
    return -np.asarray(model.score_samples(X), dtype=float)


def worst_ratio(losses, index=None):
    """A pattern's loss over the median loss of the others: the worst pattern's (``index=None``) or ``index``'s."""
    losses = np.asarray(losses, dtype=float)
    index = int(np.argmax(losses)) if index is None else index
    return float(losses[index] / np.median(np.delete(losses, index)))


def left_out_facts(model, X, pattern):
    """How a model trained without ``pattern`` (its name) does on it and on the patterns it was trained on.

    Returns
    -------
    facts : dict
        ``left_out_loss`` and ``left_out_reconstructed`` (every output
        rounds to its bit) on the pattern; ``in_sample_loss`` (mean) and
        ``in_sample_reconstructed`` (all of them) on the others;
        ``left_out_ratio``, :func:`worst_ratio` of the left-out pattern.
    """
    X = np.asarray(X, dtype=float)
    i = pattern_names(X).index(pattern)
    losses = pattern_losses(model, X)
    right = (np.asarray(model.predict(X)).round() == X).all(axis=1)
    others = np.arange(len(X)) != i
    return {"left_out_loss": float(losses[i]), "left_out_reconstructed": bool(right[i]),
            "in_sample_loss": float(losses[others].mean()), "in_sample_reconstructed": bool(right[others].all()),
            "left_out_ratio": worst_ratio(losses, i)}


def left_out_frame(runs, models, X, trained):
    """One row per leave-one-out run, beside the same pattern's loss when trained on (the same seed, all patterns).

    Parameters
    ----------
    runs : DataFrame
        The leave-one-out runs: ``run``, ``seed`` and ``pattern`` (the name
        of the pattern left out).
    models : dict
        Run name -> fitted model.
    X : ndarray
        All the patterns.
    trained : dict
        Seed -> the model of that seed trained on all of ``X``.

    Returns
    -------
    frame : DataFrame
        ``run``, ``seed``, ``pattern``, :func:`left_out_facts` and
        ``trained_loss``: that pattern's loss in ``trained[seed]``.
    """
    names = pattern_names(X)
    rows = []
    for run in runs.to_dict("records"):
        facts = left_out_facts(models[run["run"]], X, run["pattern"])
        trained_loss = pattern_losses(trained[run["seed"]], X)[names.index(run["pattern"])]
        rows.append({"run": run["run"], "seed": run["seed"], "pattern": run["pattern"], **facts,
                     "trained_loss": float(trained_loss)})
    return pd.DataFrame(rows)


def _over_seeds(frame, values):
    """``(median, low, high, lowest, highest)`` of ``values``' per-seed medians: the interval is over seeds (the
    independent units, as the runs of one seed share their initial weights); ``lowest``/``highest`` their range."""
    per_seed = pd.Series(np.asarray(values, dtype=float), index=frame.index).groupby(frame["seed"]).median()
    return (*median_interval(per_seed), float(per_seed.min()), float(per_seed.max()))


def left_out_summary(frame, printed_losses, trained_ratios, patterns=None, trained_reconstructs=None):
    """What the leave-one-out runs say, and where the printed network's worst pattern sits among them.

    Parameters
    ----------
    frame : DataFrame
        :func:`left_out_frame`.
    printed_losses : array-like
        The printed network's loss on each pattern.
    trained_ratios : array-like
        :func:`worst_ratio` of each of our runs trained on all the patterns.
    patterns : list of str, optional
        The name of each of ``printed_losses``' patterns: with it, the printed
        worst pattern is also read against the runs on that pattern alone.
    trained_reconstructs : dict, optional
        Seed -> whether its run trained on all the patterns reconstructs them all.

    Returns
    -------
    summary : dict
        ``runs``, ``seeds``, ``reconstructed`` (runs reconstructing their left-out
        pattern); ``(median, low, high, lowest, highest)`` over seeds
        (:func:`~aerepro.intervals.median_interval` of the per-seed medians,
        and their range) of ``left_out_loss``, ``in_sample_loss``,
        ``trained_loss`` and ``difference`` (left-out minus trained, the
        same pattern and seed);
        ``printed_worst`` and ``printed_ratio`` (:func:`worst_ratio` of
        the printed network); ``left_out_below_printed`` (left-out losses
        below the printed worst pattern's), ``trained_above_printed``
        (trained losses of the same patterns above it);
        ``left_out_ratio_above`` and ``trained_ratio_above`` (ratios above
        the printed one) with ``trained_runs``. With ``patterns``:
        ``worst_pattern``, ``pattern_runs`` (left-out runs of it),
        ``pattern_left_out_below`` and ``pattern_trained_above`` (its
        left-out and trained losses below and above the printed worst's),
        ``pattern_trained_runs`` and ``pattern_left_out_range`` (lowest and
        highest of its left-out losses). With
        ``trained_reconstructs``: ``failed_seeds``, the leave-one-out seeds
        whose run on all the patterns does not reconstruct them all, and
        ``difference_fitted`` (as ``difference``, over the other seeds).
    """
    printed = np.asarray(printed_losses, dtype=float)
    worst, ratio = float(printed.max()), worst_ratio(printed)
    trained_ratios = np.asarray(trained_ratios, dtype=float)
    difference = frame["left_out_loss"] - frame["trained_loss"]
    out = {
        "runs": len(frame), "seeds": int(frame["seed"].nunique()),
        "reconstructed": int(frame["left_out_reconstructed"].sum()),
        **{key: _over_seeds(frame, frame[key]) for key in ("left_out_loss", "in_sample_loss", "trained_loss")},
        "difference": _over_seeds(frame, difference),
        "printed_worst": worst, "printed_ratio": ratio,
        "left_out_below_printed": int((frame["left_out_loss"] < worst).sum()),
        "trained_above_printed": int((frame["trained_loss"] > worst).sum()),
        "left_out_ratio_above": int((frame["left_out_ratio"] > ratio).sum()),
        "trained_ratio_above": int((trained_ratios > ratio).sum()), "trained_runs": len(trained_ratios),
    }
    if patterns is not None:
        name = list(patterns)[int(np.argmax(printed))]
        own = frame[frame["pattern"] == name]
        out.update({"worst_pattern": name, "pattern_runs": len(own),
                    "pattern_left_out_below": int((own["left_out_loss"] < worst).sum()),
                    "pattern_trained_above": int((own["trained_loss"] > worst).sum()),
                    "pattern_trained_runs": len(own),  # one trained run per seed, the same seeds
                    "pattern_left_out_range": (float(own["left_out_loss"].min()), float(own["left_out_loss"].max()))
                    if len(own) else (np.nan, np.nan)})
    if trained_reconstructs is not None:
        failed = sorted(int(s) for s in frame["seed"].unique() if not trained_reconstructs[s])
        fitted = ~frame["seed"].isin(failed)
        out.update({"failed_seeds": failed,
                    "difference_fitted": _over_seeds(frame[fitted], difference[fitted]) if fitted.any()
                    else (np.nan,) * 5})
    return out
