-- Outcomes of the given types assigned to offences recorded in rolling years ending at one
-- quarter (the Home Office basis for a charge rate): years_back 0 is the period asked for.
-- Summed by quarter first, as in offences_by_year.sql.
-- Parameters: $forces (list), $codes (list), $types (list of outcome types), $last, $years,
-- $quarters (4: rolling years; 1: the same quarter each year).
WITH by_quarter AS (
    SELECT quarter_index, sum(outcomes_for_recorded) AS outcomes, bool_or(sample) AS sample,
           any_value(release) AS release
    FROM outcomes
    WHERE list_contains($forces, force)
      AND list_contains($codes, offence_code)
      AND list_contains($types, outcome_type)
      AND quarter_index <= $last
      AND quarter_index > $last - 4 * $years
      AND ($last - quarter_index) % 4 < $quarters
    GROUP BY quarter_index
)
SELECT ($last - quarter_index) // 4 AS years_back,
       sum(outcomes) AS outcomes,
       count(*) AS quarters,
       bool_or(sample) AS sample,
       string_agg(release, '; ') AS releases
FROM by_quarter
GROUP BY years_back
ORDER BY years_back
