# fish completion for convsummary.
#
# Installed by `meson install` as share/fish/vendor_completions.d/convsummary.fish;
# or copy it to ~/.config/fish/completions/.  Completes the options, the
# values of --format, --style and --convention, the column names of
# --columns (a comma-separated list), the subcommands the installed
# convsummary lists in its --help (diff; convert where it has it), and
# model files: *.yaml, *.yml, *.json, *.keras and directories.

function __convsummary_subcommands
    set -l cmd (commandline -opc)[1]
    $cmd --help 2>/dev/null | sed -n '/^$/q; s/^\(usage:\)\{0,1\} *convsummary \([a-z][a-z-]*\) .*/\2/p'
end

# The subcommand on the command line, if any (the first word after the command).
function __convsummary_using
    set -l words (commandline -opc)
    test (count $words) -ge 2; and test "$words[2]" = $argv[1]
end

function __convsummary_no_subcommand
    set -l words (commandline -opc)
    test (count $words) -lt 2; and return 0
    string match -q -- '-*' $words[2]; and return 0
    # a model file, not a subcommand
    test -e $words[2]; and return 0
    string match -q -- '*.*' $words[2]
end

function __convsummary_models
    set -l token (commandline -ct)
    for f in $token*
        if test -d $f
            echo $f/
        else if string match -q -r '\.(yaml|yml|json|keras)$' -- $f
            echo $f
        end
    end
end

function __convsummary_columns
    set -l token (commandline -ct)
    set -l head (string replace -r '[^,]*$' '' -- $token)
    set -l used (string split , -- $head)
    for c in layer name type output_shape params trainable_params \
            non_trainable_params params_percent trainable kernel macs flops \
            other_ops activation_bytes rf stride jump padding
        contains -- $c $used; or echo $head$c
    end
end

function __convsummary_show
    set -l token (commandline -ct)
    set -l head (string replace -r '[^,]*$' '' -- $token)
    set -l used (string split , -- $head)
    for c in dtype activation trainable nested
        contains -- $c $used; or echo $head$c
    end
end

complete -c convsummary -f
complete -c convsummary -n '__convsummary_no_subcommand; and test (count (commandline -opc)) -eq 1' \
    -a '(__convsummary_subcommands)' -d subcommand
complete -c convsummary -a '(__convsummary_models)' -d model

# convsummary diff
complete -c convsummary -n '__convsummary_using diff' -s f -l format -x -a 'text markdown json' -d 'the format of the diff'
complete -c convsummary -n '__convsummary_using diff' -s h -l help -d 'show the help and exit'

# convsummary [options] MODEL ...
set -l main __convsummary_no_subcommand
complete -c convsummary -n $main -s f -l format -x -a 'text json markdown csv dot svg mermaid html' -d 'output format'
complete -c convsummary -n $main -s s -l style -x -a 'keras3 keras2' -d 'the text table'
complete -c convsummary -n $main -s l -l line-length -x -d 'table width'
complete -c convsummary -n $main -s e -l explain -d 'the arithmetic of each shape and count'
complete -c convsummary -n $main -l check -r -F -d 'compare the summary with a committed file'
complete -c convsummary -n $main -l update -d 'with --check: rewrite the expected file'
complete -c convsummary -n $main -l max-params -x -d 'exit 3 above this many parameters (5M)'
complete -c convsummary -n $main -l max-trainable-params -x -d 'exit 3 above this many trainable parameters'
complete -c convsummary -n $main -l max-bytes -x -d 'exit 3 above this size of weights (20MB)'
complete -c convsummary -n $main -l columns -x -a '(__convsummary_columns)' -d 'the table\'s columns'
complete -c convsummary -n $main -l convention -x -a 'macs torchinfo' -d 'how MACs count the bias'
complete -c convsummary -n $main -l batch-size -x -d 'the batch for activation memory'
complete -c convsummary -n $main -l audit -d 'warn about probable mistakes'
complete -c convsummary -n $main -l strict -d '--audit, and exit 3 when it warns'
complete -c convsummary -n $main -l input-shape -x -d 'a resolution sweep (224,224,3)'
complete -c convsummary -n $main -l direction -x -a 'TB LR' -d 'pictures: how the layers run'
complete -c convsummary -n $main -l show -x -a '(__convsummary_show)' -d 'pictures: more in each node'
complete -c convsummary -n $main -s h -l help -d 'show the help and exit'
complete -c convsummary -n $main -s V -l version -d 'show the version and exit'
