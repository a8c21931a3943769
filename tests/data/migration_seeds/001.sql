-- Rows a database has right after migration 001: the upgrade tests put these in a database
-- built at version 1, upgrade it, and check every row survives. Each new migration NNN gets
-- a seed NNN.sql with rows for what it adds (tests/test_migrations.py asks for it).
INSERT INTO people (id, discord_user_id, local_name, timezone, hide_leaderboards, created_at)
VALUES (1, 1001, NULL, 'Europe/Paris', 0, '2026-03-01T10:00:00.000000+00:00'),
       (2, NULL, 'ana', NULL, 1, '2026-03-01T11:00:00.000000+00:00');
INSERT INTO guild_settings (guild_id, training_channel_id, facilitator_role_id, timezone, updated_at)
VALUES (500, 501, 502, 'America/Chicago', '2026-03-01T10:00:00.000000+00:00');
INSERT INTO interviews (id, person_id, bank, topic, status, position, attempt, place, guild_id,
                        channel_id, started_at, updated_at, ended_at)
VALUES (10, 1, 'all', NULL, 'active', 1, 2, 'dm', 500, 503,
        '2026-03-01T10:05:00.000000+00:00', '2026-03-01T10:09:00.000000+00:00', NULL),
       (11, 2, 'pss', 'rapport', 'finished', 0, 1, 'terminal', NULL, NULL,
        '2026-03-01T11:05:00.000000+00:00', '2026-03-01T11:09:00.000000+00:00',
        '2026-03-01T11:09:00.000000+00:00');
INSERT INTO interview_questions (interview_id, position, question_id, outcome)
VALUES (10, 0, 'pss-01', 'answered'), (10, 1, 'cps-02', 'pending'), (11, 0, 'pss-13', 'skipped');
INSERT INTO daily_schedules (guild_id, channel_id, local_time, timezone, topic, ping_role_id,
                             discussion_thread, paused, problem, next_due_at, updated_at)
VALUES (500, 504, '09:30', 'America/Chicago', 'groups', 505, 1, 0, NULL,
        '2026-03-02T15:30:00.000000+00:00', '2026-03-01T10:00:00.000000+00:00');
INSERT INTO daily_posts (id, guild_id, post_date, question_id, status, claimed_by, claimed_at,
                         channel_id, message_id, error)
VALUES (20, 500, '2026-03-01', 'pp-03', 'posted', 'host-1', '2026-03-01T15:30:00.000000+00:00',
        504, 9001, NULL);
INSERT INTO answers (id, person_id, interview_id, daily_post_id, question_id, submission_key,
                     text, score, feedback, crisis, answered_at, local_day)
VALUES (30, 1, 10, NULL, 'pss-01', 'interview:10:0:1', 'I would listen first.', 64,
        '{"score": 64}', 0, '2026-03-01T10:06:00.000000+00:00', '2026-03-01'),
       (31, 1, NULL, 20, 'pp-03', 'daily:20:1001', NULL, 40, '{"score": 40}', 1,
        '2026-03-01T16:00:00.000000+00:00', '2026-03-01');
INSERT INTO review_cards (person_id, question_id, card, due_at, last_score, reviews)
VALUES (1, 'pss-01', '{"card_id": 1}', '2026-03-04T10:06:00.000000+00:00', 64, 1);
INSERT INTO practice_days (person_id, day, answers, score_sum, frozen)
VALUES (1, '2026-03-01', 2, 104, 0), (1, '2026-02-28', 0, 0, 1);
INSERT INTO period_totals (period, person_id, answers, score_sum)
VALUES ('2026-W09', 1, 2, 104), ('2026-03', 1, 2, 104), ('all', 1, 2, 104);
INSERT INTO streaks (person_id, current, best, freezes, days_to_freeze, last_day)
VALUES (1, 2, 5, 1, 4, '2026-03-01');
INSERT INTO cohorts (id, guild_id, name, role_id, created_by, created_at)
VALUES (40, 500, 'Spring cohort', 506, 1001, '2026-02-01T10:00:00.000000+00:00');
INSERT INTO cohort_members (cohort_id, person_id, joined_at)
VALUES (40, 1, '2026-02-01T10:00:00.000000+00:00');
