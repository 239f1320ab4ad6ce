# bash completion for partner-desk-cli                                  -*- shell-script -*-
# Standalone (no bash-completion helpers needed). tests/data/check-completion.py checks it
# against the built CLI's --help: every command, every option, every list filter.

_partner_desk_cli_commands="status list show set edit-bill-to revert-bill-to create duplicates
  link export sync sign-in sign-out consent-link push-bill-to"
_partner_desk_cli_filters="incomplete local-edits duplicates manual removed unreadable
  under-review new"
_partner_desk_cli_set_keys="erp-id registration-number segments currency status login-options
  account-manager notes"
_partner_desk_cli_bill_to_keys="companyName email firstName lastName culture language
  address.addressLine1 address.addressLine2 address.city address.state address.region
  address.postalCode address.country address.phoneNumber address.firstName address.lastName"

_partner_desk_cli_options()
{
  case $1 in
    status) echo "--format --runs --help" ;;
    list) echo "--search --filter --format --help" ;;
    show|duplicates) echo "--format --help" ;;
    create) echo "--name --domain --country --erp-id --force --help" ;;
    export) echo "--search --filter --help" ;;
    sync) echo "--full --retry-failed --max-in-flight --rpm --allow-mass-removal --reseller
      --all-resellers --help" ;;
    consent-link) echo "--dap --help" ;;
    push-bill-to) echo "--yes --help" ;;
    *) echo "--help" ;;
  esac
}

# Values of an option that takes one ("" when it takes one we cannot guess, "-" when it
# takes none).
_partner_desk_cli_option_values()
{
  case $2 in
    --format) [ "$1" = list ] && echo "table csv json" || echo "text json" ;;
    --filter|-f) echo "$_partner_desk_cli_filters" ;;
    --db|--search|-s|--runs|--max-in-flight|--rpm|--name|--domain|--country|--erp-id|--reseller)
      echo "" ;;
    *) echo "-" ;;
  esac
}

_partner_desk_cli()
{
  local i word command="" cur option values
  local -a words=() args=()

  # Glue "--filter" "=" "lo" (COMP_WORDBREAKS splits on '=') back into "--filter=lo".
  for ((i = 0; i <= COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if [ ${#words[@]} -gt 0 ] && { [ "$word" = "=" ] || [ "${COMP_WORDS[i-1]}" = "=" ]; } \
        && [ $i -gt 1 ]; then
      words[-1]+=$word
    else
      words+=("$word")
    fi
  done
  cur=${words[-1]}

  # The command is the first word that is no global option (nor --db's value).
  for ((i = 1; i < ${#words[@]} - 1; i++)); do
    word=${words[i]}
    if [ -z "$command" ]; then
      case $word in
        --db) ((i++)) ;;
        -*) ;;
        *) command=$word ;;
      esac
    else
      case $word in
        -*=*) ;;
        -*) values=$(_partner_desk_cli_option_values "$command" "$word")
            [ "$values" != "-" ] && ((i++)) ;;
        *) args+=("$word") ;;
      esac
    fi
  done

  # --option=VALUE, or VALUE after an --option that takes one.
  option=""
  if [[ $cur == -*=* ]]; then
    option=${cur%%=*}
    cur=${cur#*=}
  elif [ ${#words[@]} -gt 2 ] && [[ ${words[-2]} == -* && ${words[-2]} != *=* ]]; then
    option=${words[-2]}
  fi
  if [ -n "$option" ]; then
    if [ -z "$command" ]; then
      values=$([ "$option" = --db ] && echo "" || echo "-")
      if [ "$option" = --db ]; then
        COMPREPLY=($(compgen -f -- "$cur"))
        return 0
      fi
    else
      values=$(_partner_desk_cli_option_values "$command" "$option")
    fi
    if [ "$values" != "-" ]; then
      COMPREPLY=($(compgen -W "$values" -- "$cur"))
      return 0
    fi
  fi

  if [ -z "$command" ]; then
    if [[ $cur == -* ]]; then
      COMPREPLY=($(compgen -W "--db --version --help" -- "$cur"))
    else
      COMPREPLY=($(compgen -W "$_partner_desk_cli_commands" -- "$cur"))
    fi
    return 0
  fi

  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_partner_desk_cli_options "$command")" -- "$cur"))
    return 0
  fi

  # Positional arguments: ORG first for the commands that edit one.
  case $command in
    export)
      COMPREPLY=($(compgen -f -- "$cur")) ;;
    set|edit-bill-to)
      [ ${#args[@]} -eq 0 ] && return 0
      if [[ $cur == *=* ]]; then
        # "status=" has known values; the rest is free text.
        [ "$command" = set ] && [ "${cur%%=*}" = status ] \
          && COMPREPLY=($(compgen -W "new active blocked" -- "${cur#*=}"))
        return 0
      fi
      local keys=$_partner_desk_cli_set_keys
      [ "$command" = edit-bill-to ] && keys=$_partner_desk_cli_bill_to_keys
      COMPREPLY=($(compgen -S = -W "$keys" -- "$cur"))
      compopt -o nospace 2>/dev/null ;;
    revert-bill-to)
      [ ${#args[@]} -gt 0 ] \
        && COMPREPLY=($(compgen -W "$_partner_desk_cli_bill_to_keys" -- "$cur")) ;;
  esac
  return 0
}

complete -F _partner_desk_cli partner-desk-cli
