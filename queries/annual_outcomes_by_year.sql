-- Outcomes of the given types for all crime recorded in financial years ending at one
-- year-end quarter, from the annual force totals, for several places at once (England and
-- Wales as the force 'England and Wales', summed at load): $places, parallel to $forces, says
-- which place each force counts for (`place` in the result). years_back 0 is the year asked
-- for. Only forces with a recorded-crime total that year count (applied at load, see
-- bot/query/database.py), so numerator and denominator cover the same forces.
-- Parameters: $forces (list of force names, 'England and Wales' among them), $places (list,
-- parallel to $forces), $types (list of outcome types), $last, $years.
SELECT list_extract($places, list_position($forces, force)) AS place,
       ($last - quarter_index) // 4 AS years_back,
       sum(outcomes_for_recorded) AS outcomes,
       4 AS quarters,
       bool_or(sample) AS sample,
       string_agg(releases, '; ') AS releases
FROM annual_outcomes_years
WHERE list_contains($forces, force)
  AND list_contains($types, outcome_type)
  AND quarter_index <= $last
  AND quarter_index > $last - 4 * $years
GROUP BY place, years_back
