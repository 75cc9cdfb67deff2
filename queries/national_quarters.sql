-- Each lead offence's quarterly count across the given forces over the last $quarters
-- quarters: what the digest checks for a step in a series (one quarter's jump that stays,
-- the mark of a change in recording rather than in crime). $names and $codes are parallel
-- lists, as in lead_offences_by_year.sql.
-- Parameters: $forces (list), $names (list), $codes (list, parallel to $names), $last, $quarters.
WITH selection AS (
    SELECT unnest($names) AS lead_offence, unnest($codes) AS offence_code
)
SELECT s.lead_offence, r.quarter_index, sum(r.offences) AS offences
FROM recorded AS r
JOIN selection AS s ON r.offence_code::VARCHAR = s.offence_code
WHERE list_contains($forces, r.force)
  AND r.quarter_index <= $last
  AND r.quarter_index > $last - $quarters
GROUP BY s.lead_offence, r.quarter_index
ORDER BY s.lead_offence, r.quarter_index
