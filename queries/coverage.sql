-- The quarters the data holds, by table, so periods can be resolved and refused. The annual
-- tables hold one row per financial year, at its last quarter.
-- Parameters: none.
SELECT 'recorded' AS kind, min(quarter_index) AS first_quarter, max(quarter_index) AS last_quarter
FROM recorded
UNION ALL
SELECT 'outcomes', min(quarter_index), max(quarter_index)
FROM outcomes
UNION ALL
SELECT 'annual_recorded', min(quarter_index), max(quarter_index)
FROM annual_recorded
UNION ALL
SELECT 'annual_outcomes', min(quarter_index), max(quarter_index)
FROM annual_outcomes
UNION ALL
SELECT 'group_outcomes', min(quarter_index), max(quarter_index)
FROM group_outcomes
