-- Offences recorded across England and Wales (every force) in rolling years ending at one
-- quarter, from the national totals summed at load: years_back 0 is the period asked for.
-- Summed by quarter first, as in offences_by_year.sql.
-- Parameters: $codes (list), $last (quarter index), $years,
-- $quarters (4: rolling years; 1: the same quarter each year).
WITH by_quarter AS (
    SELECT quarter_index, sum(offences) AS offences, bool_or(sample) AS sample,
           any_value(releases) AS releases
    FROM recorded_national
    WHERE list_contains($codes, offence_code)
      AND quarter_index <= $last
      AND quarter_index > $last - 4 * $years
      AND ($last - quarter_index) % 4 < $quarters
    GROUP BY quarter_index
)
SELECT ($last - quarter_index) // 4 AS years_back,
       sum(offences) AS offences,
       count(*) AS quarters,
       bool_or(sample) AS sample,
       string_agg(releases, '; ') AS releases
FROM by_quarter
GROUP BY years_back
ORDER BY years_back
