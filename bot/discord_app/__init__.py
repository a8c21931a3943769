"""The Discord front end: a thin adapter over the bank, coaching, engine and store."""
