"""Guidance as Discord embeds, within Discord's limits: split, never cut mid-word."""

from __future__ import annotations

import discord

from bot.bank import Question
from bot.coaching import Feedback
from bot.coaching.render import Section, feedback_sections
from bot.interview.render import question_details, question_title

FIELD_LIMIT = 1024
DESCRIPTION_LIMIT = 4096
TITLE_LIMIT = 256
MESSAGE_LIMIT = 6000  # all embeds of one message together
EMBEDS_PER_MESSAGE = 10
FIELDS_PER_EMBED = 25

TEAL = discord.Colour(0x2A9D8F)
CRISIS_RED = discord.Colour(0xC0392B)


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most ``limit`` characters, broken at line ends, else at spaces."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit  # one word longer than the limit: nothing better to do
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def embed_size(embed: discord.Embed) -> int:
    return len(embed)


def sections_to_embeds(sections: list[Section], *, title: str | None = None,
                       colour: discord.Colour = TEAL) -> list[discord.Embed]:
    """Embeds holding every section as fields, each embed well inside the limits."""
    embeds: list[discord.Embed] = []
    current = discord.Embed(title=title[:TITLE_LIMIT] if title else None, colour=colour)
    for section in sections:
        for i, chunk in enumerate(split_text(section.body, FIELD_LIMIT)):
            name = section.title if i == 0 else f"{section.title} (continued)"
            extra = len(name) + len(chunk)
            if (len(current.fields) >= FIELDS_PER_EMBED
                    or embed_size(current) + extra > MESSAGE_LIMIT // 2):
                embeds.append(current)
                current = discord.Embed(colour=colour)
            current.add_field(name=name[:TITLE_LIMIT], value=chunk, inline=False)
    embeds.append(current)
    return embeds


def text_embeds(section: Section, *, colour: discord.Colour = TEAL) -> list[discord.Embed]:
    """One section as embed descriptions, as many as its length needs; the title on the first.
    (A server may list many local crisis lines: none may be cut off.)"""
    pieces = split_text(section.body, min(DESCRIPTION_LIMIT, MESSAGE_LIMIT // 2))
    return [discord.Embed(title=section.title[:TITLE_LIMIT] if i == 0 else None,
                          description=piece, colour=colour)
            for i, piece in enumerate(pieces or [""])]


def group_for_messages(embeds: list[discord.Embed]) -> list[list[discord.Embed]]:
    """Embeds grouped into messages of at most 10 embeds and 6000 characters each."""
    messages: list[list[discord.Embed]] = [[]]
    size = 0
    for embed in embeds:
        n = embed_size(embed)
        if messages[-1] and (size + n > MESSAGE_LIMIT
                             or len(messages[-1]) >= EMBEDS_PER_MESSAGE):
            messages.append([])
            size = 0
        messages[-1].append(embed)
        size += n
    return messages


def question_embed(question: Question, number: int, total: int, attempt: int = 1) -> discord.Embed:
    embed = discord.Embed(
        title=question_title(number, total)[:TITLE_LIMIT],
        description=question.prompt[:DESCRIPTION_LIMIT],
        colour=TEAL,
    )
    embed.set_footer(text=question_details(question, attempt))
    return embed


def feedback_messages(question: Question, feedback: Feedback,
                      crisis_resources: tuple[str, ...]) -> list[list[discord.Embed]]:
    """The guidance as one or more messages' worth of embeds, crisis resources first."""
    sections = feedback_sections(question, feedback, crisis_resources)
    embeds: list[discord.Embed] = []
    if feedback.crisis:  # the resources and the offer to pause are the whole guidance
        return group_for_messages(text_embeds(sections[0], colour=CRISIS_RED))
    score, rest = sections[0], sections[1:]
    first = sections_to_embeds(rest, title=score.title)
    first[0].description = score.body
    embeds.extend(first)
    return group_for_messages(embeds)


def example_embeds(question: Question) -> list[discord.Embed]:
    return sections_to_embeds([Section("An example answer", question.example_answer)],
                              title=question.id)
