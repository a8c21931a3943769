-- Rows added after migration 002 (period totals keyed person first): another person's
-- week, month and all-time totals, so the upgrade tests carry rows of both key orders.
INSERT INTO period_totals (period, person_id, answers, score_sum)
VALUES ('2026-W10', 2, 1, 71), ('2026-03', 2, 1, 71), ('all', 2, 1, 71);
INSERT INTO practice_days (person_id, day, answers, score_sum, frozen)
VALUES (2, '2026-03-02', 1, 71, 0);
