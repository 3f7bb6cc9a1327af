"""The paper's experiment: its 3-4-3 autoencoder, the variants it names, its worked example.

``grid`` (variants x seeds, and batch sizes x seeds, of ``paper`` in
params.yaml), ``analysis`` (the printed network: its forward pass and its
loss on the patterns), ``properties`` (each variant measured by what
defines it), ``batches`` (the batch-size table), ``page`` and ``figures``;
``train`` is the body of its stage.
"""
