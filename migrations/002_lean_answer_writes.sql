-- Every answer writes a page of each index on the tables it touches, and its commit syncs
-- them all to disk: keep only the indexes something reads.

-- Nothing looks practice days up by day across people, nor streaks by their length
-- (leaderboards join members to their own rows).
DROP INDEX practice_days_by_day;
DROP INDEX streaks_by_current;

-- The retention sweep looks for answers that still hold text and are past the retention
-- period: an index of just those (blanking an answer takes it out), in place of one of every
-- answer by time that no query used in full.
DROP INDEX answers_by_time;
CREATE INDEX answers_with_text ON answers (answered_at) WHERE text IS NOT NULL;

-- Period totals keyed person first: an answer's three rows (its week, month and all time)
-- sit side by side on one page instead of three, the key serves the leaderboard's
-- (person, period) lookup and deleting a person, and the separate person index goes.
CREATE TABLE period_totals_by_person_first (
    period     TEXT NOT NULL,
    person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    answers    INTEGER NOT NULL DEFAULT 0,
    score_sum  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (person_id, period)
) WITHOUT ROWID;
INSERT INTO period_totals_by_person_first (period, person_id, answers, score_sum)
    SELECT period, person_id, answers, score_sum FROM period_totals;
DROP TABLE period_totals;
ALTER TABLE period_totals_by_person_first RENAME TO period_totals;
