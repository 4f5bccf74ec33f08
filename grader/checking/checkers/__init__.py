"""Checker kinds, one module each. The protocol they implement and the map from a spec's `kind:` to
its module are in `grader/checking/kinds.py`; what every kind returns is in `base.py`."""
