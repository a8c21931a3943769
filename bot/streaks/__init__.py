"""Practice streaks: consecutive local days with at least one answered question."""

from bot.streaks.rules import (
    FREEZE_EVERY,
    MAX_FREEZES,
    StreakState,
    StreakUpdate,
    current_streak,
    local_day,
    record_day,
)

__all__ = [
    "FREEZE_EVERY", "MAX_FREEZES", "StreakState", "StreakUpdate", "current_streak", "local_day",
    "record_day",
]
