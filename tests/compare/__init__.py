"""Then and now: importing a previous session and comparing its themes with today's."""
