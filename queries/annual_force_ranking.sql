-- Every force's total recorded crime in one financial year, and outcomes of the given types
-- for it, from the annual force totals, for ranking.
-- Parameters: $forces (list), $types (list, may be empty), $last (a March quarter index).
SELECT r.force, r.offences, 4 AS quarters, o.outcomes,
       CASE WHEN o.outcomes IS NULL THEN 0 ELSE 4 END AS outcome_quarters,
       r.sample, r.release AS releases
FROM annual_recorded AS r
LEFT JOIN (
    SELECT force, sum(outcomes_for_recorded) AS outcomes
    FROM annual_outcomes
    WHERE quarter_index = $last AND list_contains($types, outcome_type)
    GROUP BY force
) AS o USING (force)
WHERE r.quarter_index = $last AND list_contains($forces, r.force)
ORDER BY r.force
