"""reuse-lint: find TensorFlow variable-sharing bugs before they cost a training run."""

__version__ = "0.1.0"
