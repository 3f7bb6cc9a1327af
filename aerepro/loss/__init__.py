"""Cross-entropy against MSE: the blog's reason for its loss, measured (issue 31).

``grid`` (the runs of ``loss`` in params.yaml: the blog's configurations
trained with each loss from the blog's starts, to a common budget),
``measures`` (when a run reconstructs, its final error in one measure for
both losses, and MSE's gradient factor 2p(1-p)), ``analysis`` (the claim
decided per configuration on the paired starts, censored runs kept),
``claim`` (its row on the blog page), ``page`` and ``figures``; ``train`` and
``report`` are the bodies of its stages.
"""
