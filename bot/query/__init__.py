"""The only DuckDB user: the data loaded read-only, the named SQL in queries/, and findings
(numbers, no prose) for render to put into words."""
