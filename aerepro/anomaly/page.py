"""The anomaly study's page: every digit as the normal class, the autoencoder beside PCA and IsolationForest."""

import pandas as pd

from ..intervals import LEVEL
from ..markdown import markdown_table, median_range
from .baselines import AUTOENCODER, AUTOENCODER_BY_LOSS
from .summary import CEILING, COMPARED

__all__ = ["METHOD_NAMES", "shown_table", "verdict", "headline", "chosen_counts", "by_loss_line", "anomaly_page"]
#: Method -> its name on the page.
METHOD_NAMES = {AUTOENCODER: "autoencoder", "pca": "PCA", "isolation_forest": "IsolationForest"}


def _name(method):
    return METHOD_NAMES.get(method, method)


def _cell(row, prefix, spec=".3f"):
    """``median [low, high]`` of ``prefix`` in ``row`` (a dash where the interval is undefined)."""
    return median_range(row[f"{prefix}_median"], row[f"{prefix}_low"], row[f"{prefix}_high"], spec)


def shown_table(table, methods):
    """The page's table: per digit, each method's median test ROC AUC [interval], the paired difference, the
    ceiling mark."""
    first, second = COMPARED
    rows = table.to_dict("records")
    return pd.DataFrame({
        "normal digit": table["normal_class"],
        "train images": table["n_train"].round().astype(int),
        **{_name(m): [_cell(r, m) for r in rows] for m in methods},
        f"{_name(first)} − {_name(second)}": [_cell(r, "difference", "+.4f") for r in rows],
        "at the ceiling": ["**yes**" if r["at_ceiling"] else "" for r in rows],
    })


def verdict(wins):
    """The finding in one clause, counting only the differences whose interval excludes 0."""
    first, second = (_name(m) for m in COMPARED)
    if not wins["first_wins_decided"] and not wins["second_wins_decided"]:
        return f"On no digit does {second} or the {first} win with the interval of their difference excluding 0"
    return (f"{second} beats the {first} on {wins['second_wins_decided']} and the {first} beats {second} on "
            f"{wins['first_wins_decided']} of the {wins['below_ceiling']} digits below the ceiling, counting only "
            "differences whose interval excludes 0")


def headline(wins, table, splits):
    """The first paragraph: the verdict, the win count of the compared pair below the ceiling, the ceiling apart."""
    first, second = (_name(m) for m in COMPARED)
    ceiling = table.loc[table["at_ceiling"], "normal_class"].tolist()
    ties = f"; they tie on {wins['ties']}" if wins["ties"] else ""
    sentence = (
        f"**{verdict(wins)}.** Below the ceiling, {second}'s median test ROC AUC is above the {first}'s on "
        f"{wins['second_wins']} of the {wins['below_ceiling']} digits and the {first}'s above {second}'s on "
        f"{wins['first_wins']}{ties} (the median over {splits} splits of the paired difference {first} − {second}); "
        f"its interval excludes 0 on {wins['second_wins_decided']} of {second}'s digits and "
        f"{wins['first_wins_decided']} of the {first}'s. ")
    if ceiling:
        sentence += (f"{len(ceiling)} of the {len(table)} digits ({', '.join(map(str, ceiling))}) sit at the ceiling, "
                     f"where both medians are at least {CEILING}, and are counted apart (counting them too, "
                     f"{second}'s median is above on {wins['every_second_wins']} of the {wins['digits']} digits, "
                     f"the interval excluding 0 on {wins['every_second_wins_decided']}). ")
    else:
        sentence += f"No digit sits at the ceiling (both medians at least {CEILING}). "
    if table["difference_low"].isna().any():
        sentence += (f"With {splits} splits some intervals are undefined (n/a: too few values for {LEVEL:.0%}), "
                     "and no digit counts as decided there. ")
    return sentence + "Both methods are scored by the same measure: each test image's squared reconstruction error."


def chosen_counts(records, budgets):
    """``"<budget> epochs on <n>"`` for each candidate budget, as often as the validation chose it."""
    counts = records["chosen_epochs"].value_counts()
    return ", ".join(f"{b} epochs on {int(counts.get(b, 0))}" for b in budgets)


def by_loss_line(by_loss, by_loss_wins, wins):
    """The comparison with the autoencoder scored by its own loss instead: what the measure alone changes."""
    first, second = (_name(m) for m in COMPARED)
    return (f"Scored instead by its own training loss (minus `score_samples`, each image's mean binary "
            f"cross-entropy, as this page did before), the same autoencoders on the same splits have a median over "
            f"the digits of **{by_loss[f'{AUTOENCODER_BY_LOSS}_median'].median():.3f}**; {second}'s median is then "
            f"above theirs on {by_loss_wins['every_second_wins']} of the {by_loss_wins['digits']} digits, the interval "
            f"excluding 0 on **{by_loss_wins['every_second_wins_decided']}**, against "
            f"{wins['every_second_wins']} and **{wins['every_second_wins_decided']}** scored by the squared error: "
            f"with the models and splits unchanged, the measure alone moves these counts.")


def anomaly_page(anomaly, model, table, wins, by_loss, by_loss_wins, records, figure):
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

{headline(wins, table, splits)}

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
  after each budget, where a fit with that `max_iter` would have stopped (or where the stop rule stopped
  it, if earlier). Chosen: {chosen_counts(records, budgets)} of the {len(records)} runs;
- PCA with as many components as the autoencoder's code ({int(records['n_code'].iloc[0])}), not tuned,
  scored by the same squared error, of `inverse_transform(transform(X))`;
- scikit-learn's `IsolationForest` (default settings, not tuned), scored by minus its `score_samples`:
  it reconstructs nothing, so it keeps a score of its own.

Only the autoencoder has a setting chosen on the validation images; PCA and IsolationForest have none.

## Test ROC AUC per digit

ROC AUC on the test images (`sklearn.metrics.roc_auc_score`, "is another digit" against the score), the
median over the {splits} splits [its {LEVEL:.0%} interval, sign test; a dash where too few splits leave it
undefined]; the last number column is the paired difference {_name(first)} − {_name(second)} of each split
(both on the same split), its median [interval]. A digit is **at the ceiling** when both
{_name(first)}'s and {_name(second)}'s medians are at least {CEILING}.

{markdown_table(shown_table(table, methods))}

Median over the {len(table)} digits of the per-digit medians:
{', '.join(f'{_name(m)} **{v:.3f}**' for m, v in medians.items())}; of the paired difference
{_name(first)} − {_name(second)}: **{table['difference_median'].median():+.4f}**.

{by_loss_line(by_loss, by_loss_wins, wins)}

## Scores of one digit

The test scores of the first seed ({anomaly['seeds'][0]}) with digit {shown_class} as the normal class,
the autoencoder after its chosen epochs and PCA:

![scores]({figure})

*Histograms (density) of each test image's squared reconstruction error, for the normal digit and for the
others, by the autoencoder (left) and by PCA (right); the further apart the two, the better the detector.*
"""
