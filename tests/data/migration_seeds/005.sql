-- Rows added after migration 005 (privacy): a message PeerPrep posted in person 1's DM
-- interview, and an invitation to the Spring cohort waiting for person 2's answer.
INSERT INTO posted_messages (person_id, channel_id, message_id, posted_at)
VALUES (1, 503, 9101, '2026-03-01T10:05:01.000000+00:00');
INSERT INTO cohort_invitations (cohort_id, person_id, invited_at)
VALUES (40, 2, '2026-03-02T09:00:00.000000+00:00');
