-- England and Wales's offences quarter by quarter for an offence selection, every quarter
-- loaded: where an answer's years are compared, a one-quarter jump that stays (a change in
-- recording rather than in crime) is looked for in it. Reads recorded_national (the 43
-- territorial forces, summed at load).
-- Parameters: $codes (list).
SELECT quarter_index, sum(offences) AS offences
FROM recorded_national
WHERE list_contains($codes, offence_code)
GROUP BY quarter_index
ORDER BY quarter_index
