"""The services: thin handlers over the store (validated input in, output shape out)."""
