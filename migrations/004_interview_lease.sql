-- Which window holds an interview: one person, one live interview at a time, across
-- terminal windows and processes. A front end that takes an interview writes its own random
-- token here; every answer and step it sends names that token and is refused (in the same
-- transaction that would store it) once another window has taken the interview over.
-- NULL: no window holds it (Discord interviews, and interviews from before this migration).
ALTER TABLE interviews ADD COLUMN lease TEXT;
-- When the holder last took a step: lets the next window say how long ago it was in use.
ALTER TABLE interviews ADD COLUMN lease_at TEXT;
