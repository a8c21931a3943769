-- The interviewer follows up: after an answer that misses a key point, a mock interview may
-- ask the bank's follow-up question that probes it (one per question at most).

-- Whether this interview asks follow-ups (the trainee's choice when it starts).
ALTER TABLE interviews ADD COLUMN follow_ups INTEGER NOT NULL DEFAULT 1;

-- The follow-up asked at one question of an interview, and its answer. It is part of that
-- question: not a row of answers, so it counts toward no streak, average or leaderboard.
CREATE TABLE interview_follow_ups (
    interview_id  INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    question_id   TEXT NOT NULL,
    key_point     TEXT NOT NULL,               -- the id of the key point it probes
    prompt        TEXT NOT NULL,               -- as it was asked
    status        TEXT NOT NULL DEFAULT 'asked' CHECK (status IN ('asked', 'answered', 'skipped')),
    text          TEXT,                        -- the answer; NULL once past the retention period
    score         INTEGER CHECK (score BETWEEN 0 AND 100),
    feedback      TEXT,                        -- JSON of the guidance given
    crisis        INTEGER NOT NULL DEFAULT 0,
    asked_at      TEXT NOT NULL,
    answered_at   TEXT,
    PRIMARY KEY (interview_id, position)
) WITHOUT ROWID;
