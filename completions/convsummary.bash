# bash completion for convsummary                          -*- shell-script -*-
#
# Installed by `meson install` as share/bash-completion/completions/convsummary,
# where bash-completion loads it on first use; or source it from ~/.bashrc.
# It needs nothing from the bash-completion package.
#
# Completes the options, the values of --format, --style, --convention and
# --direction, the names of --columns and --show (comma-separated lists), the subcommands
# (those that `convsummary --help` lists: diff, and convert where the
# installed convsummary has it), and model files: *.yaml, *.yml, *.json,
# *.keras and directories.

_convsummary_options='--format --style --line-length --explain --check --update
--max-params --max-trainable-params --max-bytes --columns --convention
--batch-size --audit --strict --input-shape --direction --show --help --version'
_convsummary_formats='text json markdown csv dot svg mermaid html'
_convsummary_diff_formats='text markdown json'
_convsummary_styles='keras3 keras2'
_convsummary_conventions='macs torchinfo'
_convsummary_directions='TB LR'
_convsummary_show='dtype activation trainable nested'
_convsummary_columns='layer name type output_shape params trainable_params
non_trainable_params params_percent trainable kernel macs flops other_ops
activation_bytes rf stride jump padding'

# The subcommands the convsummary on PATH offers: its --help's usage lines
# ("       convsummary diff ...").
_convsummary_subcommands()
{
	"${1:-convsummary}" --help 2>/dev/null |
		sed -n '/^$/q; s/^\(usage:\)\{0,1\} *convsummary \([a-z][a-z-]*\) .*/\2/p'
}

# COMPREPLY += the words of $1 that start with $2, each prefixed by $3.
_convsummary_words()
{
	local w
	for w in $1; do
		[[ $w == "$2"* ]] && COMPREPLY+=("$3$w")
	done
}

# COMPREPLY += model files and directories that start with $1.
_convsummary_models()
{
	local f
	while IFS= read -r f; do
		if [[ -d $f ]]; then
			COMPREPLY+=("$f")
		else
			case $f in
			*.yaml | *.yml | *.json | *.keras) COMPREPLY+=("$f") ;;
			esac
		fi
	done < <(compgen -f -- "$1")
	compopt -o filenames 2>/dev/null
}

# --columns, --show: complete the last name of a comma-separated list of
# the words of $2.
_convsummary_list()
{
	local cur=$1 head= last=$1 used w
	if [[ $cur == *,* ]]; then
		head=${cur%,*},
		last=${cur##*,}
	fi
	used=,${head}
	for w in $2; do
		[[ $used == *",$w,"* ]] && continue
		[[ $w == "$last"* ]] && COMPREPLY+=("$head$w")
	done
	compopt -o nospace 2>/dev/null
}

_convsummary()
{
	COMPREPLY=()
	local eq=
	_convsummary_complete
	# "--format=j" as one word (no '=' in COMP_WORDBREAKS): the reply
	# replaces the whole word
	if [[ -n $eq ]]; then
		local i
		for i in "${!COMPREPLY[@]}"; do
			COMPREPLY[i]=$eq${COMPREPLY[i]}
		done
	fi
}

_convsummary_complete()
{
	local cword=$COMP_CWORD
	local cur=${COMP_WORDS[cword]} prev=
	((cword > 0)) && prev=${COMP_WORDS[cword - 1]}

	# "--format=j": bash splits at '=' when it is in COMP_WORDBREAKS
	if [[ $cur == = ]] && ((cword > 1)); then
		prev=${COMP_WORDS[cword - 1]}
		cur=
	elif [[ $prev == = ]] && ((cword > 1)); then
		prev=${COMP_WORDS[cword - 2]}
	elif [[ $cur == --*=* ]]; then
		prev=${cur%%=*}
		eq=$prev=
		cur=${cur#*=}
	fi

	local sub= i
	for ((i = 1; i < cword; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*)
			if ((i == 1)); then sub=${COMP_WORDS[i]}; fi
			break
			;;
		esac
	done

	if [[ $sub == diff ]]; then
		case $prev in
		-f | --format)
			_convsummary_words "$_convsummary_diff_formats" "$cur"
			return
			;;
		esac
		if [[ $cur == -* ]]; then
			_convsummary_words "--format --help" "$cur"
		else
			_convsummary_models "$cur"
		fi
		return
	fi
	if [[ -n $sub && $sub != *.* && ! -e $sub ]]; then
		# another subcommand (convert): its options are its own
		if [[ $cur == -* ]]; then
			_convsummary_words "--help" "$cur"
		else
			_convsummary_models "$cur"
		fi
		return
	fi

	case $prev in
	-f | --format)
		_convsummary_words "$_convsummary_formats" "$cur"
		return
		;;
	-s | --style)
		_convsummary_words "$_convsummary_styles" "$cur"
		return
		;;
	--convention)
		_convsummary_words "$_convsummary_conventions" "$cur"
		return
		;;
	--columns)
		_convsummary_list "$cur" "$_convsummary_columns"
		return
		;;
	--show)
		_convsummary_list "$cur" "$_convsummary_show"
		return
		;;
	--direction)
		_convsummary_words "$_convsummary_directions" "$cur"
		return
		;;
	--check)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	-l | --line-length | --max-params | --max-trainable-params | --max-bytes | \
		--batch-size | --input-shape)
		return # a number or sizes: nothing to offer
		;;
	esac

	case $cur in
	-f?*) _convsummary_words "$_convsummary_formats" "${cur#-f}" -f ;;
	-s?*) _convsummary_words "$_convsummary_styles" "${cur#-s}" -s ;;
	--*) _convsummary_words "$_convsummary_options" "$cur" ;;
	-*) _convsummary_words "-f -s -l -e -h -V $_convsummary_options" "$cur" ;;
	*)
		if ((cword == 1)); then
			_convsummary_words "$(_convsummary_subcommands "${COMP_WORDS[0]}")" "$cur"
		fi
		_convsummary_models "$cur"
		;;
	esac
}

complete -F _convsummary convsummary
