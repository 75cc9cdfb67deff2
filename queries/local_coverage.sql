-- The financial years the local area totals cover, as their last quarters.
-- Parameters: none.
SELECT min(quarter_index) AS first_quarter, max(quarter_index) AS last_quarter
FROM local_totals
