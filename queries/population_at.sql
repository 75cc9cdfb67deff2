-- Residents of each of some forces at one mid-year (ONS estimate), stored at the quarter that
-- ends on its 30 June; a rate per 1,000 residents divides by it.
-- Parameters: $forces (list), $quarter (quarter index of the mid-year).
SELECT force::VARCHAR AS force, population, release
FROM population
WHERE list_contains($forces, force) AND quarter_index = $quarter
ORDER BY force
