-- Outcomes of the given types for offences recorded across England and Wales in rolling
-- years ending at one quarter, from the national totals summed at load.
-- Summed by quarter first, as in offences_by_year.sql.
-- Parameters: $codes (list), $types (list of outcome types), $last, $years,
-- $quarters (4: rolling years; 1: the same quarter each year).
WITH by_quarter AS (
    SELECT quarter_index, sum(outcomes_for_recorded) AS outcomes, bool_or(sample) AS sample,
           any_value(releases) AS releases
    FROM outcomes_national
    WHERE list_contains($codes, offence_code)
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
       string_agg(releases, '; ') AS releases
FROM by_quarter
GROUP BY years_back
ORDER BY years_back
