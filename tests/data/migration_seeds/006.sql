-- Rows added after migration 006 (encryption at rest): a key check, as a database encrypted
-- with some key holds (only the upgrade tests read it; they open no answer).
INSERT INTO encryption (id, key_check, updated_at)
VALUES (1, 'pp1:00000000:c2VlZC1vbmx5', '2026-03-06T12:00:00+00:00');
