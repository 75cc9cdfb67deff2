-- Whether any offence-level row in a span of quarters is sample data, and whether the annual
-- force totals have the year: together they decide which table answers an all-crime question.
-- Parameters: $first, $last (quarter indexes).
SELECT coalesce((SELECT bool_or(sample) FROM recorded
                 WHERE quarter_index BETWEEN $first AND $last), true) AS sample,
       (SELECT count(*) FROM annual_recorded WHERE quarter_index = $last) > 0 AS annual
