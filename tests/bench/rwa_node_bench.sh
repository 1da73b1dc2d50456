#!/usr/bin/env bash
# RWA orders against plain transfers through real nodes (issue 15 "Benchmark"; doc/rwa-exchange.md
# "Benchmark"): BTT_BENCH_VALIDATORS (default 1) validators on 127.0.0.1 with RWA on and the dev
# key a KYC attester and valuer, fed by btt-load through gRPC: a transfer run, then an order run
# (every tx an IOC buy of 10 fractions that matches one resting sell, both sides KYC-checked),
# BTT_BENCH_ROUNDS times (default 2), alternating. Prints `name: value` lines per round:
#   transfer_tx_per_s / order_tx_per_s      committed, at saturation
#   order_to_transfer_ratio                 of those two
#   transfer_cpu_us_per_tx / order_cpu_us_per_tx   node CPU (user + system) per committed tx
#   orders_filled                           matches the run made (one per order tx)
# Binaries from $BTT_BUILD_DIR (default build/); BTT_BENCH_SENDERS (default 400) and
# BTT_BENCH_TXS_PER_SENDER (default 50) size each run.
set -euo pipefail
BUILD_DIR=${BTT_BUILD_DIR:-build}
export BTT_BUILD_DIR=$BUILD_DIR
VALIDATORS=${BTT_BENCH_VALIDATORS:-1}
ROUNDS=${BTT_BENCH_ROUNDS:-2}
SENDERS=${BTT_BENCH_SENDERS:-400}
PER_SENDER=${BTT_BENCH_TXS_PER_SENDER:-50}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DIR=$(mktemp -d /tmp/btt-rwa-bench.XXXXXX)
cleanup() {
  "$ROOT/contrib/testnet.sh" stop "$DIR" >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT

# --rwa: RWA on, the dev key (DIR/dev.json, the role admin) a KYC attester and valuer.
"$BUILD_DIR/bttd" testnet --dir "$DIR" --validators "$VALIDATORS" --block-time-ms 200 --rwa \
  >/dev/null
mapfile -t ADDRS < <(cd "$ROOT" && contrib/testnet.sh start "$VALIDATORS" "$DIR")
NODES=$(IFS=,; echo "${ADDRS[*]}")
CHAIN_ID=$(sed -n 's/.*"chain_id": *"\([^"]*\)".*/\1/p' "$DIR/node0/genesis.json" | head -1)

# shellcheck source=node_bench_lib.sh
source "$HERE/node_bench_lib.sh"

DEV_NONCE=0
# One load run of kind $1; sets RUN_TPS, RUN_CPU_US (node CPU per committed tx) and RUN_FILLED.
run() {
  local kind=$1 out cpu0 cpu1 ntx
  cpu0=$(nodes_cpu_ticks)
  if ! out=$("$BUILD_DIR/btt-load" --nodes "$NODES" --dev "$DIR/dev.json" --chain-id "$CHAIN_ID" \
    --senders "$SENDERS" --txs-per-sender "$PER_SENDER" --batch 100 --kind "$kind" \
    --dev-nonce "$DEV_NONCE" 2>"$DIR/load.log"); then
    echo "rwa_node_bench: btt-load --kind $kind failed:" >&2
    tail -5 "$DIR/load.log" >&2
    exit 1
  fi
  cpu1=$(nodes_cpu_ticks)
  DEV_NONCE=$((DEV_NONCE + SENDERS))
  # order runs also fund the issuer and claim for every sender and the issuer
  [ "$kind" = order ] && DEV_NONCE=$((DEV_NONCE + 1 + SENDERS + 1))
  RUN_TPS=$(echo "$out" | sed -n 's/^committed_tx_per_s: //p')
  RUN_FILLED=$(echo "$out" | sed -n 's/^orders_filled: //p')
  ntx=$(echo "$out" | sed -n 's/^committed_txs: //p')
  RUN_CPU_US=$(((cpu1 - cpu0) * 1000000 / $(getconf CLK_TCK) / ntx))
}

echo "validators: $VALIDATORS"
echo "txs_per_run: $((SENDERS * PER_SENDER))"
for ((r = 1; r <= ROUNDS; r++)); do
  run transfer
  t_tps=$RUN_TPS t_cpu=$RUN_CPU_US
  run order
  o_tps=$RUN_TPS o_cpu=$RUN_CPU_US o_filled=$RUN_FILLED
  echo "round: $r"
  echo "transfer_tx_per_s: $t_tps"
  echo "order_tx_per_s: $o_tps"
  echo "order_to_transfer_ratio: $(ratio "$o_tps" "$t_tps")"
  echo "transfer_cpu_us_per_tx: $t_cpu"
  echo "order_cpu_us_per_tx: $o_cpu"
  echo "orders_filled: $o_filled"
done
