"""A problem set as data: the YAML specs (`spec.py`), their loading with file-and-field errors
(`loader.py`), and the run plan of names to fetch and inputs to call them with (`plan.py`)."""
