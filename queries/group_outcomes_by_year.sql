-- Outcomes of the given types for offences of some offence groups recorded in rolling years
-- ending at one quarter, from the outcomes-by-group table (no offence codes), for several
-- places at once (England and Wales as the force 'England and Wales', summed at load):
-- $places, parallel to $forces, says which place each force counts for (`place` in the
-- result). years_back 0 is the period asked for. Reads group_outcomes_years, each year
-- summed at load at the quarter it ends (see bot/query/database.py). The caller divides by
-- the same groups' recorded offences.
-- Parameters: $forces (list of force names, 'England and Wales' among them), $places (list,
-- parallel to $forces), $groups (list of offence group names), $types (list), $last, $years,
-- $quarters (4: rolling years; 1: the same quarter each year).
SELECT list_extract($places, list_position($forces, force)) AS place,
       ($last - quarter_index) // 4 AS years_back,
       sum(CASE WHEN $quarters = 4 THEN year_outcomes ELSE outcomes END) AS outcomes,
       bit_count(bit_or(CASE WHEN $quarters = 4 THEN present ELSE present & 1 END)) AS quarters,
       bool_or(CASE WHEN $quarters = 4 THEN year_sample ELSE sample END) AS sample,
       string_agg(CASE WHEN $quarters = 4 THEN year_releases ELSE release END, '; ')
           AS releases
FROM group_outcomes_years
WHERE phase = $last % 4
  AND quarter_index <= $last
  AND quarter_index > $last - 4 * $years
  AND list_contains($groups, offence_group)
  AND list_contains($types, outcome_type)
  AND list_contains($forces, force)
GROUP BY place, years_back
