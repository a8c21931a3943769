-- Rows added after migration 004 (interview leases): an interview held by a terminal window.
UPDATE interviews SET lease = 'seed-window-token', lease_at = '2026-03-02T15:00:00.000000+00:00'
WHERE id = (SELECT MIN(id) FROM interviews);
