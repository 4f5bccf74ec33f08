"""Checker kinds. Each module offers parse / grade / same / show; see base.py."""
