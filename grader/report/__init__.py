"""What a graded submission is (`results.py`), how it is stored (`serialise.py`) and shown
(`render/`: text, Markdown, HTML, JSON). Plain data and its views: nothing here grades."""
