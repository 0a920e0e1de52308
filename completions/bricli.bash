# bash completion for bricli. In ~/.bashrc:  source /path/to/bricli.bash
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
