"""Shell completion: the scripts, bricli's answer to a TAB press, and the real shells.

bash and zsh are driven through tmux (keys typed, the screen read back), as a
person uses them; fish through its own `complete -C`. Each test skips when its
shell (or tmux) is not installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bricli.cli import shells
from bricli.cli.typer_seam import split_line

ROOT = Path(__file__).resolve().parent.parent


# --- reading the command line ------------------------------------------------------------------


@pytest.mark.parametrize("line, args, incomplete", [
    ("bricli tr", ["tr"][:0], "tr"),
    ("bricli trade ", ["trade"], ""),
    ("bricli trade --country El\\ Sal", ["trade", "--country"], "El Sal"),
    ('bricli trade --country "El Sal', ["trade", "--country"], "El Sal"),
    ("bricli trade --country 'El Sal", ["trade", "--country"], "El Sal"),
    ('bricli trade --country "El Salvador" ', ["trade", "--country", "El Salvador"], ""),
    ("bricli trade --country El\\ ", ["trade", "--country"], "El "),
    ("", [], ""),
])
def test_split_line(line, args, incomplete):
    assert split_line(line) == (args, incomplete)


# --- the scripts -------------------------------------------------------------------------------


def bricli_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRICLI_", "_BRICLI", "_TYPER", "COMP_"))}
    env["BRICLI_CACHE_DIR"] = str(tmp_path / "cache")
    return env


def test_completion_command_show_completion_and_files_agree(run):
    for shell in shells.SHELLS:
        printed = run(["completion", shell])
        assert printed.exit_code == 0
        assert printed.stdout == shells.script(shell)
        assert run(["--show-completion", shell]).stdout == printed.stdout  # the shell named, not the one running
        assert (ROOT / "completions" / f"bricli.{shell}").read_text(encoding="utf-8") == printed.stdout


def test_unknown_shell_is_a_usage_error(run):
    for args in (["completion", "tcsh"], ["--show-completion", "tcsh"], ["--install-completion", "tcsh"]):
        result = run(args)
        assert result.exit_code == 2
        assert "bricli: no completion for shell 'tcsh'" in result.stderr and "hint: use one of: bash, zsh, fish" in result.stderr


@pytest.mark.parametrize("shell, path, rc", [
    ("bash", ".bash_completions/bricli.sh", ".bashrc"),
    ("zsh", ".zfunc/_bricli", ".zshrc"),
    ("fish", ".config/fish/completions/bricli.fish", None),
])
def test_install_completion_for_the_shell_named(shell, path, rc, run, tmp_path):
    result = run(["--install-completion", shell], env={"HOME": str(tmp_path)})
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / path).read_text(encoding="utf-8") == shells.script(shell)
    if rc:
        again = run(["--install-completion", shell], env={"HOME": str(tmp_path)})
        assert again.exit_code == 0
        text = (tmp_path / rc).read_text(encoding="utf-8")
        assert text.count("\n") == 1  # one line, added once
    assert str(tmp_path / path) in result.stderr


# --- bricli's answers --------------------------------------------------------------------------


def answers(tmp_path: Path, shell: str, line: str) -> list[str]:
    env = bricli_env(tmp_path)
    if shell == "bash":
        env.update(_BRICLI_COMPLETE="complete_bash", _BRICLI_COMP_LINE=line)
    else:
        env.update(_BRICLI_COMPLETE=f"complete_{shell}", _TYPER_COMPLETE_ARGS=line, _TYPER_COMPLETE_FISH_ACTION="get-args")
    out = subprocess.run([sys.executable, "-m", "bricli"], env=env, capture_output=True, text=True, timeout=60, check=False)
    return [x for x in out.stdout.splitlines() if x]


def test_empty_country_offers_the_region_first(tmp_path):
    got = answers(tmp_path, "bash", "bricli trade --country ")
    from bricli.model.countries import REGION_MEMBERS

    assert got[0] == "LCN"
    assert got[1:34] == sorted(REGION_MEMBERS) and len(REGION_MEMBERS) == 33
    assert "CHN" in got and "USA" not in got


def test_multi_word_values_come_whole(tmp_path):
    assert answers(tmp_path, "bash", 'bricli trade --country "El Sal') == ["El Salvador"]
    assert answers(tmp_path, "bash", "bricli trade --country El\\ Sal") == ["El Salvador"]
    assert answers(tmp_path, "zsh", "bricli trade --country El\\ Sal") == ["El Salvador:SLV"]
    assert answers(tmp_path, "fish", "bricli trade --country El\\ Sal") == ["El Salvador\tSLV"]


def test_show_completes_derived_ids(tmp_path):
    got = answers(tmp_path, "bash", "bricli show derived.")
    assert "derived.balance.trade-2018-exports-chn-lcn" in got
    assert all(x.startswith("derived.") for x in got)
    assert "derived." in " ".join(answers(tmp_path, "bash", "bricli show d"))


def test_the_shell_name_completes(tmp_path):
    assert answers(tmp_path, "bash", "bricli completion z") == ["zsh"]
    assert answers(tmp_path, "bash", "bricli --show-completion f") == ["fish"]


def test_an_odd_comp_cword_is_no_traceback(tmp_path):
    env = {**bricli_env(tmp_path), "_BRICLI_COMPLETE": "complete_bash", "COMP_WORDS": "bricli trade", "COMP_CWORD": "x"}
    out = subprocess.run([sys.executable, "-m", "bricli"], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert out.returncode == 0 and "Traceback" not in out.stderr


def test_command_names_complete_until_one_is_chosen(tmp_path):
    """`bricli countr<TAB>` offers every command it may be; once the name is followed by
    a space, bricli builds that command alone (cli/commands.register) and completes its options."""
    assert answers(tmp_path, "bash", "bricli countr") == ["country", "countries"]
    assert [a.split(":")[0] for a in answers(tmp_path, "zsh", "bricli countr")] == ["country", "countries"]
    assert [a.split("\t")[0] for a in answers(tmp_path, "fish", "bricli countr")] == ["country", "countries"]
    assert "--status" in answers(tmp_path, "bash", "bricli country --st")


# --- the real shells ---------------------------------------------------------------------------


@pytest.fixture
def on_path(tmp_path):
    """An environment whose PATH has a `bricli` that runs this checkout."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    launcher = bindir / "bricli"
    launcher.write_text(f"#!/bin/sh\nexec {sys.executable} -m bricli \"$@\"\n")
    launcher.chmod(0o755)
    env = bricli_env(tmp_path)
    env.update(PATH=f"{bindir}{os.pathsep}{env.get('PATH', '')}", HOME=str(tmp_path), TERM="xterm",
               LANG="C.UTF-8", LC_ALL="C.UTF-8")
    return env


class Terminal:
    """A shell in a private tmux server: type keys, read the screen."""

    def __init__(self, command: list[str], env: dict[str, str], name: str):
        self.socket = f"bricli-test-{os.getpid()}-{name}"
        self.env = env
        self.tmux("new-session", "-d", "-x", "150", "-y", "40", *command)

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, "-f", os.devnull, *args], env=self.env,
                              capture_output=True, text=True, timeout=30, check=False).stdout

    def type(self, *keys: str) -> None:
        self.tmux("send-keys", *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p")

    def wait_for(self, wanted: str, timeout: float = 45) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            text = self.screen()
            if wanted in text:
                return text
            time.sleep(0.2)
        raise AssertionError(f"{wanted!r} never appeared on the screen:\n{self.screen()}")

    def close(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def terminal(on_path):
    opened = []

    def open_(command: list[str], name: str) -> Terminal:
        term = Terminal(command, on_path, name)
        opened.append(term)
        return term

    yield open_
    for term in opened:
        term.close()


needs_tmux = pytest.mark.skipif(not shutil.which("tmux"), reason="tmux not installed")


@needs_tmux
@pytest.mark.skipif(not shutil.which("bash"), reason="bash not installed")
def test_real_bash(terminal):
    term = terminal(["bash", "--norc", "--noprofile"], "bash")
    term.type(f"PS1='$ '; bind 'set print-completions-horizontally on'; source {ROOT / 'completions/bricli.bash'}; "
              "echo sourced", "Enter")
    term.wait_for("\nsourced")
    # (the screen drops trailing spaces: the X typed after TAB shows the space TAB added)
    term.type('bricli trade --country "El Sal', "Tab", "X")
    term.wait_for('$ bricli trade --country "El Salvador" X')  # quoted as typed, closed, a space after
    term.type("C-u", "bricli trade --country El\\ Sal", "Tab", "X")
    term.wait_for("$ bricli trade --country El\\ Salvador X")  # escaped
    term.type("C-u", "bricli trade --year 201", "Tab", "Tab")
    term.wait_for("2018")
    term.type("C-u", "bricli trade --country ", "Tab", "Tab")
    screen = term.wait_for("VEN")
    listed = screen.split("$ bricli trade --country", 1)[1].split()
    assert listed[:3] == ["LCN", "ARG", "ATG"]  # bricli's order (-o nosort): the region first


@needs_tmux
@pytest.mark.skipif(not shutil.which("zsh"), reason="zsh not installed")
def test_real_zsh_first_tab_completes(terminal, tmp_path):
    fdir = tmp_path / "zfunc"
    fdir.mkdir()
    shutil.copy(ROOT / "completions/bricli.zsh", fdir / "_bricli")  # installed as the README says
    term = terminal(["zsh", "-f"], "zsh")
    term.type(f"PS1='$ '; fpath=({fdir} $fpath); autoload -Uz compinit; compinit -u -D; echo ready", "Enter")
    term.wait_for("\nready")
    term.type("bricli tra", "Tab", "X")  # the very first TAB of this shell
    term.wait_for("$ bricli trade X")
    term.type("BSpace", "--country El\\ Sal", "Tab", "X")
    term.wait_for("$ bricli trade --country El\\ Salvador X")
    term.type("C-u", "bricli show derived.balance.trade-2018-ex", "Tab", "X")
    term.wait_for("$ bricli show derived.balance.trade-2018-exports-chn-lcn X")


@needs_tmux
@pytest.mark.skipif(not shutil.which("zsh"), reason="zsh not installed")
def test_real_zsh_eval_then_tab(terminal):
    """The other documented way: eval the script after compinit."""
    term = terminal(["zsh", "-f"], "zsh-eval")
    term.type("PS1='$ '; autoload -Uz compinit; compinit -u -D; eval \"$(bricli completion zsh)\"; echo ready", "Enter")
    term.wait_for("\nready")
    term.type("bricli trade --format js", "Tab", "X")
    term.wait_for("$ bricli trade --format json X")


@pytest.mark.skipif(not shutil.which("fish"), reason="fish not installed")
def test_real_fish(on_path, tmp_path):
    def complete(line: str) -> list[str]:
        script = f"source {ROOT / 'completions/bricli.fish'}; complete -C {shlex_quote(line)}"
        out = subprocess.run(["fish", "--no-config", "-c", script], env=on_path, capture_output=True, text=True, timeout=60, check=False)
        assert out.returncode == 0, out.stderr
        return [x.split("\t")[0] for x in out.stdout.splitlines()]

    assert "json" in complete("bricli trade --format j")
    assert complete("bricli trade --country El\\ Sal") == ["El Salvador"]
    assert complete('bricli trade --country "El Sal') == ["El Salvador"]
    assert complete("bricli trade --country ")[:2] == ["LCN", "ARG"]  # --keep-order: bricli's order
    assert "derived.balance.trade-2018-exports-chn-lcn" in complete("bricli show derived.bal")
    (tmp_path / "brief-here.md").write_text("")
    assert complete(f"bricli report -o {tmp_path}/brief-") == [f"{tmp_path}/brief-here.md"]  # files when bricli has none


def shlex_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
