-- Offences recorded in rolling years ending at one quarter, for a place's forces and an
-- offence selection: years_back 0 is the period asked for, 1 the year before, and so on.
-- A year with fewer than four quarters is incomplete and must not be quoted.
-- Parameters: $forces (list), $codes (list), $last (quarter index), $years (how many years).
SELECT ($last - quarter_index) // 4 AS years_back,
       sum(offences) AS offences,
       count(DISTINCT quarter_index) AS quarters,
       bool_or(sample) AS sample,
       string_agg(DISTINCT release, '; ' ORDER BY release) AS releases
FROM recorded
WHERE list_contains($forces, force)
  AND list_contains($codes, offence_code)
  AND quarter_index <= $last
  AND quarter_index > $last - 4 * $years
GROUP BY years_back
ORDER BY years_back
