# fish completion for bricli: copy to ~/.config/fish/completions/bricli.fish
function __bricli_complete
    set -l found (env _BRICLI_COMPLETE=complete_fish _TYPER_COMPLETE_FISH_ACTION=get-args _TYPER_COMPLETE_ARGS=(commandline -cp) bricli 2>/dev/null)
    if test -n "$found[1]"
        printf '%s\n' $found
    else
        __fish_complete_path (commandline -ct)
    end
end

complete --command bricli --no-files --keep-order --arguments '(__bricli_complete)'
