-- Outcomes of the given types for offences recorded in rolling years ending at one quarter,
-- for many offence selections at once (a digest's charge-rate leads): $names and $codes are
-- parallel lists, as in lead_offences_by_year.sql.
-- Parameters: $forces (list), $names (list), $codes (list, parallel to $names), $types (list),
-- $last, $years.
WITH selection AS (
    SELECT unnest($names) AS lead_offence, unnest($codes) AS offence_code
), by_quarter AS (
    SELECT s.lead_offence, o.quarter_index, sum(o.outcomes_for_recorded) AS outcomes,
           bool_or(o.sample) AS sample, any_value(o.release) AS release
    FROM outcomes AS o
    JOIN selection AS s ON o.offence_code::VARCHAR = s.offence_code
    WHERE list_contains($forces, o.force)
      AND list_contains($types, o.outcome_type)
      AND o.quarter_index <= $last
      AND o.quarter_index > $last - 4 * $years
    GROUP BY s.lead_offence, o.quarter_index
)
SELECT lead_offence,
       ($last - quarter_index) // 4 AS years_back,
       sum(outcomes) AS outcomes,
       count(*) AS quarters,
       bool_or(sample) AS sample,
       string_agg(release, '; ') AS releases
FROM by_quarter
GROUP BY lead_offence, years_back
ORDER BY lead_offence, years_back
