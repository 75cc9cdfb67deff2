-- Outcomes of the given types assigned to offences recorded in rolling years ending at one
-- quarter (the Home Office basis for a charge rate): years_back 0 is the period asked for.
-- Parameters: $forces (list), $codes (list), $types (list of outcome types), $last, $years.
SELECT ($last - quarter_index) // 4 AS years_back,
       sum(outcomes_for_recorded) AS outcomes,
       count(DISTINCT quarter_index) AS quarters,
       bool_or(sample) AS sample,
       string_agg(DISTINCT release, '; ' ORDER BY release) AS releases
FROM outcomes
WHERE list_contains($forces, force)
  AND list_contains($codes, offence_code)
  AND list_contains($types, outcome_type)
  AND quarter_index <= $last
  AND quarter_index > $last - 4 * $years
GROUP BY years_back
ORDER BY years_back
