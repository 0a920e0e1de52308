#compdef bricli
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
