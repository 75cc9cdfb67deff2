-- How much the figures for a period were revised by the release now loaded, against the
-- earlier release they replaced: the difference lets an answer say "revised from …".
-- Parameters: $forces (list), $codes (list), $first, $last.
SELECT sum(r.new_value - r.old_value) AS change,
       count(*) AS cells,
       string_agg(DISTINCT r.old_release, '; ' ORDER BY r.old_release) AS old_releases
FROM revisions AS r
JOIN recorded AS now
  ON now.force = r.force AND now.offence_code = r.offence_code
 AND now.quarter_index = r.quarter_index AND now.release = r.new_release
WHERE r.kind = 'recorded'
  AND list_contains($forces, r.force)
  AND list_contains($codes, r.offence_code)
  AND r.quarter_index BETWEEN $first AND $last
