-- The figures some releases revised for a set of forces, the revisions that matter first (a
-- change of at least $min_change offences and $min_share of the old figure), largest first,
-- with how many there were in all and how many matter: a digest leads with these.
-- Parameters: $forces (list), $releases (list of the new releases' names), $min_change,
-- $min_share, $limit.
WITH patch AS (
    SELECT r.*,
           abs(r.new_value - r.old_value) >= $min_change
           AND abs(r.new_value - r.old_value) >= $min_share * abs(r.old_value) AS material
    FROM revisions AS r
    WHERE list_contains($forces, r.force)
      AND list_contains($releases, r.new_release)
)
SELECT p.force, p.offence_code, o.offence, p.measure, t.short_name AS outcome,
       p.quarter_index, p.old_value, p.new_value, p.new_release, p.material,
       count(*) OVER () AS revised,
       count(*) FILTER (WHERE p.material) OVER () AS material_count
FROM patch AS p
LEFT JOIN offences AS o ON o.offence_code = p.offence_code
LEFT JOIN outcome_types AS t ON t.outcome_type = p.outcome_type
ORDER BY p.material DESC, abs(p.new_value - p.old_value) DESC, p.force, p.offence_code,
         p.quarter_index
LIMIT $limit
