"""``AutoEncoder``: a scikit-learn transformer that learns a narrow code."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from .activations import ACTIVATIONS
from .corruption import NOISES
from .initializers import INITIALIZERS
from .losses import LOSSES, TARGET_RANGES
from .network import Architecture, check_hidden_layer_sizes, forward
from .optimizers import SOLVERS
from .records import RECORDS
from .stopping import STOP_RULES
from .training import fit_stack

__all__ = ["AutoEncoder"]


#: How far past a loss's target range an input may lie: a scaler's rounding (MinMaxScaler gives 1 + 2e-16).
_RANGE_SLACK = 1e-6


def _check_targets(X, loss):
    """Refuse inputs outside the range ``loss`` is defined on (an autoencoder's targets are its inputs)."""
    bounds = TARGET_RANGES[loss]
    if bounds is None or not X.size:
        return
    low, high = float(X.min()), float(X.max())
    if low < bounds[0] - _RANGE_SLACK or high > bounds[1] + _RANGE_SLACK:
        raise ValueError(
            f"loss={loss!r} needs inputs in [{bounds[0]:g}, {bounds[1]:g}] (they are also the targets), got values in "
            f"[{low:.4g}, {high:.4g}]: scale them first (e.g. sklearn.preprocessing.MinMaxScaler) or use loss='mse'."
        )


class AutoEncoder(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Fully connected autoencoder trained by backpropagation, in NumPy.

    The network maps ``n_features`` inputs through ``hidden_layer_sizes`` back
    to ``n_features`` outputs and is trained to reconstruct its input. The
    *code* is the output of the narrowest hidden layer (the first of equals):
    :meth:`transform` returns it, :meth:`inverse_transform` decodes it.

    Parameters
    ----------
    hidden_layer_sizes : array-like of int, default=(5,)
        Width of each hidden layer: ``(5,)`` is 16-5-16 on 16 features,
        ``(8, 4, 8)`` is 16-8-4-8-16.
    activation : {"sigmoid", "relu", "leaky_relu", "tanh", "identity"}, default="sigmoid"
        Activation of every hidden layer.
    output_activation : {"sigmoid", "relu", "leaky_relu", "tanh", "identity"}, default="sigmoid"
        Activation of the output layer.
    leaky_relu_slope : float, default=0.01
        Slope of ``leaky_relu`` for negative inputs, in ``[0, 1]``.
    loss : {"binary_crossentropy", "mse"}, default="binary_crossentropy"
        Reconstruction loss, the mean over all samples x outputs as Keras
        reports it. The cross-entropy clips predictions to
        ``[1e-7, 1 - 1e-7]`` (zero gradient where clipped); ``mse`` has no
        factor 1/2.
    solver : {"rmsprop", "sgd", "adam"}, default="adam"
        ``rmsprop``: ``a = rho a + (1 - rho) g**2; w -= lr g / (sqrt(a) + epsilon)``;
        ``sgd``: ``v = momentum v + g; w -= lr v``; ``adam``: bias-corrected Adam.
    learning_rate_init : float, default=0.001
        Step size of every solver.
    rho : float, default=0.9
        Decay of RMSProp's squared-gradient average.
    momentum : float, default=0.0
        Momentum of ``sgd``.
    beta_1, beta_2 : float, default=0.9, 0.999
        Adam's decay rates of the first and second moment estimates.
    epsilon : float, default=1e-8
        Added to the denominator of ``rmsprop`` and ``adam``.
    batch_size : int or None, default=None
        Samples per update. ``None`` is the full batch (one update per epoch);
        ``1`` is one update per sample.
    shuffle : bool, default=True
        Shuffle the samples every epoch when ``batch_size`` is smaller than
        the data.
    max_iter : int, default=200
        Maximum number of epochs; reaching it emits a ``ConvergenceWarning``.
    tol : float, default=1e-4
        Training stops once the epoch loss changes by less than ``tol`` for
        ``n_iter_no_change`` consecutive epochs (``stop_rule="change"``), or
        once it has not improved on its best by more than ``tol`` for
        ``n_iter_no_change`` consecutive epochs (``stop_rule="improvement"``).
    n_iter_no_change : int, default=10
        See ``tol``; ``1`` stops at the first such epoch.
    stop_rule : {"change", "improvement"}, default="change"
        How ``tol`` and ``n_iter_no_change`` are read.
        ``"change"``: an epoch is calm when ``|loss(t-1) - loss(t)| < tol``
        (the blog's "loss changes less than tol" read literally); the first
        epoch never is.
        ``"improvement"``: Keras' ``EarlyStopping(monitor="loss",
        min_delta=tol, patience=n_iter_no_change)``, an epoch is calm unless
        ``loss(t) + tol`` is below the best loss so far (the first epoch
        sets the best). See :data:`ae.stopping.STOP_RULES`.
    init : {"constant", "glorot_uniform", "he_uniform", "normal", "uniform"}, default="glorot_uniform"
        Weight initializer (biases start at 0). ``constant`` sets every weight
        to ``init_value`` plus ``init_jitter * N(0, 1)``; ``normal`` draws
        from ``N(0, init_value**2)``; ``uniform`` from ``U(-|init_value|, |init_value|)``.
    init_value : float, default=1.0
        The constant of ``init="constant"``, the standard deviation of
        ``init="normal"``, the half-width of ``init="uniform"``.
    init_jitter : float, default=0.0
        Standard deviation of the noise added to a constant init. With 0 and
        a hidden layer wider than 1 the hidden units start identical: they
        stay so in exact arithmetic, but in floating point the symmetry is
        unstable and rounding (which depends on the BLAS kernel) may or may
        not separate them; a :class:`~ae.SymmetricInitWarning` says so.
    alpha : float, default=0.0
        L2 penalty: ``0.5 * alpha * ||W||**2 / batch_size`` is added to the
        loss (weights only, not biases).
    noise : float, default=0.0
        Denoising: corrupt the inputs (never the targets) while training,
        afresh every epoch, from ``random_state``. ``0`` trains exactly as
        without the option.
    noise_type : {"gaussian", "masking"}, default="gaussian"
        ``gaussian`` adds ``noise * N(0, 1)``; ``masking`` zeroes each input
        with probability ``noise`` (then ``noise <= 1``).
    dropout : float, default=0.0
        Inverted dropout on every hidden layer while training: a unit is
        dropped with this probability and the survivors scaled by
        ``1 / (1 - dropout)``. Off in ``transform`` and ``predict``.
    sparsity_weight : float, default=0.0
        Sparse autoencoder: adds ``sparsity_weight * sum_j KL(sparsity_target
        || rho_j)`` to the loss, ``rho_j`` being code unit ``j``'s mean
        activation over the batch. Needs sigmoid hidden layers.
    sparsity_target : float, default=0.05
        Target mean activation of the code units, in ``(0, 1)``.
    dtype : {"float64", "float32"}, default="float64"
        Floating-point type of the network's math: parameters, gradients,
        optimizer state, activations, losses and penalties, and the training
        data (cast to it). The hyperparameters and constants (learning rate,
        ``epsilon``, the loss's clipping at ``1e-7``, ...) are rounded to it
        and the initial weights drawn in float64 and rounded, so float32
        math never upcasts. The outputs of :meth:`transform`,
        :meth:`inverse_transform`, :meth:`predict` and
        :meth:`score_samples`, and ``coefs_`` and ``intercepts_``, are of
        this dtype whatever the input's (so the estimator preserves exactly
        this dtype); ``loss_curve_`` stays float64, holding the losses
        exactly. Models of different dtypes never share a stack in
        :func:`~ae.fit_many`.
    record : tuple of str, default=()
        Quantities to record while training, names from
        :data:`ae.records.RECORDS`: ``"unit_spread"`` (for each hidden layer
        wider than one unit, the largest over the training samples of the
        spread, max - min over its units, of its activation; the largest over
        the layers: whether units that started identical have separated) and
        ``"weight_spread"`` (the same spread over the units' incoming and
        outgoing parameters). Computed on the clean training data (no noise,
        no dropout) at the epochs of ``record_every``, into ``records_``.
        ``()`` records nothing and costs nothing.
    record_every : int, default=1
        Record after every ``record_every``-th epoch (epochs counted as
        ``n_iter_`` counts them), and the starting weights as epoch 0.
    checkpoint_epochs : array-like of int, default=()
        Epochs after which to keep a copy of the weights in
        ``checkpoints_`` (``0``: the starting weights); epochs the fit does
        not reach are left out.
    random_state : int, RandomState instance or None, default=None
        Seeds the init, the shuffling and every other random draw of a fit.
    verbose : int, default=0
        ``1`` prints a line when training stops.
    warm_start : bool, default=False
        Start ``fit`` from the current ``coefs_`` and ``intercepts_`` (which
        may be set by hand), with a fresh optimizer state.

    Attributes
    ----------
    coefs_ : list of ndarray of shape (n_in, n_out)
        Weight matrices, of the ``dtype`` parameter; a layer computes
        ``a @ W + b``.
    intercepts_ : list of ndarray of shape (n_out,)
        Bias vectors, of the ``dtype`` parameter.
    loss_curve_ : ndarray of shape (n_iter_,)
        The loss of every epoch: the batch losses of the epoch averaged
        (weighted by batch size), each computed before its update; float64
        (exactly the values computed in ``dtype``).
    n_iter_ : int
        Number of epochs trained.
    records_ : dict of str to ndarray of shape (n_records,)
        For each name of ``record``, its value after each epoch of
        ``record_epochs_`` (float64, holding values computed in ``dtype``);
        ``{}`` when nothing is recorded. Like ``loss_curve_``, continued by
        ``warm_start`` and ``partial_fit`` (restarted when ``record`` names
        other quantities).
    record_epochs_ : ndarray of int of shape (n_records,)
        The epochs recorded: 0 for the starting weights, then the multiples
        of ``record_every`` trained.
    checkpoints_ : dict of int to (list of ndarray, list of ndarray)
        For each epoch of ``checkpoint_epochs`` reached, copies of
        ``(coefs_, intercepts_)`` after it.
    architecture_ : ~ae.network.Architecture
        The network trained: layer sizes (``n_features_in_``, the hidden
        widths, ``n_features_in_``), each layer's activation, the code layer
        (``architecture_.code_layer``) and its width (``architecture_.n_code``),
        as :meth:`resolve_architecture` gave it when the fit started.
    stop_reason_ : {"converged", "max_iter", "diverged", "epochs"}
        Why the last fit stopped.
    train_seconds_ : float
        Wall time of the last fit, from its start to this model's stop (for
        models trained together by :func:`~ae.fit_many`, the stack's clock).
    stack_size_ : int
        Number of models trained together with this one (1 for ``fit``).
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` had string column names.

    Examples
    --------
    >>> import numpy as np
    >>> from ae import AutoEncoder
    >>> X = np.eye(8)
    >>> model = AutoEncoder(hidden_layer_sizes=(3,), learning_rate_init=0.05,
    ...                     max_iter=2000, random_state=0).fit(X)
    >>> model.transform(X).shape
    (8, 3)
    >>> bool(np.all(model.predict(X).argmax(axis=1) == np.arange(8)))
    True
    """

    _parameter_constraints: dict = {
        "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "output_activation": [StrOptions(set(ACTIVATIONS))],
        "leaky_relu_slope": [Interval(Real, 0, 1, closed="both")],
        "loss": [StrOptions(set(LOSSES))],
        "solver": [StrOptions(set(SOLVERS))],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "rho": [Interval(Real, 0, 1, closed="left")],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
        "shuffle": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "stop_rule": [StrOptions(set(STOP_RULES))],
        "init": [StrOptions(set(INITIALIZERS))],
        "init_value": [Interval(Real, None, None, closed="neither")],
        "init_jitter": [Interval(Real, 0, None, closed="left")],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "noise": [Interval(Real, 0, None, closed="left")],
        "noise_type": [StrOptions(set(NOISES))],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "sparsity_weight": [Interval(Real, 0, None, closed="left")],
        "sparsity_target": [Interval(Real, 0, 1, closed="neither")],
        "dtype": [StrOptions({"float64", "float32"})],
        "record": [tuple, list],
        "record_every": [Interval(Integral, 1, None, closed="left")],
        "checkpoint_epochs": ["array-like"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
    }

    def __init__(
        self,
        hidden_layer_sizes=(5,),
        *,
        activation="sigmoid",
        output_activation="sigmoid",
        leaky_relu_slope=0.01,
        loss="binary_crossentropy",
        solver="adam",
        learning_rate_init=0.001,
        rho=0.9,
        momentum=0.0,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        batch_size=None,
        shuffle=True,
        max_iter=200,
        tol=1e-4,
        n_iter_no_change=10,
        stop_rule="change",
        init="glorot_uniform",
        init_value=1.0,
        init_jitter=0.0,
        alpha=0.0,
        noise=0.0,
        noise_type="gaussian",
        dropout=0.0,
        sparsity_weight=0.0,
        sparsity_target=0.05,
        dtype="float64",
        record=(),
        record_every=1,
        checkpoint_epochs=(),
        random_state=None,
        verbose=0,
        warm_start=False,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.output_activation = output_activation
        self.leaky_relu_slope = leaky_relu_slope
        self.loss = loss
        self.solver = solver
        self.learning_rate_init = learning_rate_init
        self.rho = rho
        self.momentum = momentum
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.max_iter = max_iter
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.stop_rule = stop_rule
        self.init = init
        self.init_value = init_value
        self.init_jitter = init_jitter
        self.alpha = alpha
        self.noise = noise
        self.noise_type = noise_type
        self.dropout = dropout
        self.sparsity_weight = sparsity_weight
        self.sparsity_target = sparsity_target
        self.dtype = dtype
        self.record = record
        self.record_every = record_every
        self.checkpoint_epochs = checkpoint_epochs
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start

    # -- fitting -----------------------------------------------------------

    def resolve_architecture(self, n_features):
        """The network these parameters give on ``n_features`` inputs.

        The one place where ``hidden_layer_sizes``, ``activation``,
        ``output_activation`` and ``leaky_relu_slope`` become layers: ``fit``
        stores the result as ``architecture_`` and trains, encodes and
        decodes with it. ``hidden_layer_sizes`` itself is left as given.

        Parameters
        ----------
        n_features : int
            Width of the input (and of the reconstruction).

        Returns
        -------
        architecture : ~ae.network.Architecture
            ``layer_sizes``, ``activations``, ``code_layer`` (index of the
            first narrowest hidden layer) and ``n_code``.

        Raises
        ------
        ValueError
            When ``hidden_layer_sizes`` is not a non-empty sequence of
            positive integers.

        Examples
        --------
        >>> arch = AutoEncoder([8, 4, 8], activation="tanh").resolve_architecture(16)
        >>> arch.layer_sizes, arch.code_layer, arch.n_code
        ((16, 8, 4, 8, 16), 1, 4)
        >>> arch.activations
        ('tanh', 'tanh', 'tanh', 'sigmoid')
        """
        return Architecture.from_params(
            n_features, self.hidden_layer_sizes, self.activation, self.output_activation, self.leaky_relu_slope
        )

    def check_params(self, *, constraints=True):
        """Check the parameters as ``fit`` does, without data.

        First each parameter against its constraint in
        ``_parameter_constraints`` (scikit-learn's check), then the rules
        between parameters: ``hidden_layer_sizes`` is a non-empty sequence
        of positive integers, ``noise <= 1`` with ``noise_type="masking"``,
        ``sparsity_weight > 0`` only with sigmoid hidden layers, ``record``
        names entries of :data:`ae.records.RECORDS` and
        ``checkpoint_epochs`` are integers ``>= 0``.
        Nothing is set on the estimator.

        Parameters
        ----------
        constraints : bool, default=True
            Check each parameter against its constraint. ``False`` checks
            only the rules between parameters, for a caller that has checked
            each value already (the constraints cost about 0.15 ms an
            estimator, twenty times the rules).

        Returns
        -------
        self : AutoEncoder
            The estimator, unchanged.

        Raises
        ------
        sklearn.utils._param_validation.InvalidParameterError
            A parameter of the wrong type or out of its range (a subclass of
            ``ValueError``), naming it.
        ValueError
            A rule between parameters is broken.

        Examples
        --------
        >>> AutoEncoder((8, 4, 8), noise=0.3, noise_type="masking").check_params().noise
        0.3
        >>> AutoEncoder(noise=1.5, noise_type="masking").check_params()
        Traceback (most recent call last):
        ...
        ValueError: noise must be in [0, 1] with noise_type='masking' (a fraction), got 1.5.
        """
        if constraints:
            self._validate_params()
        self._check_rules()
        return self

    def prepare_fit(self, X):
        """Check the parameters and ``X`` as ``fit`` does, before training.

        :meth:`check_params`, then ``X`` (finite, at least one sample, 2-D);
        sets what ``fit`` learns of the input before training:
        ``n_features_in_``, ``feature_names_in_`` and ``architecture_``
        (:meth:`resolve_architecture` on ``X``'s width). This is how
        :func:`~ae.fit_many` readies the models it trains together.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
            The data as training uses it: an array of the ``dtype`` parameter.

        Raises
        ------
        ValueError
            A parameter (see :meth:`check_params`) or ``X`` is invalid;
            parameters are checked first.
        """
        self._validate_params()
        return self._prepare_fit(X, reset=True)

    def _check_rules(self):
        """The rules between parameters (see :meth:`check_params`)."""
        check_hidden_layer_sizes(self.hidden_layer_sizes)
        if self.noise_type == "masking" and self.noise > 1:
            raise ValueError(f"noise must be in [0, 1] with noise_type='masking' (a fraction), got {self.noise!r}.")
        if self.sparsity_weight and self.activation != "sigmoid":
            raise ValueError(
                f"sparsity_weight > 0 needs sigmoid hidden layers (mean activations in (0, 1)), "
                f"got activation={self.activation!r}."
            )
        unknown = [name for name in self.record if not isinstance(name, str) or name not in RECORDS]
        if unknown:
            raise ValueError(f"record names quantities of {sorted(RECORDS)}, got {unknown}.")
        epochs = np.asarray(self.checkpoint_epochs)
        if epochs.ndim != 1 or (epochs.size and (epochs.dtype.kind not in "iu" or epochs.min() < 0)):
            raise ValueError(
                f"checkpoint_epochs must be a sequence of epochs (integers >= 0), got {self.checkpoint_epochs!r}."
            )

    def _prepare_fit(self, X, reset):
        # The parameters' own constraints were checked by _fit_context (fit,
        # partial_fit) or by prepare_fit.
        self._check_rules()
        X = validate_data(self, X, reset=reset, dtype=self.dtype, ensure_min_samples=1)
        _check_targets(X, self.loss)
        self.architecture_ = self.resolve_architecture(X.shape[1])
        return X

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Train the autoencoder to reconstruct ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data; values in ``[0, 1]`` for the cross-entropy loss.
        y : None
            Ignored.

        Returns
        -------
        self : AutoEncoder
            The fitted estimator.
        """
        X = self._prepare_fit(X, reset=not (self.warm_start and hasattr(self, "coefs_")))
        fit_stack([self], X)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None):
        """Train one more epoch on ``X``, keeping the optimizer state.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : None
            Ignored.

        Returns
        -------
        self : AutoEncoder
            The estimator, trained one epoch further.
        """
        first = not hasattr(self, "coefs_")
        X = self._prepare_fit(X, reset=first)
        fit_stack([self], X, epochs=1, reset=first)
        return self

    # -- using a fitted model ------------------------------------------------

    def _architecture(self):
        """``architecture_``; for weights set by hand without a fit, the one the parameters give them."""
        try:
            return self.architecture_
        except AttributeError:
            return self.resolve_architecture(self.coefs_[0].shape[0])

    @property
    def _n_features_out(self):
        # scikit-learn's hook for get_feature_names_out; use architecture_.n_code.
        return self._architecture().n_code

    def _forward(self, X, start=0, stop=None):
        return forward(X, self.coefs_, self.intercepts_, self._architecture(), start, stop)

    def _validated(self, X):
        check_is_fitted(self)
        return validate_data(self, X, reset=False, dtype=self.dtype)

    def transform(self, X):
        """Encode ``X``: the activations of the code layer.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        codes : ndarray of shape (n_samples, n_code)
            Output of the narrowest hidden layer.
        """
        X = self._validated(X)
        return self._forward(X, stop=self._architecture().code_layer + 1)

    def inverse_transform(self, X):
        """Decode codes back to the input space.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_code)
            Codes, as returned by :meth:`transform`.

        Returns
        -------
        X_reconstructed : ndarray of shape (n_samples, n_features)
            The decoder's output.
        """
        check_is_fitted(self)
        from sklearn.utils import check_array

        Z = check_array(X, dtype=self.dtype)
        architecture = self._architecture()
        if Z.shape[1] != architecture.n_code:
            raise ValueError(
                f"X has {Z.shape[1]} features, but the code layer of {type(self).__name__} has {architecture.n_code}."
            )
        return self._forward(Z, start=architecture.code_layer + 1)

    def predict(self, X):
        """Reconstruct ``X`` through the whole network.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        X_reconstructed : ndarray of shape (n_samples, n_features)
            The network's output.
        """
        return self._forward(self._validated(X))

    def score_samples(self, X):
        """Minus each sample's reconstruction loss (lower is more abnormal).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            ``-loss`` of each sample, averaged over its features.
        """
        X = self._validated(X)
        P = self._forward(X)
        # Each sample as a stack of one: the loss's mean runs over its features.
        return -LOSSES[self.loss](P[:, None, :], X[:, None, :])

    def score(self, X, y=None):
        """Minus the mean reconstruction loss on ``X`` (greater is better).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.
        y : None
            Ignored.

        Returns
        -------
        score : float
            ``-loss``, the loss as in ``loss_curve_`` (without the L2 term).
        """
        return float(np.mean(self.score_samples(X)))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False
        # The outputs are of the dtype parameter whatever the input's: that
        # dtype, and only it, is preserved.
        tags.transformer_tags.preserves_dtype = [self.dtype]
        return tags
