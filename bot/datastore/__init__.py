"""The data directory: versioned releases behind one pointer, and the live manifest."""
