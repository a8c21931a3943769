-- Rows added after migration 003 (follow-ups): an interview that asks none, and a follow-up
-- answered and one still waiting.
UPDATE interviews SET follow_ups = 0 WHERE id = 11;
INSERT INTO interview_follow_ups (interview_id, position, question_id, key_point, prompt, status,
                                  text, score, feedback, crisis, asked_at, answered_at)
VALUES (10, 0, 'pss-01', 'scope', 'How is your role different from a therapist''s?', 'answered',
        'I do not diagnose.', 72, '{"score": 72}', 0, '2026-03-01T10:06:00.000000+00:00',
        '2026-03-01T10:07:00.000000+00:00'),
       (10, 1, 'cps-02', 'what-helped', 'What helped most?', 'asked', NULL, NULL, NULL, 0,
        '2026-03-01T10:08:00.000000+00:00', NULL);
