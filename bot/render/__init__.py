"""Findings -> words: sentences, figures, sources, Block Kit, charts, CSV. The only place prose
is written."""
