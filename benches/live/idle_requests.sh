#!/usr/bin/env bash
# How many AWS requests a minute an idle dashboard makes, per view, with live refresh on.
#
#   benches/live/idle_requests.sh [WINDOW_SECS]     (default 30)
#
# Starts the emulator, seeds the demo organisation, then for each view opens the dashboard in a
# detached tmux session (100x30), goes to the view, lets it load, and counts the AWS calls its
# debug log records during WINDOW_SECS without a key pressed. Prints calls per minute per view and
# per operation. Needs tmux. Uses the debug build (`cargo build`).
set -euo pipefail
cd "$(dirname "$0")/../.."
window="${1:-30}"

# shellcheck source=scripts/emulator
source scripts/emulator
cargo build --quiet --bin opsdeck
emulator_start
endpoint="$OPSDECK_EMULATOR_ENDPOINT"
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
scratch="$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-idle.XXXXXX")"
trap 'tmux kill-session -t opsdeck-idle 2>/dev/null || true; emulator_stop; rm -rf "$scratch"' EXIT
XDG_CONFIG_HOME="$scratch/config" XDG_STATE_HOME="$scratch/seed" \
    target/debug/opsdeck --endpoint-url "$endpoint" demo seed >/dev/null

# name|keys sent one by one, a second apart, to reach the view
views=(
    "accounts|"
    "tenants: tenant list|1"
    "tenants: one tenant's users|1 Enter"
    "tenants: one user|1 Enter Enter"
    "dns: current account's zones|2"
    "dns: organisation accounts|2 Escape"
    "workflows: state machines|3"
    "workflows: one machine's executions|3 Enter"
)

printf '%-40s %8s  %s\n' "view" "calls/min" "operations (calls/min)"
for entry in "${views[@]}"; do
    name="${entry%%|*}"
    keys="${entry#*|}"
    state="$scratch/state-${#name}-$RANDOM"
    mkdir -p "$state"
    tmux new-session -d -s opsdeck-idle -x 100 -y 30 \
        "env XDG_CONFIG_HOME=$scratch/config XDG_STATE_HOME=$state \
         target/debug/opsdeck --endpoint-url $endpoint --log-level debug"
    sleep 3
    for key in $keys; do
        tmux send-keys -t opsdeck-idle "$key"
        sleep 1
    done
    sleep 3
    log="$state/opsdeck/opsdeck.log"
    before="$(grep -c 'aws call' "$log" || true)"
    sleep "$window"
    after_lines="$(tail -n +1 "$log" | grep 'aws call' | tail -n +"$((before + 1))" || true)"
    tmux kill-session -t opsdeck-idle
    total="$(printf '%s' "$after_lines" | grep -c 'aws call' || true)"
    per_op="$(printf '%s\n' "$after_lines" | grep -o 'operation="\?[A-Za-z]*' | sed 's/operation="\?//' \
        | sort | uniq -c | awk -v w="$window" '{printf "%s %.0f, ", $2, $1 * 60 / w}' || true)"
    printf '%-40s %8.0f  %s\n' "$name" "$(echo "$total * 60 / $window" | bc -l)" "${per_op%, }"
done
