"""The answer forms' and buttons' custom_ids: one codec, and the extensions' imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.discord_app import forms
from bot.discord_app.forms import AnswerForm, DailyForm, FollowUpForm
from bot.interview.place import Place

ROOT = Path(__file__).resolve().parents[1]
EXTENSIONS = ROOT / "bot" / "discord_app" / "extensions"


@pytest.mark.parametrize("place", [Place.DM, Place.THREAD, Place.EPHEMERAL])
def test_every_form_id_reads_back_as_it_was_written(place: Place):
    answer = AnswerForm(12, 3, 2, 987654321098765432, place, "cps-05")
    assert AnswerForm.parse(answer.custom_id) == answer
    follow_up = FollowUpForm(12, 3, 987654321098765432, place)
    assert FollowUpForm.parse(follow_up.custom_id) == follow_up
    assert DailyForm.parse(DailyForm(44).custom_id) == DailyForm(44)
    assert AnswerForm.parse(follow_up.custom_id) is None
    assert FollowUpForm.parse(answer.custom_id) is None


def test_ids_already_sent_to_discord_still_read():
    # The letters are in forms open in Discord now: they must never change meaning.
    assert AnswerForm.parse("peerprep:answer:1:0:1:42:d:cps-01") == AnswerForm(
        1, 0, 1, 42, Place.DM, "cps-01")
    assert AnswerForm.parse("peerprep:answer:1:0:1:42:t") == AnswerForm(
        1, 0, 1, 42, Place.THREAD, None)
    assert FollowUpForm.parse("peerprep:followup:1:0:42:e") == FollowUpForm(
        1, 0, 42, Place.EPHEMERAL)
    assert forms.INTERVIEW_BUTTON.fullmatch("peerprep:iv:next:1:0:1:42")
    assert forms.SHARE_BUTTON.fullmatch("peerprep:share:9")
    assert forms.DAILY_BUTTON.fullmatch("peerprep:daily:answer:3")


def test_an_id_that_would_be_too_long_leaves_the_question_out():
    form = AnswerForm(10**15, 19, 999, 10**19, Place.THREAD, "q" * 60)
    assert len(form.custom_id) <= forms.ID_LIMIT
    assert AnswerForm.parse(form.custom_id) == AnswerForm(10**15, 19, 999, 10**19,
                                                          Place.THREAD, None)


def test_a_terminal_or_unknown_place_is_written_as_a_private_reply():
    assert forms.place_letter(Place.TERMINAL) == forms.place_letter("channel") == "e"


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def test_no_extension_imports_another_extension():
    for path in EXTENSIONS.rglob("*.py"):
        if path.name == "__init__.py" and path.parent == EXTENSIONS:
            continue
        rel = path.relative_to(EXTENSIONS)
        own = "bot.discord_app.extensions." + (rel.parts[0].removesuffix(".py"))
        for name in imported_modules(path):
            if name.startswith("bot.discord_app.extensions."):
                assert name == own or name.startswith(own + "."), (str(rel), name)


def test_the_interview_flow_does_not_import_its_buttons():
    flow = EXTENSIONS / "interview" / "_flow.py"
    assert not any("_items" in name for name in imported_modules(flow))


# What an interview, an answer, a streak or a daily post depends on is read and written
# through the engine or a core service; an adapter may still keep plain settings itself
# (a guild's channels and roles, leaderboard hiding, cohort membership, privacy exports and
# deletion).
THROUGH_THE_CORE = {"interviews", "progress", "daily"}
STREAKS = {"cohorts.report", "cohorts.leaderboard"}  # counted on a local day the core picks
PEOPLE_DIRECT = {"posted_messages", "delete_discord", "export_discord", "set_hidden",
                 "remember_message"}


def store_calls(path: Path) -> list[str]:
    """Every ``<...>.store.<part>.<method>`` in ``path``, as "part.method"."""
    calls = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                and isinstance(node.value.value, ast.Attribute)
                and node.value.value.attr == "store"):
            calls.append(f"{node.value.attr}.{node.attr}")
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
              and node.value.id == "store" and isinstance(node.ctx, ast.Load)):
            calls.append(f"{node.attr}.?")
    return calls


@pytest.mark.parametrize("folder", ["bot/discord_app", "bot/practice", "bot/cli"])
def test_adapters_reach_interviews_answers_streaks_and_daily_posts_through_the_core(
        folder: str):
    for path in (ROOT / folder).rglob("*.py"):
        for call in store_calls(path):
            part, _, method = call.partition(".")
            assert part not in THROUGH_THE_CORE, (str(path.relative_to(ROOT)), call)
            assert call not in STREAKS, (str(path.relative_to(ROOT)), call)
            if part == "people":
                assert method in PEOPLE_DIRECT, (str(path.relative_to(ROOT)), call)


def test_every_custom_id_is_written_in_forms_only():
    """No other module spells out a PeerPrep custom_id: forms.py is its one codec."""
    for path in (ROOT / "bot").rglob("*.py"):
        if path.name == "forms.py" and path.parent.name == "discord_app":
            continue
        assert "peerprep:" not in path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))
