"""What several layer kinds share: window arithmetic, PyTorch values, families of kinds built the same way,
and the helpers of the merging and learned-tensor kinds.  Not kinds themselves (the registry reads only the
modules beside this package)."""
