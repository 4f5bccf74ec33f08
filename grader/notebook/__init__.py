"""Jupyter notebooks as submissions: read as untrusted data (nbformat), turned into the Python the
child runs (code cells in order, IPython-only lines left out, markdown answers as assignments), and
every line of a run mapped back to the cell it came from. Outputs stored in a notebook are never
read: what a notebook claims to have printed decides nothing.
"""
