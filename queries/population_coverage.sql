-- The first and last mid-year estimates loaded, as quarter indexes.
-- Parameters: none.
SELECT min(quarter_index) AS first_quarter, max(quarter_index) AS last_quarter
FROM population
