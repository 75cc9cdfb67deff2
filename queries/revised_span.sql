-- The first and last quarters any loaded release revised: a period outside them has no
-- "revised from …" to look for, which spares most answers the revisions query.
-- Parameters: none.
SELECT min(quarter_index) AS first_quarter, max(quarter_index) AS last_quarter
FROM revisions
WHERE kind = 'recorded'
