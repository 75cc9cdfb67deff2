-- Every force's offences, and outcomes of the given types for those offences, in one period,
-- for ranking. Forces missing a quarter are returned with quarters < 4 and left out by the caller.
-- Parameters: $forces (list), $codes (list), $types (list, may be empty), $first, $last.
WITH counted AS (
    SELECT force, sum(offences) AS offences, count(DISTINCT quarter_index) AS quarters,
           bool_or(sample) AS sample, string_agg(DISTINCT release, '; ') AS releases
    FROM recorded
    WHERE list_contains($forces, force)
      AND list_contains($codes, offence_code)
      AND quarter_index BETWEEN $first AND $last
    GROUP BY force
), charged AS (
    SELECT force, sum(outcomes_for_recorded) AS outcomes,
           count(DISTINCT quarter_index) AS outcome_quarters, bool_or(sample) AS sample,
           string_agg(DISTINCT release, '; ') AS releases
    FROM outcomes
    WHERE list_contains($forces, force)
      AND list_contains($codes, offence_code)
      AND list_contains($types, outcome_type)
      AND quarter_index BETWEEN $first AND $last
    GROUP BY force
)
SELECT counted.force, counted.offences, counted.quarters,
       charged.outcomes, coalesce(charged.outcome_quarters, 0) AS outcome_quarters,
       counted.sample OR coalesce(charged.sample, false) AS sample,
       concat_ws('; ', counted.releases, charged.releases) AS releases
FROM counted LEFT JOIN charged USING (force)
ORDER BY counted.force
