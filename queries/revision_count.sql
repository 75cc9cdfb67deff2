-- How many revised figures are loaded: none means no answer needs to look for revisions.
-- Parameters: none.
SELECT count(*) AS revisions FROM revisions
