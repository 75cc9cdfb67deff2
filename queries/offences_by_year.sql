-- Offences recorded in rolling years ending at one quarter, for a place's forces and an
-- offence selection: years_back 0 is the period asked for, 1 the year before, and so on.
-- A year with fewer than four quarters is incomplete and must not be quoted. Each quarter
-- comes from exactly one release (ingest keeps one per quarter), so summing by quarter
-- first needs no DISTINCT, which is the slow part of such a query.
-- Parameters: $forces (list), $codes (list), $last (quarter index), $years (how many years),
-- $quarters (4: rolling years; 1: the same quarter each year).
WITH by_quarter AS (
    SELECT quarter_index, sum(offences) AS offences, bool_or(sample) AS sample,
           any_value(release) AS release
    FROM recorded
    WHERE list_contains($forces, force)
      AND list_contains($codes, offence_code)
      AND quarter_index <= $last
      AND quarter_index > $last - 4 * $years
      AND ($last - quarter_index) % 4 < $quarters
    GROUP BY quarter_index
)
SELECT ($last - quarter_index) // 4 AS years_back,
       sum(offences) AS offences,
       count(*) AS quarters,
       bool_or(sample) AS sample,
       string_agg(release, '; ') AS releases
FROM by_quarter
GROUP BY years_back
ORDER BY years_back
