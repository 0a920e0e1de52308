"""Shell completion scripts for bash, zsh and fish, and installing them.

Each TAB press runs `bricli` with `_BRICLI_COMPLETE=complete_<shell>` and the
command line up to the cursor; bricli answers one candidate per line (see
typer_seam.py for the format) in its own order (region countries first), and
the script hands them to the shell:

- bash quotes each value for the word being typed (`El\\ Salvador`, or
  `"El Salvador"` after an opening quote), keeps the order (-o nosort) and
  falls back to file names when there is nothing to offer;
- zsh: the file is both an autoloadable completion function (`_bricli` on
  $fpath: the first TAB completes, not only the second) and a script to
  source or eval; _describe shows each value's help and quotes it;
- fish quotes values itself and shows the help beside each one.

`bricli completion SHELL` prints the script; completions/ holds the same
text (generated) and travels in the wheel as bricli/completions/.
"""

from __future__ import annotations

from pathlib import Path
from bricli.cli.errors import UsageError

SHELLS = ("bash", "zsh", "fish")

BASH = r"""# bash completion for bricli. In ~/.bashrc:  source /path/to/bricli.bash
# or:  eval "$(bricli completion bash)"
_bricli_completion() {
    local IFS=$'\n' cur=${COMP_WORDS[COMP_CWORD]} value
    local -a found
    found=( $(env _BRICLI_COMPLETE=complete_bash _BRICLI_COMP_LINE="${COMP_LINE:0:COMP_POINT}" "$1" 2>/dev/null) )
    COMPREPLY=()
    for value in "${found[@]}"; do
        case $cur in
            \"*) COMPREPLY+=("\"$value\"") ;;
            \'*) COMPREPLY+=("'$value'") ;;
            *) printf -v value '%q' "$value"; COMPREPLY+=("$value") ;;
        esac
    done
    return 0
}

# -o nosort (bash 4.4+) keeps bricli's order; older bash sorts the candidates
complete -o default -o nosort -F _bricli_completion bricli 2>/dev/null || complete -o default -F _bricli_completion bricli
"""

ZSH = r"""#compdef bricli
# zsh completion for bricli. Copy to a directory on $fpath as _bricli (before
# compinit runs in ~/.zshrc), or in ~/.zshrc after compinit:  eval "$(bricli completion zsh)"

_bricli() {
  local -a found
  found=("${(@f)$(env _BRICLI_COMPLETE=complete_zsh _TYPER_COMPLETE_ARGS="${words[1,CURRENT]}" bricli 2>/dev/null)}")
  if [[ -n ${found[1]} ]]; then
    _describe -V -t values 'bricli' found
  else
    _files
  fi
}

# Autoloaded from $fpath by the first TAB, this file's body runs as function _bricli:
# it has just redefined _bricli as the function above, so complete now (later TABs
# call _bricli directly). Sourced or eval'd, register _bricli for bricli.
if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then
  _bricli "$@"
else
  compdef _bricli bricli
fi
"""

FISH = r"""# fish completion for bricli: copy to ~/.config/fish/completions/bricli.fish
function __bricli_complete
    set -l found (env _BRICLI_COMPLETE=complete_fish _TYPER_COMPLETE_FISH_ACTION=get-args _TYPER_COMPLETE_ARGS=(commandline -cp) bricli 2>/dev/null)
    if test -n "$found[1]"
        printf '%s\n' $found
    else
        __fish_complete_path (commandline -ct)
    end
end

complete --command bricli --no-files --keep-order --arguments '(__bricli_complete)'
"""

_SCRIPTS = {"bash": BASH, "zsh": ZSH, "fish": FISH}


def script(shell: str) -> str:
    """The completion script for `shell` (one of SHELLS)."""
    if shell not in _SCRIPTS:
        raise UsageError(f"no completion for shell '{shell}'", f"use one of: {', '.join(SHELLS)}")
    return _SCRIPTS[shell]


def _append_line(rc: Path, line: str) -> None:
    text = rc.read_text(encoding="utf-8") if rc.exists() else ""
    if line not in text:
        rc.write_text(text + ("" if not text or text.endswith("\n") else "\n") + line + "\n", encoding="utf-8")


def install(shell: str, home: Path | None = None) -> Path:
    """Write the script where `shell` finds it (and the line that loads it); return its path."""
    home = Path.home() if home is None else home
    text = script(shell)
    if shell == "bash":
        path = home / ".bash_completions" / "bricli.sh"
        _append_line(home / ".bashrc", f"source '{path}'")
    elif shell == "zsh":
        path = home / ".zfunc" / "_bricli"
        zshrc = home / ".zshrc"
        if "fpath+=~/.zfunc" not in (zshrc.read_text(encoding="utf-8") if zshrc.exists() else ""):
            _append_line(zshrc, "fpath+=~/.zfunc; autoload -Uz compinit; compinit")
    else:
        path = home / ".config" / "fish" / "completions" / "bricli.fish"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
