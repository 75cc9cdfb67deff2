class IngestError(Exception):
    """A release file that cannot be loaded; the message names file, sheet and row."""
