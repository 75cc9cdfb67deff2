-- Every force's outcomes of the given types for the offences recorded in one period, for a
-- ranking by outcome share (force_ranking.sql gives the offences). A force missing a quarter
-- is returned with outcome_quarters < the period's and not rated by the caller.
-- Parameters: $forces (list), $codes (list), $types (list), $first, $last.
WITH charged_by_quarter AS (
    SELECT force, quarter_index, sum(outcomes_for_recorded) AS outcomes,
           bool_or(sample) AS sample, any_value(release) AS release
    FROM outcomes
    WHERE quarter_index BETWEEN $first AND $last
      AND list_contains($codes, offence_code)
      AND list_contains($types, outcome_type)
      AND force IN (SELECT unnest($forces))
    GROUP BY force, quarter_index
)
SELECT force::VARCHAR AS force, sum(outcomes) AS outcomes, count(*) AS outcome_quarters,
       bool_or(sample) AS sample, string_agg(release, '; ') AS releases
FROM charged_by_quarter
GROUP BY force
ORDER BY force
