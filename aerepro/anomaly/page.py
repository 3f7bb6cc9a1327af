"""The anomaly study's page: every digit as the normal class, the autoencoder beside PCA and IsolationForest."""

import pandas as pd

from ..intervals import LEVEL
from ..markdown import markdown_table, median_range
from .baselines import AUTOENCODER, AUTOENCODER_BY_LOSS
from .summary import CEILING, COMPARED, borderline_ahead, nearest_miss

__all__ = ["METHOD_NAMES", "difference_spec", "ahead_cell", "shown_table", "verdict", "headline", "borderline_line",
           "ceiling_line", "chosen_counts", "choice_line", "stop_line", "by_loss_line", "anomaly_page"]
#: Method -> its name on the page.
METHOD_NAMES = {AUTOENCODER: "autoencoder", "pca": "PCA", "isolation_forest": "IsolationForest"}


def _name(method):
    return METHOD_NAMES.get(method, method)


def _cell(row, prefix, spec=".3f"):
    """``median [low, high]`` of ``prefix`` in ``row`` (a dash where the interval is undefined)."""
    return median_range(row[f"{prefix}_median"], row[f"{prefix}_low"], row[f"{prefix}_high"], spec)


def difference_spec(table, least=4, most=8):
    """The format of the paired differences: the fewest decimals (at least ``least``) at which no nonzero median or
    bound prints as zero.

    >>> import pandas as pd
    >>> difference_spec(pd.DataFrame({"difference_median": [-0.0002], "difference_low": [-0.0009],
    ...                               "difference_high": [4e-05]}))
    '+.5f'
    """
    values = table[["difference_median", "difference_low", "difference_high"]].to_numpy().ravel()
    values = values[(values != 0) & ~pd.isna(values)]
    decimals = least
    while decimals < most and any(round(abs(v), decimals) == 0 for v in values):
        decimals += 1
    return f"+.{decimals}f"


def ahead_cell(row):
    """``"<first ahead> : <second ahead>"`` splits, with the splits where the two are equal."""
    equal = f" ({row['equal']} equal)" if row["equal"] else ""
    return f"{row['first_ahead']} : {row['second_ahead']}{equal}"


def shown_table(table, methods):
    """The page's table: per digit, each method's median test ROC AUC [interval], the paired difference, the
    splits each of the pair is ahead in, the borderline and ceiling marks."""
    first, second = COMPARED
    rows = table.to_dict("records")
    spec = difference_spec(table)
    return pd.DataFrame({
        "normal digit": table["normal_class"],
        "train images": table["n_train"].round().astype(int),
        **{_name(m): [_cell(r, m) for r in rows] for m in methods},
        f"{_name(first)} − {_name(second)}": [_cell(r, "difference", spec) for r in rows],
        f"splits ahead, {_name(first)} : {_name(second)}": [ahead_cell(r) for r in rows],
        "borderline": ["**yes**" if r["borderline"] else "" for r in rows],
        "at the ceiling": ["**yes**" if r["at_ceiling"] else "" for r in rows],
    })


def verdict(wins, table):
    """The finding in one clause, with its effect sizes: decided only where the interval of the paired difference
    excludes 0."""
    first, second = (_name(m) for m in COMPARED)
    spec = difference_spec(table)
    low = table.loc[table["difference_median"].idxmin()]
    high = table.loc[table["difference_median"].idxmax()]
    sizes = (f"the median paired difference {first} − {second} runs from {low['difference_median']:{spec}} "
             f"(digit {low['normal_class']}) to {high['difference_median']:{spec}} (digit {high['normal_class']})")
    if not wins["first_wins_decided"] and not wins["second_wins_decided"]:
        return f"Not decided: {sizes}, and on no digit does its {LEVEL:.0%} interval exclude 0"
    return (f"{sizes[0].upper()}{sizes[1:]}; its {LEVEL:.0%} interval excludes 0 on "
            f"{wins['second_wins_decided']} of the {wins['below_ceiling']} digits below the ceiling in {second}'s "
            f"favour and on {wins['first_wins_decided']} in the {first}'s; the others are not decided")


def borderline_line(table, splits):
    """The borderline digits: the interval includes 0 while most splits agree, and the splits share images."""
    first, second = COMPARED
    shown = table[table["borderline"]]
    if shown.empty:
        rule = (f"No digit is borderline (its interval including 0 while one method is ahead in at least "
                f"{borderline_ahead(splits)} of the {splits} splits). ")
    else:
        spec = difference_spec(table)
        parts = []
        for r in shown.to_dict("records"):
            leader, ahead = ((first, r["first_ahead"]) if r["first_ahead"] > r["second_ahead"]
                             else (second, r["second_ahead"]))
            parts.append(f"{r['normal_class']} ({_name(leader)} ahead in {ahead} of {r['splits']} splits, "
                         f"{_cell(r, 'difference', spec)})")
        rule = (f"Borderline, the interval including 0 while one method is ahead in at least "
                f"{borderline_ahead(splits)} of the {splits} splits: digit{'s' if len(parts) > 1 else ''} "
                f"{'; '.join(parts)}. ")
    return rule + (f"The {splits} splits re-divide the same images of scikit-learn's digits, so they are not "
                   "independent samples, as the sign test assumes; the intervals are to be read with that in mind. ")


def ceiling_line(table, wins, ceilings):
    """The ceiling as the free cut-off it is: its nearest miss and the count below it at other cut-offs."""
    first, second = (_name(m) for m in COMPARED)
    miss = nearest_miss(table)
    closest = (f"; the nearest miss is digit {miss[0]}, whose {_name(miss[1])} median {miss[2]:.4f} is "
               f"{CEILING - miss[2]:.4f} below it" if miss else "")
    others = "; ".join(f"at {c['ceiling']}, {c['below_ceiling']} digits are below it, the median difference below 0 "
                       f"on {c['second_wins']} and above 0 on {c['first_wins']}" for c in ceilings)
    return (f"The ceiling is a free cut-off applied to these test medians{closest}, and the split below it "
            f"depends on it: {others} (at {CEILING}: {wins['below_ceiling']}, {wins['second_wins']} and "
            f"{wins['first_wins']}). ")


def headline(wins, table, splits, ceilings=(), by_loss_wins=None):
    """The first paragraph: the verdict with its effect sizes, the borderline digits, the count below the
    ceiling and what it depends on (the cut-off, the score)."""
    first, second = (_name(m) for m in COMPARED)
    ceiling = table.loc[table["at_ceiling"], "normal_class"].tolist()
    ties = f"; it is 0 on {wins['ties']}" if wins["ties"] else ""
    sentence = (
        f"**{verdict(wins, table)}.** Each is the median over {splits} splits; no equivalence margin was set "
        "beforehand, so an interval including 0 is not evidence that the two detect equally well. "
        f"{borderline_line(table, splits)}"
        f"Below the ceiling, the median paired difference is below 0 ({second} ahead) on {wins['second_wins']} of "
        f"the {wins['below_ceiling']} digits and above 0 (the {first} ahead) on {wins['first_wins']}{ties}; "
        f"its interval excludes 0 on {wins['second_wins_decided']} of {second}'s digits and "
        f"{wins['first_wins_decided']} of the {first}'s. ")
    if ceiling:
        sentence += (f"{len(ceiling)} of the {len(table)} digits ({', '.join(map(str, ceiling))}) sit at the ceiling, "
                     f"where both medians are at least {CEILING}, and are counted apart (counting them too, "
                     f"the median difference is below 0 on {wins['every_second_wins']} of the {wins['digits']} "
                     f"digits, the interval excluding 0 on {wins['every_second_wins_decided']}). ")
    else:
        sentence += f"No digit sits at the ceiling (both medians at least {CEILING}). "
    if ceilings:
        sentence += ceiling_line(table, wins, ceilings)
    if table["difference_low"].isna().any():
        sentence += (f"With {splits} splits some intervals are undefined (n/a: too few values for {LEVEL:.0%}), "
                     "and no digit counts as decided there. ")
    sentence += "Both methods are scored by the same measure, each test image's squared reconstruction error"
    if by_loss_wins is None:
        return sentence + "."
    return sentence + (f", and the count depends on it: with the {first} scored by its training loss instead, the "
                       f"interval excludes 0 in {second}'s favour on {by_loss_wins['every_second_wins_decided']} of "
                       f"the {by_loss_wins['digits']} digits, against {wins['every_second_wins_decided']} (see below).")


def chosen_counts(records, budgets):
    """``"<budget> epochs on <n>"`` for each candidate budget, as often as the validation chose it."""
    counts = records["chosen_epochs"].value_counts()
    return ", ".join(f"{b} epochs on {int(counts.get(b, 0))}" for b in budgets)


def choice_line(validation):
    """How much of the epoch choice is the tie rule's: validation ROC AUC at its own ceiling."""
    short = [b for b in validation["chosen"] if validation["chosen_at_one"][b]]
    per_budget = ", ".join(f"{validation['chosen_at_one'][b]} of the {validation['chosen'][b]} choosing {b}"
                           for b in validation["chosen"] if validation["chosen"][b])
    if not short:
        return (f"No run's chosen budget reaches validation ROC AUC 1 (median {validation['median']:.4f} over the "
                f"{validation['runs']} runs).")
    return (f"The validation ROC AUC is itself near its ceiling: its median over the {validation['runs']} runs is "
            f"{validation['median']:.4f}, and {validation['at_one']} runs reach 1.000 at their chosen budget "
            f"({per_budget}), where no budget can score higher, so the choice there is the fewest epochs reaching "
            "1.000: the tie rule's, not the measure's, whenever a longer budget reaches it too. The runs keep only "
            "the chosen budget's validation ROC AUC, so the number of ties (at 1.000 or below) is not counted here.")


def stop_line(records, max_iter):
    """Where each budget's weights come from, from the runs: after that epoch, or where the stop rule stopped."""
    early = int((records["epochs"] < max_iter).sum())
    if not early:
        return (f"none of the {len(records)} runs stopped early (all ran the {max_iter} epochs of `max_iter`), so "
                "each candidate is the weights after exactly its number of epochs")
    return (f"{early} of the {len(records)} runs stopped early by the stop rule, and there a budget past the stop "
            "is the weights where it stopped")


def by_loss_line(by_loss, by_loss_wins, wins):
    """The comparison with the autoencoder scored by its own loss instead: the count depends on the score."""
    first, second = (_name(m) for m in COMPARED)
    return (f"Scored instead by its own training loss (minus `score_samples`, each image's mean binary "
            f"cross-entropy), the same autoencoders on the same splits have a median over the digits of "
            f"**{by_loss[f'{AUTOENCODER_BY_LOSS}_median'].median():.3f}**; the median paired difference "
            f"{first} − {second} is then below 0 on {by_loss_wins['every_second_wins']} of the "
            f"{by_loss_wins['digits']} digits, the interval excluding 0 on "
            f"**{by_loss_wins['every_second_wins_decided']}**, against {wins['every_second_wins']} and "
            f"**{wins['every_second_wins_decided']}** scored by the squared error. The count of digits decided "
            f"in {second}'s favour thus depends on the score, a free choice. The two scores are not on an equal "
            f"footing: the {first}'s epochs were chosen by validation ROC AUC under the squared error, so scored by "
            "its loss it is tuned for the other score.")


def anomaly_page(anomaly, model, table, wins, by_loss, by_loss_wins, records, figure, ceilings, validation):
    """The page, markdown: the finding, the protocol, the table of test ROC AUCs, the figure of one digit."""
    est = model.get_params()
    budgets = sorted(est["checkpoint_epochs"])
    methods = [c[:-len("_median")] for c in table.columns if c.endswith("_median") and c != "difference_median"]
    splits = len(anomaly["seeds"])
    medians = {m: table[f"{m}_median"].median() for m in methods}
    first, second = COMPARED
    train_share = 1 - anomaly["test_size"] - anomaly["validation_size"]
    shown_class = anomaly["figure_class"]
    return f"""# Anomaly detection by reconstruction error

Generated by `dvc repro` (stages `anomaly` and `anomaly-report`) from `params.yaml` (block `anomaly`).

{headline(wins, table, splits, ceilings, by_loss_wins)}

**This goes beyond the paper.** The paper mentions the use in one sentence ("autoencoders can be used
to spot anomalies in large datasets") and runs no such experiment; everything here is ours.

## How the detectors were fitted, chosen and scored

*Split.* Each digit in turn is the normal class (scikit-learn's 8x8 digits, scaled to [0, 1]). For each
of {splits} seeds ({', '.join(map(str, anomaly['seeds']))}), every digit's images are split, stratified by
digit, into train ({train_share:.0%}), validation ({anomaly['validation_size']:.0%}) and test
({anomaly['test_size']:.0%}) images; the seed is also the `random_state` of the autoencoder and of
IsolationForest. A detector of one digit is fitted on that digit's train images
({int(records['n_train'].min())} to {int(records['n_train'].max())}), its setting is chosen on the
{int(records['n_validation'].iloc[0])} validation images (that digit's as normal, the other digits' as
anomalies), and it is scored on the test images only (that digit's
{int(records['n_test_normal'].min())} to {int(records['n_test_normal'].max())} against the other digits'
{int(records['n_test_anomalies'].min())} to {int(records['n_test_anomalies'].max())}), which neither
fitting nor choosing saw. {len(records)} runs: {len(table)} digits x {splits} seeds.

*Methods*, fitted on the same train images:

- an `AutoEncoder` ({est['hidden_layer_sizes']} hidden units, {est['activation']}, trained by {est['solver']}
  on the {est['loss']} loss, learning rate {est['learning_rate_init']}, batch size {est['batch_size']}),
  scored by each test image's squared reconstruction error, the sum over its pixels of `(x - predict(x))**2`.
  Its number of training epochs is the one setting chosen: among the candidates
  {', '.join(map(str, budgets))} epochs (the shares {', '.join(map(str, anomaly['epoch_fractions']))} of
  `max_iter` {est['max_iter']}), the one whose validation ROC AUC (scored by the same squared error) is
  highest, a tie going to the fewest epochs. One fit per run gives every candidate: the weights are kept
  after each budget, where a fit with that `max_iter` would have stopped; {stop_line(records, est['max_iter'])}.
  Chosen: {chosen_counts(records, budgets)} of the {len(records)} runs. {choice_line(validation)}
- PCA with as many components as the autoencoder's code ({int(records['n_code'].iloc[0])}), not tuned,
  scored by the same squared error, of `inverse_transform(transform(X))`;
- scikit-learn's `IsolationForest` (default settings, not tuned), scored by minus its `score_samples`:
  it reconstructs nothing, so it keeps a score of its own.

Only the autoencoder has a setting chosen on the validation images; PCA and IsolationForest have none.

## Test ROC AUC per digit

ROC AUC on the test images (`sklearn.metrics.roc_auc_score`, "is another digit" against the score), the
median over the {splits} splits [its {LEVEL:.0%} interval, sign test; a dash where too few splits leave it
undefined]; the last number column is the paired difference {_name(first)} − {_name(second)} of each split
(both on the same split), its median [interval], and the splits in which each of the two is ahead. A digit is
**borderline** when that interval includes 0 but one of the two is ahead in at least {borderline_ahead(splits)} of the
{splits} splits, and **at the ceiling** when both {_name(first)}'s and {_name(second)}'s medians are at least {CEILING}.

{markdown_table(shown_table(table, methods))}

Median over the {len(table)} digits of the per-digit medians:
{', '.join(f'{_name(m)} **{v:.3f}**' for m, v in medians.items())}; of the paired difference
{_name(first)} − {_name(second)}: **{table['difference_median'].median():{difference_spec(table)}}**.

{by_loss_line(by_loss, by_loss_wins, wins)}

## Scores of one digit

The test scores of the first seed ({anomaly['seeds'][0]}) with digit {shown_class} as the normal class,
the autoencoder after its chosen epochs and PCA:

![scores]({figure})

*Histograms (density) of each test image's squared reconstruction error, for the normal digit and for the
others, by the autoencoder (left) and by PCA (right); the further apart the two, the better the detector.*
"""
