-- Outcomes of the given types for all crime recorded in financial years ending at one
-- year-end quarter, from the annual force totals: years_back 0 is the year asked for.
-- Only forces with a recorded-crime total that year count, so numerator and denominator cover
-- the same forces (British Transport Police has outcomes but no total after 2014/15).
-- Parameters: $forces (list), $types (list of outcome types), $last, $years.
SELECT ($last - quarter_index) // 4 AS years_back,
       sum(outcomes_for_recorded) AS outcomes,
       4 AS quarters,
       bool_or(sample) AS sample,
       string_agg(DISTINCT release, '; ' ORDER BY release) AS releases
FROM annual_outcomes AS o
WHERE list_contains($forces, force)
  AND EXISTS (SELECT 1 FROM annual_recorded AS r
              WHERE r.force = o.force AND r.quarter_index = o.quarter_index)
  AND list_contains($types, outcome_type)
  AND quarter_index <= $last
  AND quarter_index > $last - 4 * $years
GROUP BY years_back
ORDER BY years_back
