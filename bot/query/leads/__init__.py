"""Story leads for the digest: each place's series, the candidates and their ranking, composed."""
