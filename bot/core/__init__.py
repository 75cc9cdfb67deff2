"""Pure values every layer shares: the query plan, periods, places and the reference tables."""
