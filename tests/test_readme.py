"""The README is the contract with a new user: its two set-up commands, and every command documented."""

import re
from pathlib import Path

import pytest

from lakehouse.cli import SUBCOMMANDS, build_parser

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text()


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]


def test_quick_start_holds_exactly_the_two_set_up_commands():
    assert quick_start_commands() == ["make run", "make test"]


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text()
    assert "make test" in ci.splitlines()[-1]


def test_make_targets_of_the_readme_exist_with_a_description():
    makefile = (REPO / "Makefile").read_text()
    for command in quick_start_commands():
        target = command.split()[1]
        assert re.search(rf"^{target}:.*## \S", makefile, re.M), target


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_subcommand_has_help_and_is_in_the_readme(name):
    sub = build_parser()._subparsers._group_actions[0]
    helps = {action.dest: action.help for action in sub._choices_actions}
    assert helps[name] and "not built" not in helps[name]
    assert re.search(rf"`{name}[ `]", README), f"README does not document `{name}`"
