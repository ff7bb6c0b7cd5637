#!/usr/bin/env bash
# Regenerates fixtures/cli/<case>/expected.cli: for each line of the case's
# `cli-modes` file (a nasm command line), what real nasm 2.16.01 printed on
# stderr and its exit status, run inside the case folder. test/cli.test.ts
# runs tsnasm with the same lines and compares.
#
#   bash scripts/gen-cli-fixtures.sh
set -euo pipefail
if ! nasm -v 2>/dev/null | grep -q "NASM version 2.16.01"; then
  echo "gen-cli-fixtures: needs nasm 2.16.01 on PATH; the committed fixtures stay as they are." >&2
  exit 1
fi
cd "$(dirname "${BASH_SOURCE[0]}")/.."
for case_dir in fixtures/cli/*/; do
  (
    cd "$case_dir"
    : >expected.cli
    while IFS= read -r mode || [[ -n "$mode" ]]; do
      [[ -z "$mode" ]] && continue
      status=0
      # Each line runs in a fresh copy of the folder, so what nasm writes (default output names
      # such as d/main.o or nasm.out included) never lands in the fixtures.
      work="$(mktemp -d)"
      cp -r . "$work"
      # shellcheck disable=SC2086  # the line is deliberately word-split
      stderr="$(cd "$work" && nasm $mode 2>&1 >/dev/null)" || status=$?
      rm -rf "$work"
      printf '### args: %s\n%s%s### status %s\n' "$mode" "$stderr" "${stderr:+$'\n'}" "$status" >>expected.cli
    done <cli-modes
  )
done
echo "gen-cli-fixtures: done with $(nasm -v)"
