"""The documentation stays true: its links lead somewhere, its commands are ones the
project has, and the README stays short.

The pages are README.md and docs/*.md. A relative link must name a file or folder of
the checkout, and an anchor into a Markdown page one of that page's headings. A
command is every line of a fenced ``sh``, ``bash``, ``shell`` or ``console`` block, and
every inline code span that starts with ``make``, ``snakemake``, ``python -m`` or a tool
in ``.venv/bin/``. Of a command:

- ``make``: each target is one the Makefile defines, each ``NAME=value`` a variable the
  Makefile uses, and, where its values are plain words, ``make -n`` accepts it (so a
  value the Makefile refuses, ``RENDER=latex``, is caught too);
- ``snakemake``: the installed Snakemake's own argument parser accepts it, every option
  is spelled in full, each ``--profile`` is a folder holding ``config.yaml``, each
  ``--configfile`` or ``--snakefile`` a file, each ``--config`` key a key of
  ``config/config.yaml`` and each target a rule;
- ``python -m mining_report.X``: ``X`` is a module of the package that runs as a script;
- a program named by its path (``tests/cluster/throwaway-slurm.sh``) is an executable
  file, a ``.venv/bin/`` tool is installed, and every argument that is a path into the
  project's sources (``src/``, ``tests/``, ``workflow/``, ``config/``...) exists.

``test_the_checker_reports_a_wrong_command`` runs the checker on a made-up page of wrong
links and commands, so that a checker that silently checks nothing fails.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
#: The README says what a user needs and links the rest; it stays well under this.
README_MAX_LINES = 200

SHELL_BLOCKS = {"sh", "bash", "shell", "console"}
#: The tools `make` installs into the project's environment (.venv/bin).
VENV_BIN = Path(sys.executable).parent
#: Folders of the checkout's sources: a command's argument under one of them must exist
#: (outputs, under data/ and reports/, need not before a build).
SOURCE_ROOTS = {"src", "tests", "workflow", "config", "benchmarks", "docs", ".ci", ".github"}
#: A placeholder a page writes for a value of the reader's: <table>, <folder>.
PLACEHOLDER = re.compile(r"<[A-Za-z][\w.-]*>")
MARK = "PLACEHOLDER"
#: A value make is given that is a plain word, safe to pass to `make -n`. A page may show
#: a hostile value on purpose (`make refresh "SOURCE=x; touch f"`): that one is not run.
PLAIN_VALUE = re.compile(r"[\w.:/@%+,-]*")
#: Options of Snakemake whose values are paths of the checkout.
SNAKEMAKE_FOLDERS = {"--profile", "--workflow-profile", "--directory", "-d"}
SNAKEMAKE_FILES = {"--configfile", "--configfiles", "--snakefile", "-s"}
#: Make's own environment, which the suite inherits when `make test` runs it.
MAKE_ENVIRONMENT = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}


@dataclass(frozen=True)
class Command:
    """One simple command a page shows: where, as written, and its words."""

    where: str
    text: str
    argv: tuple[str, ...]


# Reading the pages ---------------------------------------------------------------------

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\s`]*)")


def split_fences(text: str) -> tuple[list[tuple[str, int, list[str]]], list[str]]:
    """The fenced blocks, as (info, first line number, lines), and the prose: the page's
    lines with every fenced block blanked (so line numbers stay)."""
    blocks: list[tuple[str, int, list[str]]] = []
    prose: list[str] = []
    fence = None
    for number, line in enumerate(text.splitlines(), start=1):
        if fence is None:
            match = FENCE.match(line)
            if match:
                fence = match.group("fence")
                indent = len(match.group("indent"))
                blocks.append((match.group("info").lower(), number + 1, []))
                prose.append("")
            else:
                prose.append(line)
            continue
        prose.append("")
        stripped = line.strip()
        if stripped.startswith(fence) and not stripped.strip(fence[0]):
            fence = None
        else:
            blocks[-1][2].append(line.lstrip() if line[:indent].strip() else line[indent:])
    return blocks, prose


def without_code_spans(line: str) -> str:
    return re.sub(r"(`+).+?\1", "", line)


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "")
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


def anchors(text: str) -> set[str]:
    found: set[str] = set()
    _, prose = split_fences(text)
    for line in prose:
        match = re.match(r"#{1,6}\s+(.+?)\s*#*\s*$", line)
        if match:
            base = slug(match.group(1))
            name, n = base, 0
            while name in found:
                n += 1
                name = f"{base}-{n}"
            found.add(name)
    return found


LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")


def link_problems(page: Path, text: str) -> list[str]:
    """Every relative link of the page that leads nowhere."""
    problems = []
    _, prose = split_fences(text)
    for number, line in enumerate(prose, start=1):
        line = without_code_spans(line)
        targets = [m.group(1) for m in LINK.finditer(line)]
        targets += [m.group(1) for m in [REFERENCE.match(line)] if m]
        for target in targets:
            if re.match(r"[a-z][a-z0-9+.-]*:", target, re.I):  # https:, mailto:
                continue
            where = f"{page.relative_to(ROOT)}:{number}: link {target}"
            path, _, anchor = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            if not linked.is_relative_to(ROOT):
                problems.append(f"{where}: leads out of the project")
            elif not linked.exists():
                problems.append(f"{where}: no such file or folder")
            elif anchor and linked.suffix == ".md":
                headings = anchors(text if linked == page else linked.read_text())
                if anchor not in headings:
                    problems.append(f"{where}: no heading with the anchor #{anchor}")
    return problems


INLINE_COMMAND = re.compile(
    r"(?:[A-Z_][A-Z0-9_]*=\S+\s+)*(?:make|snakemake|python3?\s+-m|\.venv/bin/\S+)(?:\s|$)"
)


def commands(page: Path, text: str) -> list[Command]:
    """Every simple command the page shows, fenced or inline."""
    found: list[Command] = []
    name = page.relative_to(ROOT)
    blocks, prose = split_fences(text)
    for info, first, lines in blocks:
        if info not in SHELL_BLOCKS:
            continue
        logical: list[tuple[int, str]] = []
        pending = ""
        for offset, line in enumerate(lines):
            if info == "console" and not pending:
                if not line.startswith("$ "):
                    continue  # the command's output
                line = line[2:]
            pending += line
            if pending.endswith("\\"):
                pending = pending[:-1] + " "
                continue
            logical.append((first + offset, pending))
            pending = ""
        for number, line in logical:
            found += simple_commands(f"{name}:{number}", line)
    joined = "\n".join(prose)
    for match in re.finditer(r"(`+)(.+?)\1", joined, re.S):
        span = " ".join(match.group(2).split())
        if INLINE_COMMAND.match(span):
            number = joined.count("\n", 0, match.start()) + 1
            found += simple_commands(f"{name}:{number}", span)
    return found


def simple_commands(where: str, line: str) -> list[Command]:
    """The simple commands of one shell line: comments dropped, split at ; && || | &,
    redirections and what follows them left out, leading NAME=value and sudo dropped."""
    line = re.sub(r"(^|\s)#.*$", "", line).strip()
    if not line:
        return []
    lexer = shlex.shlex(PLACEHOLDER.sub(MARK, line), posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        tokens = list(lexer)
    except ValueError as error:
        return [Command(where, line, ("<unparsable>", str(error)))]
    found, words, redirected = [], [], False
    for token in [*tokens, ";"]:
        if token in {";", "&&", "||", "|", "&", "(", ")"}:
            while words and (re.fullmatch(r"[A-Za-z_]\w*=.*", words[0]) or words[0] == "sudo"):
                words.pop(0)
            if words:
                found.append(Command(where, line, tuple(words)))
            words, redirected = [], False
        elif set(token) <= set("<>&") or redirected:
            redirected = True
        else:
            words.append(token)
    return found


# What the project has -----------------------------------------------------------------


def make_environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in MAKE_ENVIRONMENT}


@functools.cache
def make_targets() -> frozenset[str]:
    """The targets make's database holds for the Makefile, special ones left out."""
    done = subprocess.run(
        ["make", "--no-print-directory", "-pRrq", "-f", "Makefile", ":"],
        cwd=ROOT, capture_output=True, text=True, env=make_environment(), timeout=60,
    )  # fmt: skip
    files = done.stdout.split("\n# Files\n", 1)[-1].split("\n# Finished Make data base", 1)[0]
    targets, previous = set(), ""
    for line in files.splitlines():
        match = re.match(r"([^\s#=:][^=:]*?)::?(?!=)", line)
        if match and previous != "# Not a target:" and not match.group(1).startswith("."):
            targets.update(match.group(1).split())
        previous = line
    assert "report" in targets, f"no targets read from make's database: {done.stderr}"
    return frozenset(targets)


@functools.cache
def make_variables() -> frozenset[str]:
    """The variables the Makefile sets or reads: `NAME ?= …`, `$(NAME)`, `$(value NAME)`,
    `$(call arg,NAME)`, `ifdef NAME`, `$(origin NAME)`."""
    text = (ROOT / "Makefile").read_text()
    names = set(re.findall(r"^([A-Za-z_]\w*)\s*(?:\?|:|::|\+)?=", text, re.M))
    names |= set(re.findall(r"\$\((?:[a-z]+ )?(?:[\w-]+,)*([A-Za-z_]\w*)\)", text))
    names |= set(re.findall(r"^\s*(?:ifdef|ifndef)\s+(\w+)", text, re.M))
    return frozenset(names)


@functools.cache
def snakemake_rules() -> frozenset[str]:
    files = [ROOT / "Snakefile", *sorted((ROOT / "workflow").rglob("*.smk"))]
    text = "\n".join(f.read_text() for f in files if f.is_file())
    return frozenset(re.findall(r"^\s*(?:rule|checkpoint)\s+(\w+)\s*:", text, re.M))


@functools.cache
def config_keys() -> frozenset[str]:
    return frozenset(yaml.safe_load((ROOT / "config" / "config.yaml").read_text()))


#: Run by the project's Python: Snakemake's own parser, on every command at once. Its
#: answer, per command: the parser's error, or the options not spelled in full (argparse
#: accepts abbreviations) and the targets.
SNAKEMAKE_PARSER = """
import contextlib, io, json, re, sys
from snakemake.cli import get_argument_parser

parser = get_argument_parser()
class Refused(Exception):
    pass
def refuse(message):
    raise Refused(message)
parser.error = refuse
known = set(parser._option_string_actions)
answers = []
for argv in json.load(sys.stdin):
    targets = []
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # --version prints, then exits
            targets = list(parser.parse_args(argv).targets or [])
    except Refused as error:
        answers.append({"error": str(error)})
        continue
    except SystemExit as error:
        if error.code:
            answers.append({"error": f"exit status {error.code}"})
            continue
    options = [a.split("=", 1)[0] for a in argv if re.match("--?[A-Za-z]", a)]
    answers.append({"abbreviated": [o for o in options if o not in known], "targets": targets})
json.dump(answers, sys.stdout)
"""


def snakemake_parse(argvs: list[list[str]]) -> list[dict]:
    if not argvs:
        return []
    done = subprocess.run(
        [sys.executable, "-c", SNAKEMAKE_PARSER], input=json.dumps(argvs), cwd=ROOT,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, f"Snakemake's parser did not run: {done.stderr}"
    return json.loads(done.stdout)


# Checking a command -------------------------------------------------------------------


def is_placeholder(word: str) -> bool:
    return MARK in word


def path_problems(argv: tuple[str, ...]) -> list[str]:
    """An argument that is a path into the project's sources, and does not exist."""
    problems = []
    for word in argv[1:]:
        value = word.split("=", 1)[1] if word.startswith("-") and "=" in word else word
        first = value.split("/", 1)[0]
        wildcard = is_placeholder(value) or any(c in value for c in "*?[{$")
        if "/" in value and first in SOURCE_ROOTS and not wildcard and not (ROOT / value).exists():
            problems.append(f"no such file or folder: {value}")
    return problems


def make_problems(argv: tuple[str, ...]) -> list[str]:
    problems = []
    args = argv[1:]
    for word in args:
        if word.startswith("-"):
            continue
        if "=" in word:
            name = word.split("=", 1)[0]
            if name not in make_variables():
                problems.append(f"the Makefile uses no variable {name}")
        elif word not in make_targets():
            problems.append(f"the Makefile has no target {word}")
    values = [w.split("=", 1)[1] for w in args if "=" in w]
    plain = all(PLAIN_VALUE.fullmatch(v) for v in values) and not any(map(is_placeholder, args))
    if not problems and plain and (refusal := make_dry_run(args)):
        problems.append(f"make -n refuses it: {refusal}")
    return problems


@functools.cache
def make_dry_run(args: tuple[str, ...]) -> str | None:
    """Why `make -n` refuses these arguments (its last line), or None."""
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", *args], cwd=ROOT, capture_output=True,
        text=True, env=make_environment(), timeout=60,
    )  # fmt: skip
    return done.stderr.strip().splitlines()[-1] if done.returncode else None


def option_values(argv: list[str], options: set[str]) -> list[str]:
    """The values given to any of ``options``: ``--opt=v`` or ``--opt v [v ...]``."""
    values = []
    for i, word in enumerate(argv):
        name, eq, value = word.partition("=")
        if name in options and eq:
            values.append(value)
        elif word in options:
            for following in argv[i + 1 :]:
                if following.startswith("-"):
                    break
                values.append(following)
                if word not in {"--configfile", "--configfiles", "--config"}:
                    break
    return values


def snakemake_problems(argv: tuple[str, ...], answer: dict) -> list[str]:
    if "error" in answer:
        return [f"Snakemake's parser refuses it: {answer['error']}"]
    args = list(argv[1:])
    problems = [f"Snakemake knows no option {o} (spell it in full)" for o in answer["abbreviated"]]
    for folder in option_values(args, SNAKEMAKE_FOLDERS):
        if not is_placeholder(folder) and not (ROOT / folder).is_dir():
            problems.append(f"no such folder: {folder}")
    for profile in option_values(args, {"--profile", "--workflow-profile"}):
        if (ROOT / profile).is_dir() and not (ROOT / profile / "config.yaml").is_file():
            problems.append(f"the profile {profile} has no config.yaml")
    for file in option_values(args, SNAKEMAKE_FILES):
        if not is_placeholder(file) and not (ROOT / file).is_file():
            problems.append(f"no such file: {file}")
    for setting in option_values(args, {"--config", "-C"}):
        key = setting.split("=", 1)[0].split(".", 1)[0]
        if "=" not in setting:
            problems.append(f"--config takes KEY=VALUE, not {setting}")
        elif key not in config_keys():
            problems.append(f"config/config.yaml has no key {key}")
    for target in answer["targets"]:
        if "/" not in target and "." not in target and target not in snakemake_rules():
            problems.append(f"the workflow has no rule {target}")
    return problems


def python_problems(argv: tuple[str, ...]) -> list[str]:
    args = list(argv[1:])
    if "-m" not in args:
        script = next((a for a in args if not a.startswith("-")), None)
        if script and script.endswith(".py") and not (ROOT / script).is_file():
            return [f"no such script: {script}"]
        return []
    module = args[args.index("-m") + 1] if args.index("-m") + 1 < len(args) else ""
    if module.split(".", 1)[0] != "mining_report":
        return []
    base = ROOT / "src" / Path(*module.split("."))
    runnable = [base.with_suffix(".py"), base / "__main__.py"]
    if not any(p.is_file() for p in runnable):
        return [f"the package has no module {module}"]
    if base.with_suffix(".py").is_file() and "__main__" not in runnable[0].read_text():
        return [f"{module} does not run as a script (no __main__ block)"]
    return []


def command_problems(page: Path, text: str) -> list[str]:
    """Every command the page shows that names something the project does not have."""
    found = commands(page, text)
    checked: list[tuple[Command, list[str]]] = []
    pending_snakemake: list[tuple[Command, tuple[str, ...]]] = []
    for command in found:
        argv = command.argv
        problems: list[str] = []
        program = argv[0]
        if program == "<unparsable>":
            checked.append((command, [f"cannot read it as a shell command: {argv[1]}"]))
            continue
        if program.startswith(".venv/bin/"):
            program = program.removeprefix(".venv/bin/")
            if not (VENV_BIN / program).exists():
                problems.append(f"the environment installs no {program}")
            argv = (program, *argv[1:])
        elif "/" in program and not program.startswith(("/", "~", "$")):
            path = ROOT / program
            if not path.is_file() or not os.access(path, os.X_OK):
                problems.append(f"no executable {program} in the project")
        problems += path_problems(argv)
        if program == "make":
            problems += make_problems(argv)
        elif program in {"python", "python3"}:
            problems += python_problems(argv)
        elif program == "snakemake":
            pending_snakemake.append((command, argv))
        checked.append((command, problems))
    answers = snakemake_parse([list(argv[1:]) for _, argv in pending_snakemake])
    by_command = {
        id(command): snakemake_problems(argv, answer)
        for (command, argv), answer in zip(pending_snakemake, answers, strict=True)
    }
    report = []
    for command, problems in checked:
        for problem in problems + by_command.get(id(command), []):
            report.append(f"{command.where}: `{' '.join(command.argv)}`: {problem}")
    return report


def page_problems(page: Path, text: str | None = None) -> list[str]:
    text = page.read_text() if text is None else text
    return link_problems(page, text) + command_problems(page, text)


# The tests ---------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_link_and_command_of_a_page_is_true(page: Path) -> None:
    problems = page_problems(page)
    assert not problems, "\n".join(problems)


def test_the_pages_show_the_commands_a_user_needs() -> None:
    # The checker sees the commands at all: the README's and the cluster page's.
    shown = {" ".join(c.argv) for page in PAGES for c in commands(page, page.read_text())}
    for needed in ["make report", "make test", "make refresh SOURCE=coinmetrics ACCEPT=1",
                   "make resign TABLE=events", "make explain VAR=china_share_baseline",
                   ".venv/bin/snakemake --profile workflow/profiles/slurm --dry-run",
                   "python -m mining_report.pipeline.recovery"]:  # fmt: skip
        assert needed in shown, f"no page shows `{needed}`"


def test_the_readme_is_short_and_links_every_page() -> None:
    text = README.read_text()
    lines = text.count("\n") + 1
    assert lines <= README_MAX_LINES, f"README.md has {lines} lines: move detail to docs/"
    linked = {m.group(1).split("#")[0] for m in LINK.finditer(text)}
    for page in PAGES[1:]:
        assert str(page.relative_to(ROOT)) in linked, f"README.md does not link {page.name}"


@pytest.mark.parametrize("page", PAGES[1:], ids=[p.name for p in PAGES[1:]])
def test_every_page_opens_with_its_purpose_in_one_line(page: Path) -> None:
    title, blank, purpose, after = (page.read_text().splitlines() + ["", "", "", ""])[:4]
    assert title.startswith("# ") and not blank.strip(), f"{page.name}: a title, then a blank"
    assert purpose.strip() and not after.strip(), f"{page.name}: one line of purpose first"


BAD_PAGE = """\
# A page of mistakes

See [no page](docs/no-such-page.md), [no heading](#no-such-heading) and
[no heading there](docs/refresh.md#no-such-heading); `make reprot` builds it.

## Commands

```sh
make reprot
make refresh SOURCE=coinmetrics ACCEPTED=1
make report RENDER=latex
.venv/bin/snakemake --profile workflow/profiles/no-such-profile --dry-run
.venv/bin/snakemake --no-such-option
.venv/bin/snakemake --sdm bogus
.venv/bin/snakemake --prof workflow/profiles/slurm
snakemake --configfile config/no-such-config.yaml --config no_such_key=1
snakemake no_such_rule
python -m mining_report.no_such_module
python -m mining_report.registry
sudo tests/cluster/no-such-helper.sh start
.venv/bin/no-such-tool --version
.venv/bin/pytest tests/no_such_layer
```
"""

GOOD_PAGE = """\
# A page of true commands

See [the refresh page](docs/refresh.md#accepting-a-vintage) and [below](#commands).

## Commands

```console
$ make report RENDER=pandoc CORES=2
output that is not a command: make reprot
$ .venv/bin/snakemake --profile workflow/profiles/slurm \\
    --sdm env-modules --dry-run
```

```sh
make refresh SOURCE=ccaf BASE_URL=http://127.0.0.1:8000/api   # a test server
CI=true make test && python -m mining_report.pipeline.recovery
snakemake checks --cores all --config render_engine=quarto
```

`make refresh "SOURCE=x; touch f"` is shown as hostile input and never run.
"""


def test_the_checker_reports_a_wrong_command() -> None:
    problems = page_problems(README, BAD_PAGE)
    lines = BAD_PAGE.splitlines()
    flagged = {int(p.split(":")[1]) for p in problems}
    wrong = {n for n, line in enumerate(lines, start=1) if "no-such" in line or "reprot" in line
             or re.search(r"ACCEPTED|latex|bogus|--prof |no_such|registry$", line)}  # fmt: skip
    assert wrong - flagged == set(), "\n".join(
        [f"not reported: {lines[n - 1]}" for n in sorted(wrong - flagged)] + problems
    )
    assert flagged <= wrong, "\n".join(problems)


def test_the_checker_passes_true_commands() -> None:
    assert page_problems(README, GOOD_PAGE) == []
