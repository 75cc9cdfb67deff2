-- Offences recorded in rolling years ending at one quarter, for many offence selections at
-- once (a digest's candidate leads): $names and $codes are parallel lists, one row per
-- (selection, code) pair, so a code may count towards several selections. years_back 0 is
-- the latest year. Summed by quarter first, as in offences_by_year.sql.
-- Parameters: $forces (list), $names (list), $codes (list, parallel to $names), $last, $years.
WITH selection AS (
    SELECT unnest($names) AS lead_offence, unnest($codes) AS offence_code
), by_quarter AS (
    SELECT s.lead_offence, r.quarter_index, sum(r.offences) AS offences,
           bool_or(r.sample) AS sample, any_value(r.release) AS release
    FROM recorded AS r
    JOIN selection AS s ON r.offence_code::VARCHAR = s.offence_code
    WHERE list_contains($forces, r.force)
      AND r.quarter_index <= $last
      AND r.quarter_index > $last - 4 * $years
    GROUP BY s.lead_offence, r.quarter_index
)
SELECT lead_offence,
       ($last - quarter_index) // 4 AS years_back,
       sum(offences) AS offences,
       count(*) AS quarters,
       bool_or(sample) AS sample,
       string_agg(release, '; ') AS releases
FROM by_quarter
GROUP BY lead_offence, years_back
ORDER BY lead_offence, years_back
