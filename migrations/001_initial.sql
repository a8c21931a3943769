-- PeerPrep's schema for the whole product. Times are UTC ISO-8601 text ('YYYY-MM-DDTHH:MM:SS.ffffff+00:00');
-- local days are 'YYYY-MM-DD' in the person's (or guild's) time zone at the moment of practice.

CREATE TABLE people (
    id                  INTEGER PRIMARY KEY,
    discord_user_id     INTEGER UNIQUE,
    local_name          TEXT UNIQUE,             -- terminal practice: python -m bot practice --user NAME
    timezone            TEXT,                    -- IANA name; NULL: the guild's, else the default
    hide_leaderboards   INTEGER NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL,
    CHECK (discord_user_id IS NOT NULL OR local_name IS NOT NULL)
);

CREATE TABLE guild_settings (
    guild_id              INTEGER PRIMARY KEY,
    training_channel_id   INTEGER,
    facilitator_role_id   INTEGER,
    timezone              TEXT,
    updated_at            TEXT NOT NULL
);

-- One mock interview. Its questions are chosen at the start, so a resumed interview is the same one.
CREATE TABLE interviews (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    bank          TEXT NOT NULL,
    topic         TEXT,
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'finished', 'stopped')),
    position      INTEGER NOT NULL DEFAULT 0,   -- index of the current question
    attempt       INTEGER NOT NULL DEFAULT 1,   -- attempt at the current question (Retry adds one)
    place         TEXT NOT NULL DEFAULT 'terminal', -- terminal | dm | thread | ephemeral
    guild_id      INTEGER,
    channel_id    INTEGER,
    started_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    ended_at      TEXT
);
CREATE INDEX interviews_by_person ON interviews (person_id, status, updated_at);

CREATE TABLE interview_questions (
    interview_id  INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    question_id   TEXT NOT NULL,
    outcome       TEXT NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'answered', 'skipped')),
    PRIMARY KEY (interview_id, position)
) WITHOUT ROWID;

-- (Before answers, which refer to it.) The claim row: UNIQUE (guild_id, post_date) lets exactly one process post each local day.
CREATE TABLE daily_posts (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    post_date    TEXT NOT NULL,
    question_id  TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'claimed' CHECK (status IN ('claimed', 'posted', 'failed')),
    claimed_by   TEXT NOT NULL,
    claimed_at   TEXT NOT NULL,
    channel_id   INTEGER,
    message_id   INTEGER,
    error        TEXT,
    UNIQUE (guild_id, post_date)
);

-- Every answer, from an interview, the daily question or the terminal. submission_key makes
-- recording idempotent: the same submission twice stores one row.
CREATE TABLE answers (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    interview_id    INTEGER REFERENCES interviews(id) ON DELETE CASCADE,
    daily_post_id   INTEGER REFERENCES daily_posts(id) ON DELETE SET NULL,
    question_id     TEXT NOT NULL,
    submission_key  TEXT NOT NULL UNIQUE,
    text            TEXT,                        -- NULL once past the retention period
    score           INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    feedback        TEXT NOT NULL,               -- JSON of the guidance given
    crisis          INTEGER NOT NULL DEFAULT 0,
    answered_at     TEXT NOT NULL,
    local_day       TEXT NOT NULL
);
CREATE INDEX answers_by_person ON answers (person_id, answered_at);
CREATE INDEX answers_by_interview ON answers (interview_id);
CREATE INDEX answers_by_time ON answers (answered_at, person_id, score);

-- Spaced repetition (FSRS) per person and question.
CREATE TABLE review_cards (
    person_id    INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    question_id  TEXT NOT NULL,
    card         TEXT NOT NULL,                 -- fsrs.Card as JSON
    due_at       TEXT NOT NULL,
    last_score   INTEGER NOT NULL,
    reviews      INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (person_id, question_id)
) WITHOUT ROWID;

-- Local days with practice, and days a streak freeze covered.
CREATE TABLE practice_days (
    person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    day        TEXT NOT NULL,
    answers    INTEGER NOT NULL DEFAULT 0,
    score_sum  INTEGER NOT NULL DEFAULT 0,      -- leaderboards read these, never the answers
    frozen     INTEGER NOT NULL DEFAULT 0,      -- 1: no practice, a freeze kept the streak
    PRIMARY KEY (person_id, day)
) WITHOUT ROWID;

CREATE INDEX practice_days_by_day ON practice_days (day, person_id);

-- Answers and score sums per person for each calendar week ('2026-W47'), month ('2026-11')
-- and all time ('all'), kept in the answer's transaction: a leaderboard reads one row per
-- member, whatever the number of answers.
CREATE TABLE period_totals (
    period     TEXT NOT NULL,
    person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    answers    INTEGER NOT NULL DEFAULT 0,
    score_sum  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (period, person_id)
) WITHOUT ROWID;
CREATE INDEX period_totals_by_person ON period_totals (person_id);

CREATE TABLE streaks (
    person_id       INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
    current         INTEGER NOT NULL DEFAULT 0,
    best            INTEGER NOT NULL DEFAULT 0,
    freezes         INTEGER NOT NULL DEFAULT 0,
    days_to_freeze  INTEGER NOT NULL DEFAULT 7,  -- practised days until the next freeze is earned
    last_day        TEXT
);
CREATE INDEX streaks_by_current ON streaks (current DESC);

CREATE TABLE daily_schedules (
    guild_id            INTEGER PRIMARY KEY,
    channel_id          INTEGER NOT NULL,
    local_time          TEXT NOT NULL,           -- 'HH:MM'
    timezone            TEXT NOT NULL,
    topic               TEXT,
    ping_role_id        INTEGER,
    discussion_thread   INTEGER NOT NULL DEFAULT 0,
    paused              INTEGER NOT NULL DEFAULT 0,
    problem             TEXT,                    -- why it paused itself, and how to fix it
    next_due_at         TEXT NOT NULL,           -- UTC
    updated_at          TEXT NOT NULL
);
CREATE INDEX daily_due ON daily_schedules (paused, next_due_at);

-- A cohort's name is unique in its server whatever its case. PostgreSQL has no NOCASE
-- collation and takes no expression in a table's UNIQUE: there the key is an index on
-- lower(name).
-- sqlite only
CREATE TABLE cohorts (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    role_id     INTEGER,
    created_by  INTEGER,
    created_at  TEXT NOT NULL,
    UNIQUE (guild_id, name COLLATE NOCASE)
);
-- postgresql only
CREATE TABLE cohorts (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    role_id     INTEGER,
    created_by  INTEGER,
    created_at  TEXT NOT NULL
);
-- postgresql only
CREATE UNIQUE INDEX cohorts_name ON cohorts (guild_id, lower(name));

CREATE TABLE cohort_members (
    cohort_id  INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    joined_at  TEXT NOT NULL,
    PRIMARY KEY (cohort_id, person_id)
) WITHOUT ROWID;
CREATE INDEX cohort_members_by_person ON cohort_members (person_id);
