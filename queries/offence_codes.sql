-- The offence codes an offence selection counts: one code, a subgroup, a group, or all.
-- Parameters: $level ('offence' | 'subgroup' | 'group' | 'all'), $keys (list of codes or names).
SELECT offence_code, offence, subgroup, offence_group, note
FROM offences
WHERE CASE $level
        WHEN 'all' THEN true
        WHEN 'offence' THEN list_contains($keys, offence_code)
        WHEN 'subgroup' THEN list_contains(list_transform($keys, lambda k: lower(k)), lower(subgroup))
        WHEN 'group' THEN list_contains(list_transform($keys, lambda k: lower(k)), lower(offence_group))
        ELSE false
      END
ORDER BY offence_code
