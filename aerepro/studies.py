"""The registry: every study of the reproduction, and the schema of the whole ``params.yaml``.

A study is a folder under ``aerepro/`` with the same contract:

- ``schema.py``: ``SCHEMA``, its slice of the params schema (:mod:`aerepro.schema`);
- ``grid.py``: the expansion of its params into runs (:class:`aerepro.grid.GridRun`);
- ``train.py``: ``PARAMS`` (the keys it reads) and ``train(params_file, ...)``,
  which writes a run folder (:mod:`aerepro.runs`);
- ``analyse.py`` where it has one: ``PARAMS`` and ``analyse...(params_file, ...)``;
- ``report.py``: ``PARAMS`` and ``report(params_file, ...)``, which writes its page.

Each of its stages in ``dvc.yaml`` runs one of these through a thin script
under ``stages/`` and lists exactly that module's ``PARAMS``. Nothing on the
shared floor imports a study, and no study imports another; the stages
import only their own study, never this registry. A new study is one
folder, one line in :data:`STUDIES` and its stages in ``dvc.yaml``.
"""

from . import datasets, params, track
from .anomaly import schema as anomaly
from .blog import schema as blog
from .family import schema as family
from .loss import schema as loss
from .paper import schema as paper
from .schema import check_params
from .symmetry import schema as symmetry

__all__ = ["STUDIES", "SCHEMA", "validate_params"]

#: Study name (its folder under aerepro/) -> its schema module.
STUDIES = {"blog": blog, "symmetry": symmetry, "paper": paper, "anomaly": anomaly, "family": family, "loss": loss}

#: The whole file: the shared sections (data, train, tracking) and every study's slice.
SCHEMA = datasets.SCHEMA | blog.SCHEMA | paper.SCHEMA | anomaly.SCHEMA | params.SCHEMA | family.SCHEMA | \
    track.SCHEMA | symmetry.SCHEMA | loss.SCHEMA


def validate_params(parsed):
    """Every problem of a whole parsed ``params.yaml`` (each stage checks only the keys it reads).

    Examples
    --------
    >>> problems = validate_params({"train": {"n_jobs": "two", "curve_points": 10}, "tracking": {}})
    >>> [p for p in problems if not p.endswith(": missing")]
    ["train.n_jobs: expected an integer other than 0 or null, got 'two'"]
    """
    return check_params(parsed, SCHEMA)
