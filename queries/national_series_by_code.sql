-- England and Wales's offences quarter by quarter for each offence code of a selection, every
-- quarter loaded: where the selection as a whole shows no step in recording, one of its codes
-- may (robbery holds robbery of business property). Reads recorded_national (the 43
-- territorial forces, summed at load).
-- Parameters: $codes (list).
SELECT offence_code::VARCHAR AS offence_code, quarter_index, sum(offences) AS offences
FROM recorded_national
WHERE list_contains($codes, offence_code)
GROUP BY offence_code, quarter_index
ORDER BY offence_code, quarter_index
