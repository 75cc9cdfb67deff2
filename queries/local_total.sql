-- A local area's (Community Safety Partnership's) total recorded crime, excluding fraud, for
-- the financial year ending at one quarter; `understated` marks areas the Home Office says
-- were under-recorded that year.
-- Parameters: $area (its name), $last (the year's last quarter index).
SELECT offences, understated, release::VARCHAR AS release
FROM local_totals
WHERE area = $area AND quarter_index = $last
