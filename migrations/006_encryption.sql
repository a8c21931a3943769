-- Encryption at rest of answer text and feedback (optional: DATA_ENCRYPTION_KEY).
-- At most one row: a constant sealed with the database's key. No row: answers are stored
-- in plain text. bot/storage/codec.py describes the format.
CREATE TABLE encryption (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    key_check   TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
