-- Offences recorded in rolling years ending at one quarter, for an offence selection, for
-- several places at once (a comparison's places, and England and Wales as the force
-- 'England and Wales', summed at load): $forces lists every force read and $places, parallel
-- to it, the place each counts for (`place` in the result); a force counts for one place.
-- years_back 0 is the period asked for, 1 the year before, and so on. Reads recorded_years,
-- each year summed at load at the quarter it ends (see bot/query/database.py): one row per
-- force, code and year. A year with fewer than four quarters (of any code asked for) is
-- incomplete and must not be quoted.
-- Parameters: $forces (list of force names, 'England and Wales' among them), $places (list,
-- parallel to $forces), $codes (list), $last (quarter index), $years (how many years),
-- $quarters (4: rolling years; 1: the same quarter each year).
SELECT list_extract($places, list_position($forces, force)) AS place,
       ($last - quarter_index) // 4 AS years_back,
       sum(CASE WHEN $quarters = 4 THEN year_offences ELSE offences END) AS offences,
       bit_count(bit_or(CASE WHEN $quarters = 4 THEN present ELSE present & 1 END)) AS quarters,
       any_value(CASE WHEN $quarters = 4 THEN year_sample ELSE sample END) AS sample,
       any_value(CASE WHEN $quarters = 4 THEN year_releases ELSE release END) AS releases
FROM recorded_years
WHERE phase = $last % 4
  AND quarter_index <= $last
  AND quarter_index > $last - 4 * $years
  AND list_contains($codes, offence_code)
  AND list_contains($forces, force)
GROUP BY place, years_back
