-- The quarters the data holds, by table, so periods can be resolved and refused.
-- Parameters: none.
SELECT 'recorded' AS kind, min(quarter_index) AS first_quarter, max(quarter_index) AS last_quarter
FROM recorded
UNION ALL
SELECT 'outcomes', min(quarter_index), max(quarter_index)
FROM outcomes
