#!/usr/bin/env bash
# Runs every test verbosely into a log, then prints the corpus harnesses' pass counts and
# the per-package results (the full log only for failures). `make test` calls it.
set -uo pipefail
log=$(mktemp)
trap 'rm -f "$log"' EXIT
go test -count=1 -v ./... >"$log" 2>&1
status=$?
echo "== corpus harnesses"
grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | sed 's/^[[:space:]]*//' | sort -u
echo "== packages"
grep -E '^(ok|FAIL|\?)[[:space:]]' "$log" | grep -v 'no test files'
if [ $status -ne 0 ]; then
  echo "== failures"
  grep -E -A 30 -- '--- FAIL' "$log" | head -300
fi
exit $status
