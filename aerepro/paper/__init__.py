"""The paper's experiment: its 3-4-3 autoencoder, the variants it names, its worked example.

``grid`` (variants x seeds of ``paper`` in params.yaml), ``analysis`` (the
printed network and its forward pass), ``page`` and ``figures``; ``train``
is the body of its stage.
"""
