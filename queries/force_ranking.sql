-- Every force's offences, and outcomes of the given types for those offences, in one period,
-- for ranking. Forces missing a quarter are returned with quarters < 4 and left out by the caller.
-- With no outcome types (a ranking by count) the outcomes table is not scanned at all.
-- The force list is a semi-join: testing each row against 43 names one by one is slower.
-- Parameters: $forces (list), $codes (list), $types (list, may be empty), $first, $last.
WITH counted_by_quarter AS (
    SELECT force, quarter_index, sum(offences) AS offences, bool_or(sample) AS sample,
           any_value(release) AS release
    FROM recorded
    WHERE quarter_index BETWEEN $first AND $last
      AND list_contains($codes, offence_code)
      AND force IN (SELECT unnest($forces))
    GROUP BY force, quarter_index
), charged_by_quarter AS (
    SELECT force, quarter_index, sum(outcomes_for_recorded) AS outcomes,
           bool_or(sample) AS sample, any_value(release) AS release
    FROM outcomes
    WHERE len($types) > 0
      AND quarter_index BETWEEN $first AND $last
      AND list_contains($codes, offence_code)
      AND list_contains($types, outcome_type)
      AND force IN (SELECT unnest($forces))
    GROUP BY force, quarter_index
), counted AS (
    SELECT force, sum(offences) AS offences, count(*) AS quarters, bool_or(sample) AS sample,
           string_agg(release, '; ') AS releases
    FROM counted_by_quarter GROUP BY force
), charged AS (
    SELECT force, sum(outcomes) AS outcomes, count(*) AS outcome_quarters,
           bool_or(sample) AS sample, string_agg(release, '; ') AS releases
    FROM charged_by_quarter GROUP BY force
)
SELECT counted.force::VARCHAR AS force, counted.offences, counted.quarters,
       charged.outcomes, coalesce(charged.outcome_quarters, 0) AS outcome_quarters,
       counted.sample OR coalesce(charged.sample, false) AS sample,
       concat_ws('; ', counted.releases, charged.releases) AS releases
FROM counted LEFT JOIN charged USING (force)
ORDER BY counted.force
