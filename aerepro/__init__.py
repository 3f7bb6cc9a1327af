"""aerepro: the reproduction of two autoencoder sources, built on the ``ae`` library.

One folder per study (``blog``, ``family``, ``paper``, ``anomaly``), each
holding its grid, its analysis, its figures and its page, and the stage
bodies the thin scripts of ``stages/`` call; beside them the rooms every
study shares, each built once: the run-folder contract (:mod:`aerepro.runs`),
grids of runs (:mod:`aerepro.grid`), code analysis (:mod:`aerepro.codes`),
markdown (:mod:`aerepro.markdown`), figures (:mod:`aerepro.figures`),
reading params (:mod:`aerepro.params`) and its rules (:mod:`aerepro.validation`), atomic files (:mod:`aerepro.io`), the
tracking store (:mod:`aerepro.store`) and MLflow logging
(:mod:`aerepro.tracking`).

This package imports nothing on import, so a stage's dependencies are
exactly the modules it imports (``tests/test_layout.py`` checks them
against ``dvc.yaml``).
"""
