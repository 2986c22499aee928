"""iamsandbox: a local, multi-account AWS whose IAM is real."""

__version__ = "0.1.0"
