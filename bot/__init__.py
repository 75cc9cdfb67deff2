"""crimebot: exact, sourced police recorded crime figures for England and Wales, in Slack."""
