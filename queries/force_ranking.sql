-- Every territorial force's offences in one period (years_back 0) and the same period in each
-- of the $years - 1 years before it (years_back 1, ...: a ranking by change reads the year
-- before), for ranking, from recorded_years (each period summed at load at the quarter it
-- ends, see bot/query/database.py). Forces missing a quarter are returned with quarters < the
-- period's and left out by the caller. Outcomes for a ranking by share: force_outcomes.sql.
-- Parameters: $codes (list), $first, $last (the period's quarter indexes), $years.
SELECT force,
       ($last - quarter_index) // 4 AS years_back,
       sum(CASE WHEN $last - $first = 3 THEN year_offences ELSE offences END) AS offences,
       bit_count(bit_or(CASE WHEN $last - $first = 3 THEN present ELSE present & 1 END))
           AS quarters,
       any_value(CASE WHEN $last - $first = 3 THEN year_sample ELSE sample END) AS sample,
       any_value(CASE WHEN $last - $first = 3 THEN year_releases ELSE release END) AS releases
FROM recorded_years
WHERE phase = $last % 4
  AND quarter_index <= $last
  AND quarter_index > $last - 4 * $years
  AND territorial
  AND list_contains($codes, offence_code)
GROUP BY force, years_back
ORDER BY years_back, force
