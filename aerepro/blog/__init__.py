"""The blog study: 16-x-16 and 16-8-4-8-16 autoencoders from constant weights.

``grid`` (the runs of ``study`` in params.yaml), ``analysis`` (codes lined
up and snapped per group), ``claims`` and ``sources`` (the blog's numbers
and sentences), ``page`` and ``figures`` (the report); ``train``,
``analyse`` and ``report`` are the bodies of its stages.
"""
