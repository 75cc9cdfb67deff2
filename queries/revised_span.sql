-- The first and last quarters each earlier release gave other figures for: a period outside
-- them, or one that release did not cover whole, has no "revised from …" to look for, which
-- spares most answers the revisions query.
-- Parameters: none.
SELECT old_release, min(quarter_index) AS first_quarter, max(quarter_index) AS last_quarter
FROM revisions
WHERE kind = 'recorded'
GROUP BY old_release
ORDER BY old_release
