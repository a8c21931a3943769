-- Privacy (issue 14): what /privacy delete must find on Discord, cohort invitations that wait
-- for the member's own yes, and retention that forgets what was derived from the text too.

-- Messages PeerPrep posted for a person in their DMs and interview threads (never the
-- messages' content): /privacy delete deletes them on Discord, then these rows go with the
-- person.
CREATE TABLE posted_messages (
    person_id   INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    channel_id  INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    posted_at   TEXT NOT NULL,
    PRIMARY KEY (person_id, message_id)
) WITHOUT ROWID;

-- A facilitator's invitation to a cohort. Only the member's Accept (or /cohort join) makes
-- them a member; who invited them is not kept.
CREATE TABLE cohort_invitations (
    cohort_id   INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    invited_at  TEXT NOT NULL,
    PRIMARY KEY (cohort_id, person_id)
) WITHOUT ROWID;
CREATE INDEX cohort_invitations_by_person ON cohort_invitations (person_id);

-- (SQLite only: no PostgreSQL database holds answers from before this version.)
-- sqlite only
-- Answers whose text was blanked before this version still held what had been derived from
-- it: the crisis flag, language notes (the words used, and whether of oneself), quoted
-- evidence, filler words and the tips and summary line that repeat them. Forget those as the
-- retention sweep now does (bot.retention.forget_derived); the score and which key points
-- and STAR parts were covered stay.
UPDATE answers SET crisis = 0, feedback = json_replace(feedback,
        '$.crisis', json('false'),
        '$.language', json('[]'),
        '$.filler_words', json('{}'),
        '$.tips', json('[]'),
        '$.key_points', json(COALESCE(
            (SELECT json_group_array(json_set(value, '$.evidence', NULL))
             FROM json_each(answers.feedback, '$.key_points')), '[]')),
        '$.summary', CASE WHEN instr(json_extract(feedback, '$.summary'), ' Next: ') > 0
            THEN substr(json_extract(feedback, '$.summary'), 1,
                        instr(json_extract(feedback, '$.summary'), ' Next: ') - 1)
            ELSE json_extract(feedback, '$.summary') END)
    WHERE text IS NULL AND json_valid(feedback);
