-- Which table answers an all-crime question for a financial year: the releases its quarterly
-- rows come from (and whether any is sample), and the annual totals' release for the year.
-- The caller compares their publication dates: the newer release wins.
-- Parameters: $first, $last (quarter indexes).
SELECT (SELECT bool_or(sample) FROM recorded
        WHERE quarter_index BETWEEN $first AND $last) AS sample,
       (SELECT string_agg(DISTINCT release, '; ') FROM recorded
        WHERE quarter_index BETWEEN $first AND $last) AS releases,
       (SELECT any_value(release) FROM annual_recorded
        WHERE quarter_index = $last) AS annual_release
