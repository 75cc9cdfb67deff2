-- How much the figures for a period were revised by the release each quarter now comes from,
-- against each earlier release it replaced: the earlier release's own figure for the period
-- is the figure now minus the change (revisions hold every difference, added and withdrawn
-- rows included), provided that release covered the whole period.
-- Parameters: $forces (list), $codes (list), $first, $last.
WITH current AS (
    SELECT DISTINCT quarter_index, release
    FROM recorded
    WHERE quarter_index BETWEEN $first AND $last
)
SELECT r.old_release,
       sum(r.new_value - r.old_value) AS change,
       count(*) AS cells
FROM revisions AS r
JOIN current AS now
  ON now.quarter_index = r.quarter_index AND now.release = r.new_release
WHERE r.kind = 'recorded'
  AND r.measure = 'offences'
  AND list_contains($forces, r.force)
  AND list_contains($codes, r.offence_code)
  AND r.quarter_index BETWEEN $first AND $last
GROUP BY r.old_release
ORDER BY r.old_release
