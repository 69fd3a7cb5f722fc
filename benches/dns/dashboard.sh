#!/usr/bin/env bash
# The dashboard with 100,000 DNS records loaded, measured two ways (release build):
#
#   1. `cargo bench --bench dashboard` (benches/dashboard.rs): the app core in one process, the
#      organisation's inventory fed page by page as the runtime feeds it, the all-records view
#      open, then `/host-0001` typed a key every 60 ms with the searches run on threads as the
#      runtime runs them: the longest UI wait of a key press (one `update`), the time from the
#      last key to its result on screen, the resident memory the records add (bytes a record)
#      and the process's peak; then, the filter cleared, `o` `o` `o` `O` (sorts run on threads
#      too): each key's UI wait and the time until the sorted rows are on screen.
#   2. the dashboard itself (target/release/opsdeck) in a detached tmux session against the
#      emulator seeded with ORG="accounts zones records" (default 10 10 1000: 100,200 record
#      sets with each zone's SOA and NS): DNS pane, the organisation (Esc), all records (Enter)
#      once every account is loaded, `/host-0001` typed; then its peak resident memory (VmHWM).
#
# Usage: cargo build --release && benches/dns/dashboard.sh   (about 10 minutes; needs tmux)
# Env:   ORG ("accounts zones records"; empty skips part 2), RECORDS (part 1, default 100000),
#        BENCH=0 skips part 1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
ORG="${ORG-10 10 1000}"

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ "${BENCH:-1}" != 0 ]]; then
    echo "== app core: cargo bench --bench dashboard"
    cargo bench --quiet --bench dashboard 2>/dev/null
fi
[[ -n "$ORG" ]] || exit 0

scripts/emulator install >&2
PY="$ROOT/.venv/bin/python"
MOTO="$ROOT/.venv/bin/moto_server"
[[ -x target/release/opsdeck ]] || cargo build --release --bin opsdeck >&2
OPSDECK="$ROOT/target/release/opsdeck"
WORK="$(mktemp -d)"
SESSION="opsdeck-dash-$$"
MOTO_PID=""
cleanup() {
    tmux kill-session -t "$SESSION" 2>/dev/null || true
    [[ -n "$MOTO_PID" ]] && kill "$MOTO_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 \
    AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_ENDPOINT_URL AWS_SESSION_TOKEN
: > "$WORK/opsdeck.toml"

port="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$MOTO" -H 127.0.0.1 -p "$port" > "$WORK/moto.log" 2>&1 &
MOTO_PID=$!
for _ in $(seq 100); do
    "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
    sleep 0.2
done
URL="http://127.0.0.1:$port"
read -r A Z R <<< "$ORG"
echo "== the dashboard: seeding $A accounts x $Z zones x $R records into the emulator ..."
"$PY" benches/dns/seed_org.py "$URL" "$A" "$Z" "$R" > "$WORK/seed.log"

screen() { tmux capture-pane -p -t "$SESSION"; }
tmux new-session -d -s "$SESSION" -x 120 -y 40 \
    "sh -c 'echo \$\$ > $WORK/pid; exec env XDG_STATE_HOME=$WORK/state $OPSDECK --config $WORK/opsdeck.toml --endpoint-url $URL'"
sleep 3
PID="$(cat "$WORK/pid")"
tmux send-keys -t "$SESSION" 2
sleep 1
tmux send-keys -t "$SESSION" Escape
start=$(date +%s)
# Every account's row says "ok: N zones, M records" once its inventory is in.
until [[ "$(screen | grep -c ' ok: ')" -ge "$A" ]]; do
    if (( $(date +%s) - start > 600 )); then
        echo "the inventory did not load in 10 minutes:" >&2
        screen >&2
        exit 1
    fi
    sleep 1
done
echo "inventory loaded in about $(( $(date +%s) - start )) s; $(grep VmHWM "/proc/$PID/status" | tr -s ' \t' ' ')"
tmux send-keys -t "$SESSION" Enter
sleep 2
tmux send-keys -t "$SESSION" /
for c in h o s t - 0 0 0 1; do
    tmux send-keys -t "$SESSION" -l "$c"
    sleep 0.06
done
sleep 3
screen | sed -n 4p
grep -E 'VmHWM|VmRSS' "/proc/$PID/status" | tr -s ' \t' ' '
HWM_KIB="$(awk '/VmHWM/ {print $2}' "/proc/$PID/status")"
echo "peak resident memory of the dashboard: $(awk -v k="$HWM_KIB" 'BEGIN { printf "%.1f", k / 1024 }') MiB"
