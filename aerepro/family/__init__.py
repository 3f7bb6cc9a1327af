"""The N-log2(N)-N encoder family: many seeds per N, success rates and work.

``grid`` (the runs of ``family`` in params.yaml, trained stack by stack),
``analysis`` (success over seeds, the plateau, work against N), ``page``
and ``figures`` (the report); ``train`` and ``report`` are the bodies of
its stages.
"""
