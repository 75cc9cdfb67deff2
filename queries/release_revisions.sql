-- The figures some releases revised for a set of forces, largest change first, with how many
-- there were in all: a digest lists what a new release changed in its patch.
-- Parameters: $forces (list), $releases (list of the new releases' names), $limit.
SELECT r.force, r.offence_code, o.offence, r.measure, t.short_name AS outcome,
       r.quarter_index, r.old_value, r.new_value, r.new_release,
       count(*) OVER () AS revised
FROM revisions AS r
LEFT JOIN offences AS o ON o.offence_code = r.offence_code
LEFT JOIN outcome_types AS t ON t.outcome_type = r.outcome_type
WHERE list_contains($forces, r.force)
  AND list_contains($releases, r.new_release)
ORDER BY abs(r.new_value - r.old_value) DESC, r.force, r.offence_code, r.quarter_index
LIMIT $limit
