#!/usr/bin/env bash
# opsdeck against the sequential boto3 script, side by side in one run, on the same emulator data:
#
#   1. bare emulator, BARE="accounts zones records" (default 10 5 1000: 50,100 record sets):
#      wall time and peak resident memory of each;
#   2. behind benches/dns/quota_proxy.py (LATENCY_MS per request, RPS Route53 requests a second
#      per account), PROXY="20 5 50": wall time, the requests the proxy throttled, and the
#      requests per API of each tool;
#   3. the same proxy, BIG="200 1 20": wall time and peak memory (and the ratio to case 2).
#
# Usage: benches/dns/compare.sh            (about 6 minutes after the release build; moto is
#        installed into .venv by scripts/emulator if needed)
# Env:   BARE, PROXY, BIG ("accounts zones records"; empty skips the case), LATENCY_MS (100),
#        RPS (5), AWSCLI=1 also runs benches/dns/awscli.sh on the bare emulator (needs `aws`).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BARE="${BARE-10 5 1000}"
PROXY="${PROXY-20 5 50}"
BIG="${BIG-200 1 20}"
LATENCY_MS="${LATENCY_MS:-100}"
RPS="${RPS:-5}"

scripts/emulator install >&2
PY="$ROOT/.venv/bin/python"
MOTO="$ROOT/.venv/bin/moto_server"
[[ -x target/release/opsdeck ]] || cargo build --release >&2
OPSDECK="$ROOT/target/release/opsdeck"

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 \
    AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_ENDPOINT_URL AWS_SESSION_TOKEN
# opsdeck with its built-in defaults only (no user config file).
: > "$WORK/opsdeck.toml"

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_port() {
    for _ in $(seq 100); do
        "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $1), 1)" 2>/dev/null && return 0
        sleep 0.2
    done
    echo "nothing listens on port $1" >&2
    return 1
}

# start_moto → sets MOTO_URL (a fresh server, seeded with "$1 $2 $3")
start_moto() {
    local port
    port="$(free_port)"
    "$MOTO" -H 127.0.0.1 -p "$port" > "$WORK/moto-$port.log" 2>&1 &
    PIDS+=($!)
    wait_port "$port"
    MOTO_URL="http://127.0.0.1:$port"
    echo "seeding $1 accounts x $2 zones x $3 records into $MOTO_URL ..." >&2
    "$PY" benches/dns/seed_org.py "$MOTO_URL" "$1" "$2" "$3" > "$WORK/seed.log"
}

# start_proxy UPSTREAM → sets PROXY_URL
start_proxy() {
    local port
    port="$(free_port)"
    "$PY" benches/dns/quota_proxy.py "$1" "$port" "$LATENCY_MS" "$RPS" > "$WORK/proxy.log" 2>&1 &
    PIDS+=($!)
    wait_port "$port"
    PROXY_URL="http://127.0.0.1:$port"
}

proxy_stats() { curl -s "$PROXY_URL/__stats"; }
proxy_detail() { curl -s "$PROXY_URL/__detail"; }

# requests per API of each tool, side by side (from the proxy's /__detail files $1 and $2)
print_detail() {
    "$PY" - "$1" "$2" <<'PYEOF'
import collections, sys
rows = collections.OrderedDict()
for col, path in enumerate(sys.argv[1:3]):
    for line in open(path):
        n, service, action, status, attempt = line.split()
        key = f"{service} {action}" + ("" if status == "200" else f" HTTP {status}") + ("" if attempt == "first" else " (retry)")
        rows.setdefault(key, [0, 0])[col] += int(n)
print(f"  {'requests per API':<44} {'opsdeck':>8} {'boto3':>8}")
for key, (o, b) in rows.items():
    print(f"  {key:<44} {o:>8} {b:>8}")
PYEOF
}
proxy_reset() { curl -s -X POST "$PROXY_URL/__reset" > /dev/null; }

# measure NAME COMMAND... → sets WALL (s), RSS (MiB), COUNT (record sets the tool reported)
measure() {
    local name="$1"
    shift
    /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" > "$WORK/out" 2> "$WORK/err" || {
        echo "$name failed:" >&2
        tail -5 "$WORK/err" >&2
        return 1
    }
    read -r WALL RSS_KIB < "$WORK/time"
    RSS=$(awk -v k="$RSS_KIB" 'BEGIN { printf "%.0f", k / 1024 }')
    if [[ "$name" == opsdeck ]]; then
        COUNT=$("$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$WORK/out")
    else
        COUNT=$(tail -1 "$WORK/out")
    fi
}

opsdeck_run() { measure opsdeck "$OPSDECK" --config "$WORK/opsdeck.toml" --endpoint-url "$1" dns records -o json; }
boto3_run() { measure boto3 "$PY" benches/dns/boto3_sequential.py "$1"; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); latency ${LATENCY_MS} ms, ${RPS} Route53 req/s per account"

if [[ -n "$BARE" ]]; then
    read -r A Z R <<< "$BARE"
    start_moto "$A" "$Z" "$R"
    echo
    echo "== bare emulator: $A accounts x $Z zones x $R records"
    opsdeck_run "$MOTO_URL"; OW=$WALL OR=$RSS OC=$COUNT
    boto3_run "$MOTO_URL"; BW=$WALL BR=$RSS BC=$COUNT
    printf '%-8s %8s s %6s MiB %7s record sets\n' opsdeck "$OW" "$OR" "$OC" boto3 "$BW" "$BR" "$BC"
    if [[ "${AWSCLI:-0}" == 1 ]]; then
        /usr/bin/time -f '%e' -o "$WORK/time" sh benches/dns/awscli.sh "$MOTO_URL" > /dev/null
        printf '%-8s %8s s\n' awscli "$(cat "$WORK/time")"
    fi
    echo "wall opsdeck/boto3 = $(ratio "$OW" "$BW")   peak memory opsdeck/boto3 = $(ratio "$OR" "$BR")"
    [[ "$OC" == "$BC" ]] || echo "COUNTS DIFFER: opsdeck $OC, boto3 $BC"
fi

PW=""
if [[ -n "$PROXY" ]]; then
    read -r A Z R <<< "$PROXY"
    start_moto "$A" "$Z" "$R"
    start_proxy "$MOTO_URL"
    echo
    echo "== behind the proxy: $A accounts x $Z zones x $R records"
    proxy_reset; opsdeck_run "$PROXY_URL"; OW=$WALL OR=$RSS OC=$COUNT; read -r OQ OT <<< "$(proxy_stats)"
    proxy_detail > "$WORK/detail-opsdeck"
    proxy_reset; boto3_run "$PROXY_URL"; BW=$WALL BR=$RSS BC=$COUNT; read -r BQ BT <<< "$(proxy_stats)"
    proxy_detail > "$WORK/detail-boto3"
    printf '%-8s %8s s %6s MiB %7s record sets %6s requests %4s throttled\n' \
        opsdeck "$OW" "$OR" "$OC" "$OQ" "$OT" boto3 "$BW" "$BR" "$BC" "$BQ" "$BT"
    print_detail "$WORK/detail-opsdeck" "$WORK/detail-boto3"
    echo "opsdeck is $(ratio "$BW" "$OW")x faster; throttled: opsdeck $OT, boto3 $BT"
    [[ "$OC" == "$BC" ]] || echo "COUNTS DIFFER: opsdeck $OC, boto3 $BC"
    PW=$OW
fi

if [[ -n "$BIG" ]]; then
    read -r A Z R <<< "$BIG"
    start_moto "$A" "$Z" "$R"
    start_proxy "$MOTO_URL"
    echo
    echo "== behind the proxy: $A accounts x $Z zones x $R records"
    proxy_reset; opsdeck_run "$PROXY_URL"; OW=$WALL OR=$RSS OC=$COUNT; read -r OQ OT <<< "$(proxy_stats)"
    proxy_detail > "$WORK/detail-opsdeck"
    proxy_reset; boto3_run "$PROXY_URL"; BW=$WALL BR=$RSS BC=$COUNT; read -r BQ BT <<< "$(proxy_stats)"
    proxy_detail > "$WORK/detail-boto3"
    printf '%-8s %8s s %6s MiB %7s record sets %6s requests %4s throttled\n' \
        opsdeck "$OW" "$OR" "$OC" "$OQ" "$OT" boto3 "$BW" "$BR" "$BC" "$BQ" "$BT"
    print_detail "$WORK/detail-opsdeck" "$WORK/detail-boto3"
    echo "opsdeck is $(ratio "$BW" "$OW")x faster; throttled: opsdeck $OT, boto3 $BT   peak memory opsdeck/boto3 = $(ratio "$OR" "$BR")"
    [[ -n "$PW" ]] && echo "opsdeck: this organisation / the previous one = $(ratio "$OW" "$PW")x the wall time"
    [[ "$OC" == "$BC" ]] || echo "COUNTS DIFFER: opsdeck $OC, boto3 $BC"
fi
