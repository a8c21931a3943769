"""Cohorts and the leaderboard. Facilitators see aggregates only, never answer text."""

from __future__ import annotations

import csv
import io
import logging
import re
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.records import MIN_ANSWERS_FOR_AN_AVERAGE
from bot.discord_app.checks import require_facilitator
from bot.discord_app.cogs import PeerPrepCog, acknowledge
from bot.discord_app.embeds import TEAL
from bot.discord_app.errors import UserError, reply_error
from bot.discord_app.forms import INVITATION_BUTTON, invitation_button
from bot.discord_app.posted import remember
from bot.storage import Cohort, CohortExists
from bot.text import readable

if TYPE_CHECKING:
    from bot.discord_app.client import PeerPrepBot

log = logging.getLogger(__name__)

NAME_MAX = 50
# Discord refuses longer input before it reaches us; clean_name still refuses it clearly.
CohortName = app_commands.Range[str, 1, NAME_MAX]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run these as formulas
METRICS = {"streak": "current streak (days)", "answers": "answers", "score": "average score"}


def clean_name(name: str) -> str:
    name = " ".join(readable(name).split())  # no NUL or lone surrogate reaches the store
    if not name:
        raise UserError("A cohort needs a name.")
    if len(name) > NAME_MAX:
        raise UserError(f"Cohort names are at most {NAME_MAX} characters "
                        f"(that one has {len(name)}).")
    return name


class Cohorts(PeerPrepCog, commands.GroupCog, group_name="cohort",
              group_description="Practice cohorts for this server"):
    async def _named(self, interaction: discord.Interaction, name: str) -> Cohort:
        assert interaction.guild_id is not None
        cohort = await self.bot.store.cohorts.named(interaction.guild_id, clean_name(name))
        if cohort is None:
            raise UserError(f"There is no cohort called "
                            f"{discord.utils.escape_markdown(clean_name(name))!r} here. "
                            "/cohort list shows them.")
        return cohort

    async def cohort_autocomplete(self, interaction: discord.Interaction, current: str
                                  ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        cohorts = await self.bot.store.cohorts.in_guild(interaction.guild_id)
        return [app_commands.Choice(name=c.name, value=c.name) for c in cohorts
                if current.lower() in c.name.lower()][:25]

    @app_commands.command(name="create")
    @app_commands.describe(name="The cohort's name", role="Optional role the cohort goes with")
    @app_commands.guild_only()
    async def create(self, interaction: discord.Interaction,
                     name: CohortName,
                     role: discord.Role | None = None) -> None:
        """Create a cohort (facilitators)."""
        await require_facilitator(interaction, self.bot.store)
        assert interaction.guild_id is not None
        try:
            cohort = await self.bot.store.cohorts.create(
                interaction.guild_id, clean_name(name), role.id if role else None,
                interaction.user.id, self.bot.clock())
        except CohortExists:
            raise UserError("A cohort with that name already exists here.") from None
        await interaction.followup.send(
            f"Cohort **{discord.utils.escape_markdown(cohort.name)}** created. Members join "
            "with /cohort join, or you add them with /cohort add.", ephemeral=True)

    @app_commands.command(name="add")
    @app_commands.autocomplete(name=cohort_autocomplete)
    @app_commands.guild_only()
    async def add(self, interaction: discord.Interaction, name: CohortName,
                  member: discord.Member) -> None:
        """Invite a member into a cohort; they join when they accept (facilitators)."""
        await require_facilitator(interaction, self.bot.store)
        cohort = await self._named(interaction, name)
        person = await self.bot.engine.people.for_discord(member.id)
        status = await self.bot.store.cohorts.invite(cohort.id, person.id, self.bot.clock())
        shown = discord.utils.escape_markdown(cohort.name)
        if status == "member":
            text = f"{member.mention} was already in **{shown}**."
        elif status == "pending":
            text = (f"{member.mention} is invited to **{shown}** already; they join when they "
                    f"accept (or with /cohort join).")
        else:
            text = (f"{member.mention} is invited to **{shown}**: they join when they accept. "
                    + await self._send_invitation(interaction, member, cohort))
        await interaction.followup.send(text, ephemeral=True)

    async def _send_invitation(self, interaction: discord.Interaction, member: discord.Member,
                               cohort: Cohort) -> str:
        """The invitation, with Accept and Decline, in the member's DMs; what the facilitator
        is told about it."""
        guild = interaction.guild.name if interaction.guild else "a server"
        view = discord.ui.View(timeout=None)
        for action in ("accept", "decline"):
            view.add_item(CohortInvitationButton(action, cohort.id))
        view.stop()  # dispatched by custom_id (a dynamic item): no view kept per message
        try:
            sent = await member.send(
                f"A facilitator in **{discord.utils.escape_markdown(guild)}** invited you to "
                f"the cohort **{discord.utils.escape_markdown(cohort.name)}**. If you accept, "
                "its facilitators see your practice in that server from now on: how many "
                "answers, average score, practice days and streaks, never what you write. "
                "/cohort leave takes you out any time.", view=view)
        except discord.HTTPException:
            return (f"Their DMs are closed to PeerPrep, so tell them: /cohort join "
                    f"{cohort.name} here accepts.")
        await remember(self.bot, member.id, sent)
        return "PeerPrep sent them the invitation in their DMs."
    @app_commands.command(name="remove")
    @app_commands.autocomplete(name=cohort_autocomplete)
    @app_commands.guild_only()
    async def remove(self, interaction: discord.Interaction, name: CohortName,
                     member: discord.Member) -> None:
        """Remove a member from a cohort (facilitators)."""
        await require_facilitator(interaction, self.bot.store)
        cohort = await self._named(interaction, name)
        person = await self.bot.engine.people.find_discord(member.id)
        removed = person is not None and (
            await self.bot.store.cohorts.remove(cohort.id, person.id)
            | await self.bot.store.cohorts.decline(cohort.id, person.id))  # or uninvited
        await interaction.followup.send(
            f"{member.mention} {'removed from' if removed else 'was not in'} "
            f"**{discord.utils.escape_markdown(cohort.name)}**.", ephemeral=True)

    @app_commands.command(name="report")
    @app_commands.autocomplete(name=cohort_autocomplete)
    @app_commands.guild_only()
    async def report(self, interaction: discord.Interaction, name: CohortName) -> None:
        """Each member's progress as a CSV: counts, scores, streaks; never answer text."""
        await require_facilitator(interaction, self.bot.store)
        cohort = await self._named(interaction, name)
        rows = await self.bot.standings.cohort_report(cohort.id)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["user_id", "name", "answers", "average_score", "current_streak",
                         "best_streak", "last_practice", "joined"])
        assert interaction.guild is not None  # guild_only
        names, complete = await member_names(
            interaction.guild, [r.discord_user_id for r in rows if r.discord_user_id])
        for r in rows:
            name = spreadsheet_safe(names.get(r.discord_user_id or 0, ""))
            average = r.average if r.average is not None else ""
            writer.writerow([r.discord_user_id, name, r.answers, average, r.current_streak,
                             r.best_streak, r.last_practice or "", r.joined_at[:10]])
        file = discord.File(io.BytesIO(out.getvalue().encode()),
                            filename=f"cohort-{cohort.id}-report.csv")
        missing = "" if complete else (" Discord was too busy to give every member's name: "
                                       "the rest have only their user id.")
        await interaction.followup.send(
            f"**{discord.utils.escape_markdown(cohort.name)}**: {len(rows)} member(s).{missing}",
            file=file, ephemeral=True)

    @app_commands.command(name="join")
    @app_commands.autocomplete(name=cohort_autocomplete)
    @app_commands.guild_only()
    async def join(self, interaction: discord.Interaction, name: CohortName) -> None:
        """Join a cohort."""
        cohort = await self._named(interaction, name)
        person = await self.bot.engine.people.for_discord(interaction.user.id)
        added = await self.bot.store.cohorts.add(cohort.id, person.id, self.bot.clock())
        await interaction.followup.send(
            f"{'Welcome to' if added else 'You are already in'} "
            f"**{discord.utils.escape_markdown(cohort.name)}**. Only counts and scores are "
            "shared with your facilitators, never what you write.", ephemeral=True)

    @app_commands.command(name="leave")
    @app_commands.autocomplete(name=cohort_autocomplete)
    @app_commands.guild_only()
    async def leave(self, interaction: discord.Interaction, name: CohortName | None = None
                    ) -> None:
        """Leave a cohort (or your only one)."""
        assert interaction.guild_id is not None
        person = await self.bot.engine.people.for_discord(interaction.user.id)
        mine = await self.bot.store.cohorts.of_person(interaction.guild_id, person.id)
        if name is not None:
            wanted = clean_name(name).lower()
            mine = [c for c in mine if c.name.lower() == wanted]
        if not mine:
            raise UserError("You are not in that cohort." if name else
                            "You are not in any cohort here.")
        if len(mine) > 1:
            raise UserError("You are in several cohorts: name the one to leave.")
        await self.bot.store.cohorts.remove(mine[0].id, person.id)
        await interaction.followup.send(
            f"You left **{discord.utils.escape_markdown(mine[0].name)}**.", ephemeral=True)

    @app_commands.command(name="list")
    @app_commands.guild_only()
    async def list(self, interaction: discord.Interaction) -> None:
        """The cohorts in this server."""
        assert interaction.guild_id is not None
        cohorts = await self.bot.store.cohorts.in_guild(interaction.guild_id)
        if not cohorts:
            text = "No cohorts here yet."
        else:
            text = "\n".join(f"• **{discord.utils.escape_markdown(c.name)}** — "
                             f"{c.members} member(s)" for c in cohorts)
        await interaction.followup.send(text[:2000], ephemeral=True)


async def member_names(guild: discord.Guild, user_ids: list[int]
                       ) -> tuple[dict[int, str], bool]:
    """Members' display names for a report, and whether every one could be asked for.

    Without the privileged members intent there is no member list, so each member is fetched
    by REST, one after another: discord.py paces them under Discord's rate limits. Someone who
    left the server has no name. A long rate limit stops the fetching rather than the report.
    """
    names: dict[int, str] = {}
    for user_id in user_ids:
        member = guild.get_member(user_id)
        try:
            member = member or await guild.fetch_member(user_id)
        except discord.NotFound:
            continue
        except (discord.HTTPException, discord.RateLimited) as exc:
            log.warning("stopped fetching member names for a report in guild %s: %s",
                        guild.id, exc)
            return names, False
        names[user_id] = member.display_name
    return names, True


class CohortInvitationButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                             template=INVITATION_BUTTON):
    """Accept or Decline on a cohort invitation; works after a restart. The custom_id names
    only the cohort: the invitation checked (and taken) is always the presser's own."""

    def __init__(self, action: str, cohort_id: int) -> None:
        super().__init__(invitation_button(action, cohort_id))
        self.action, self.cohort_id = action, cohort_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction,
                             item: discord.ui.Item[Any], match: re.Match[str]
                             ) -> CohortInvitationButton:
        return cls(match["action"], int(match["cohort"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await acknowledge(interaction)  # it writes: it may wait for the database
            await self._answer(interaction)
        except Exception as exc:  # one error path for components too
            await reply_error(interaction, exc)

    async def _answer(self, interaction: discord.Interaction) -> None:
        bot: PeerPrepBot = interaction.client  # type: ignore[assignment]
        person = await bot.engine.people.find_discord(interaction.user.id)
        cohort = await bot.store.cohorts.get(self.cohort_id)
        if person is None or cohort is None:
            answered = False
        elif self.action == "accept":
            answered = await bot.store.cohorts.accept(cohort.id, person.id, bot.clock())
        else:
            answered = await bot.store.cohorts.decline(cohort.id, person.id)
        if not answered or cohort is None:
            await interaction.followup.send(
                "There is no invitation waiting for you here: it was someone else's, was "
                "withdrawn, or you answered it already. Nothing changed.", ephemeral=True)
            return
        shown = discord.utils.escape_markdown(cohort.name)
        await interaction.edit_original_response(
            content=f"You joined **{shown}**. Only counts and scores from that server are "
                    "shared with its facilitators, never what you write."
            if self.action == "accept" else f"You declined **{shown}**. Nothing is shared.",
            view=None)


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet shows as text: a name such as =HYPERLINK(...) is not a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


class Leaderboard(PeerPrepCog):
    @app_commands.command(name="leaderboard")
    @app_commands.describe(cohort="One cohort (default: all cohorts here)",
                           metric="What to rank by", period="Over which time")
    @app_commands.guild_only()
    async def leaderboard(self, interaction: discord.Interaction,
                          cohort: CohortName | None = None,
                          metric: Literal["streak", "answers", "score"] = "answers",
                          period: Literal["week", "month", "all"] = "week") -> None:
        """The top 10 and your own rank."""
        assert interaction.guild_id is not None
        chosen = None
        if cohort is not None:
            chosen = await self.bot.store.cohorts.named(interaction.guild_id, clean_name(cohort))
            if chosen is None:
                raise UserError("There is no cohort by that name here.")
        person = await self.bot.engine.people.for_discord(interaction.user.id)
        top, mine = await self.bot.standings.leaderboard(
            guild_id=interaction.guild_id, cohort_id=chosen.id if chosen else None,
            metric=metric, period=period, person_id=person.id)
        when = "right now" if metric == "streak" else {"week": "this week",
                                                       "month": "this month",
                                                       "all": "all time"}[period]
        lines = [f"{s.rank}. <@{s.discord_user_id}> — {_value(metric, s.value)}" for s in top]
        embed = discord.Embed(title=f"Leaderboard: {METRICS[metric]}",
                              description="\n".join(lines) or "Nobody on the board yet.",
                              colour=TEAL)
        # A footer is plain text: the name as it is, without markdown escapes.
        floor = (f"averages of {MIN_ANSWERS_FOR_AN_AVERAGE}+ answers only · "
                 if metric == "score" else "")
        embed.set_footer(text=f"{chosen.name if chosen else 'all cohorts'} · {when} · {floor}"
                              "/privacy leaderboard hide takes you off every board")
        if mine is not None:
            embed.add_field(name="You", value=f"#{mine.rank} — {_value(metric, mine.value)}")
        elif person.hide_leaderboards:
            embed.add_field(name="You", value="hidden from leaderboards")
        await interaction.followup.send(embed=embed, ephemeral=True)


def _value(metric: str, value: float) -> str:
    if metric == "score":
        return f"{value:.0f}/100"
    return f"{int(value)} {'day(s)' if metric == 'streak' else 'answer(s)'}"


async def setup(bot: PeerPrepBot) -> None:
    bot.add_dynamic_items(CohortInvitationButton)
    await bot.add_cog(Cohorts(bot))
    await bot.add_cog(Leaderboard(bot))
