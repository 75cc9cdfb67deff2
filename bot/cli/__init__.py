"""`python -m bot ask | serve | socket | clock | digest | ingest | story`: one module per
command, wired in main.py."""
