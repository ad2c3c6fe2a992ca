# check.sh - sourced by the CLI end-to-end scripts: counts assertions, names failures, and
# ends with the closing line ctest and CI read ("NAME: N passed, M failed").
source "$(dirname "${BASH_SOURCE[0]}")/python.sh"
fails=0
pass=0
check() { # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then pass=$((pass + 1)); else echo "FAIL: $what"; fails=$((fails + 1)); fi
}
py() { python3 -c "$@"; }
check_finish() { # check_finish NAME: prints the summary; the script's exit status
  echo "$1: $pass passed, $fails failed"
  [ "$fails" -eq 0 ]
}
