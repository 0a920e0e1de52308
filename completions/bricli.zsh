#compdef bricli

_bricli_completion() {
  eval $(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" _BRICLI_COMPLETE=complete_zsh bricli)
}

compdef _bricli_completion bricli
