"""The symmetric start: the blog's networks from an exact constant init, watched until their units separate.

``grid`` (the runs of ``symmetry`` in params.yaml: every configuration x
constant x dtype trained past the plateau, a perturbation arm, and the
blog's stop rule read two ways), ``analysis`` (when the units separate, and
which reading of the stop rule lands nearest the blog's numbers), ``page``
and ``figures``; ``train`` and ``report`` are the bodies of its stages.
"""
