-- When each offence code of a selection first and last had offences recorded, to say where a
-- series is not comparable (codes introduced or retired inside it).
-- Parameters: $codes (list).
SELECT offence_code, min(quarter_index) AS first_quarter, max(quarter_index) AS last_quarter
FROM recorded
WHERE list_contains($codes, offence_code) AND offences <> 0
GROUP BY offence_code
ORDER BY offence_code
