-- Total recorded crime in financial years ending at one year-end quarter, from the annual
-- force totals (all crime only): years_back 0 is the year asked for, 1 the year before.
-- Parameters: $forces (list), $last (quarter index of a March quarter), $years.
SELECT ($last - quarter_index) // 4 AS years_back,
       sum(offences) AS offences,
       4 AS quarters,
       bool_or(sample) AS sample,
       string_agg(DISTINCT release, '; ' ORDER BY release) AS releases
FROM annual_recorded
WHERE list_contains($forces, force)
  AND quarter_index <= $last
  AND quarter_index > $last - 4 * $years
GROUP BY years_back
ORDER BY years_back
