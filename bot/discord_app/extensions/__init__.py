"""Features as discord.py extensions; each module or package here has ``setup(bot)``."""

EXTENSIONS = (
    "bot.discord_app.extensions.interview",
    "bot.discord_app.extensions.general",
    "bot.discord_app.extensions.privacy",
    "bot.discord_app.extensions.config",
    "bot.discord_app.extensions.daily",
    "bot.discord_app.extensions.progress",
    "bot.discord_app.extensions.cohorts",
)
