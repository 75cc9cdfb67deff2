-- Total recorded crime in financial years ending at one year-end quarter, from the annual
-- force totals (all crime only), for several places at once (England and Wales as the force
-- 'England and Wales', summed at load): $places, parallel to $forces, says which place each
-- force counts for (`place` in the result). years_back 0 is the year asked for, 1 the year
-- before.
-- Parameters: $forces (list of force names, 'England and Wales' among them), $places (list,
-- parallel to $forces), $last (quarter index of a March quarter), $years.
SELECT list_extract($places, list_position($forces, force)) AS place,
       ($last - quarter_index) // 4 AS years_back,
       sum(offences) AS offences,
       4 AS quarters,
       bool_or(sample) AS sample,
       string_agg(releases, '; ') AS releases
FROM annual_recorded_years
WHERE list_contains($forces, force)
  AND quarter_index <= $last
  AND quarter_index > $last - 4 * $years
GROUP BY place, years_back
