"""The ``iamsandbox`` command: one module per command group."""
