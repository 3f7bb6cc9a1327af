"""The hidden codes of a trained study, read group by group.

A *group* is the runs of one configuration, activation setting, protocol
and seed (replicate) that differ only in their initial weights: the blog's
"five runs" whose codes it lines up and snaps. Each group's agreement is set
beside its chance level (:mod:`aerepro.chance`). :func:`analyse_codes` does that for every group of a
training stage's run folder (its runs and codes tables, see
:mod:`aerepro.runs`) with the functions of :mod:`aerepro.codes`, and returns
plain tables for the analyse stage to write.

A run that diverged has no code (its values are NaN): it is counted in its
group and left out of the alignment, never read as numbers.
"""

import numpy as np
import pandas as pd

from ..codes import binary_fraction, snap, summarize_codes
from ..chance import chance_group, summarize_null
from ..runs import code_grid, codes_frame

__all__ = ["GROUP_KEYS", "N_PERMUTATIONS", "code_matrix", "constant_units", "analyse_codes"]

#: Columns of ``runs.csv`` that name a group of runs.
GROUP_KEYS = ["configuration", "activation", "protocol", "seed"]
#: Shuffles drawn for each group's chance level of agreement.
N_PERMUTATIONS = 200


def code_matrix(codes):
    """The ``(n_inputs, n_units)`` matrix of one run's long-form code table.

    Parameters
    ----------
    codes : DataFrame
        Columns ``input``, ``unit``, ``value`` (one run).

    Returns
    -------
    H : ndarray of float64 of shape (n_inputs, n_units)
    """
    return code_grid(codes)[2]


def constant_units(S):
    """Units whose snapped value is the same for every input (a unit "always 0" is one of them)."""
    S = np.asarray(S)
    return int((S == S[:1]).all(axis=0).sum())


#: The group's chance columns: for its agreement and for its consensus' binary fraction.
CHANCE = ("agreement_chance", "agreement_chance_q95", "agreement_p",
          "consensus_binary_chance", "consensus_binary_chance_q95", "consensus_binary_p")


def _chance(snapped, observed, consensus, seed):
    """The group's chance levels (mean, 95th percentile, p-value of the observed value) of its agreement and of
    its consensus' binary fraction, from the same draws (:func:`aerepro.chance.chance_group`)."""
    if len(snapped) < 2:
        return dict.fromkeys(CHANCE, np.nan)
    agreement, binary = chance_group(snapped, n_permutations=N_PERMUTATIONS, random_state=seed)
    nulls = (summarize_null(agreement, observed), summarize_null(binary, binary_fraction(consensus.to_numpy())))
    return dict(zip(CHANCE, (value for null in nulls for value in null)))


def _group(records, codes_of):
    """Analyse one group: per-run facts, the group's row, aligned and consensus codes.

    The group's valid runs are read by :func:`aerepro.codes.summarize_codes`;
    this adds what a study table needs beside it (dead and constant units,
    the chance level of the agreement, long-form tables).
    """
    valid = [r for r in records["run"] if r in codes_of and np.isfinite(codes_of[r]).all()]
    per_run = pd.DataFrame({"run": records["run"], "aligned": records["run"].isin(valid)})
    per_run["binary_bijection"] = False
    per_run["agreement_with_first"] = np.nan
    per_run["dead_units"] = [int((codes_of[r] == 0).all(axis=0).sum()) if r in valid else np.nan
                             for r in records["run"]]
    per_run["constant_units"] = [constant_units(snap(codes_of[r])) if r in valid else np.nan for r in records["run"]]
    row = {
        "n_runs": len(records),
        "n_valid": len(valid),
        "reconstruct_all": int(records["reconstructs_all"].astype(bool).sum()),
        "collapsed": 0,
        "plateau": 0,
        "dead": 0,
        "bijections": 0,
        "distinct_codes_mean": np.nan,
        "binary_fraction_mean": np.nan,
        "agreement_mean": np.nan,
        "consensus_agreement": np.nan,
        **dict.fromkeys(CHANCE, np.nan),
    }
    if not valid:
        return per_run, row, None, None
    summary = summarize_codes([codes_of[r] for r in valid])
    aligned, snapped = summary["aligned"], summary["snapped"]
    index = per_run.set_index("run").index
    per_run.loc[index.get_indexer(valid), "binary_bijection"] = summary["binary_bijection"]
    per_run.loc[index.get_indexer(valid), "agreement_with_first"] = summary["agreement_with_first"]
    collapsed = summary["symmetric_collapse"]
    dead = [bool((H == 0).all()) for H in aligned]
    mean_agreement = np.nan if summary["mean_agreement"] is None else summary["mean_agreement"]
    row.update(
        collapsed=int(sum(collapsed)),
        plateau=int(sum(c and not d for c, d in zip(collapsed, dead))),
        dead=int(sum(dead)),
        bijections=int(sum(summary["binary_bijection"])),
        distinct_codes_mean=float(np.mean(summary["distinct_codes"])),
        binary_fraction_mean=float(np.mean(summary["binary_fraction"])),
        agreement_mean=mean_agreement,
        consensus_agreement=summary["consensus_agreement"],
        **_chance(snapped, mean_agreement, summary["consensus"], int(records["seed"].iloc[0])),
    )
    aligned_long = pd.concat([codes_frame(r, H).assign(snapped=S.ravel()) for r, S, H in zip(valid, snapped, aligned)],
                             ignore_index=True)
    consensus = summary["consensus"]
    consensus_long = consensus.reset_index().melt(id_vars="input", var_name="unit", value_name="value")
    consensus_long["unit"] = consensus_long["unit"].str.removeprefix("Perceptron").astype(int) - 1
    return per_run, row, aligned_long, consensus_long.sort_values(["input", "unit"], ignore_index=True)


def analyse_codes(records, codes):
    """Align, snap and summarize the codes of every group of a training stage.

    Within a group the runs are aligned to its first valid run (in the order
    of ``records``: the first init of ``params.yaml``), with no column flips
    (the blog did not flip), then snapped to 0, 0.5 and 1.

    Parameters
    ----------
    records : DataFrame
        ``runs.csv`` of a training stage: one row per run with ``run``, the
        :data:`GROUP_KEYS` and ``reconstructs_all``.
    codes : DataFrame
        ``codes.csv``: ``run``, ``input``, ``unit``, ``value``.

    Returns
    -------
    runs : DataFrame
        ``records`` plus ``aligned`` (the run has a code), ``binary_bijection``,
        ``dead_units`` (units exactly 0 for every input),
        ``constant_units`` (units snapped to one value for every input) and
        ``agreement_with_first`` (share of snapped cells equal to the
        group's first run after alignment).
    groups : DataFrame
        One row per group: ``n_runs``, ``n_valid``, ``reconstruct_all``,
        ``collapsed`` (runs whose hidden units are all identical),
        ``plateau`` (collapsed runs whose units are not all dead: the
        symmetric plateau, where a code says nothing about the claims),
        ``dead`` (runs whose every code unit is exactly 0 for every input:
        dead ReLUs, which also look collapsed), ``bijections``,
        ``distinct_codes_mean``, ``binary_fraction_mean``,
        ``agreement_mean`` (of the other runs with the first),
        ``consensus_agreement`` (:func:`aerepro.codes.consensus_agreement`)
        and the chance level of ``agreement_mean``: ``agreement_chance``
        (mean of the permutation null), ``agreement_chance_q95`` and
        ``agreement_p`` (one-sided p-value); the same of the binary fraction
        of the consensus code: ``consensus_binary_chance``,
        ``consensus_binary_chance_q95`` and ``consensus_binary_p``.
    aligned : DataFrame
        ``run, input, unit, value, snapped`` with ``unit`` in aligned order.
    consensus : DataFrame
        The group's :func:`aerepro.codes.consensus_table` in long form:
        the group keys, ``input``, ``unit``, ``value``.
    """
    codes_of = {run: code_matrix(frame) for run, frame in codes.groupby("run", sort=False)}
    per_runs, rows, aligned, consensus = [], [], [], []
    for keys, group in records.groupby(GROUP_KEYS, sort=False):
        per_run, row, aligned_long, consensus_long = _group(group.reset_index(drop=True), codes_of)
        per_runs.append(per_run)
        rows.append({**dict(zip(GROUP_KEYS, keys)), **row})
        if aligned_long is not None:
            aligned.append(aligned_long)
            consensus.append(consensus_long.assign(**dict(zip(GROUP_KEYS, keys))))
    runs = records.merge(pd.concat(per_runs, ignore_index=True), on="run", how="left", validate="one_to_one")
    columns = ["run", "input", "unit", "value", "snapped"]
    aligned = pd.concat(aligned, ignore_index=True) if aligned else pd.DataFrame(columns=columns)
    consensus = (pd.concat(consensus, ignore_index=True)[[*GROUP_KEYS, "input", "unit", "value"]]
                 if consensus else pd.DataFrame(columns=[*GROUP_KEYS, "input", "unit", "value"]))
    return runs, pd.DataFrame(rows), aligned, consensus

