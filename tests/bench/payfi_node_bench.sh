#!/usr/bin/env bash
# PayFi payments against plain transfers through real nodes (issue 14 "Benchmark"; doc/payfi.md
# "Benchmark"): a network of BTT_BENCH_VALIDATORS (default 1) validators on 127.0.0.1 with PayFi on
# and a 5 s settlement cycle, so cycles close and settle while the load runs, fed by btt-load
# through gRPC: a transfer run, then a payment run (MsgPay to 50 registered payees, each with a
# reference and a client_payment_id), BTT_BENCH_ROUNDS times (default 2), alternating. Prints
# `name: value` lines per round:
#   transfer_tx_per_s / payment_tx_per_s      committed, at saturation
#   payment_to_transfer_ratio                 of those two (target >= 0.8)
#   transfer_cpu_us_per_tx / payment_cpu_us_per_tx   CPU time (user + system) of the nodes per
#                                             committed tx: robust to other load on the machine
#   payment_to_transfer_cpu_ratio             transfer CPU / payment CPU (>= 0.8: payments cost
#                                             at most 1.25 transfers)
#   settled_payments                          of the run's payees, one cycle after it (cycles
#                                             close and settle while the load runs)
# Binaries from $BTT_BUILD_DIR (default build/); BTT_BENCH_SENDERS (default 400) and
# BTT_BENCH_TXS_PER_SENDER (default 50) size each run.
set -euo pipefail
BUILD_DIR=${BTT_BUILD_DIR:-build}
export BTT_BUILD_DIR=$BUILD_DIR
VALIDATORS=${BTT_BENCH_VALIDATORS:-1}
ROUNDS=${BTT_BENCH_ROUNDS:-2}
SENDERS=${BTT_BENCH_SENDERS:-400}
PER_SENDER=${BTT_BENCH_TXS_PER_SENDER:-50}
PAYEES=50
CYCLE_MS=5000
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DIR=$(mktemp -d /tmp/btt-payfi-bench.XXXXXX)
cleanup() {
  "$ROOT/contrib/testnet.sh" stop "$DIR" >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT

# The network's files first, so the settlement cycle can be shortened before any node starts.
"$BUILD_DIR/bttd" testnet --dir "$DIR" --validators "$VALIDATORS" --block-time-ms 200 --payfi \
  >/dev/null
for g in "$DIR"/node*/genesis.json; do
  sed -i "s/\"settlement_cycle_ms\": *\"[0-9]*\"/\"settlement_cycle_ms\": \"$CYCLE_MS\"/" "$g"
done
grep -q "\"settlement_cycle_ms\": \"$CYCLE_MS\"" "$DIR/node0/genesis.json" ||
  { echo "payfi_node_bench: could not set the settlement cycle" >&2; exit 1; }
mapfile -t ADDRS < <(cd "$ROOT" && contrib/testnet.sh start "$VALIDATORS" "$DIR")
NODES=$(IFS=,; echo "${ADDRS[*]}")
CHAIN_ID=$(sed -n 's/.*"chain_id": *"\([^"]*\)".*/\1/p' "$DIR/node0/genesis.json" | head -1)

# shellcheck source=node_bench_lib.sh
source "$HERE/node_bench_lib.sh"

DEV_NONCE=0
# One load run of kind $1; sets RUN_TPS and RUN_CPU_US (node CPU per committed tx).
run() {
  local kind=$1 out cpu0 cpu1 ntx
  cpu0=$(nodes_cpu_ticks)
  if ! out=$("$BUILD_DIR/btt-load" --nodes "$NODES" --dev "$DIR/dev.json" --chain-id "$CHAIN_ID" \
    --senders "$SENDERS" --txs-per-sender "$PER_SENDER" --batch 100 --kind "$kind" \
    --payees "$PAYEES" --dev-nonce "$DEV_NONCE" --settle-wait-s $((CYCLE_MS / 1000 + 2)) \
    2>"$DIR/load.log"); then
    echo "payfi_node_bench: btt-load --kind $kind failed:" >&2
    tail -5 "$DIR/load.log" >&2
    exit 1
  fi
  cpu1=$(nodes_cpu_ticks)
  DEV_NONCE=$((DEV_NONCE + SENDERS))
  [ "$kind" = pay ] && DEV_NONCE=$((DEV_NONCE + PAYEES))
  RUN_TPS=$(echo "$out" | sed -n 's/^committed_tx_per_s: //p')
  RUN_SETTLED=$(echo "$out" | sed -n 's/^settled_payments: //p')
  ntx=$(echo "$out" | sed -n 's/^committed_txs: //p')
  RUN_CPU_US=$(((cpu1 - cpu0) * 1000000 / $(getconf CLK_TCK) / ntx))
}

echo "validators: $VALIDATORS"
echo "settlement_cycle_ms: $CYCLE_MS"
echo "txs_per_run: $((SENDERS * PER_SENDER))"
for ((r = 1; r <= ROUNDS; r++)); do
  run transfer
  t_tps=$RUN_TPS t_cpu=$RUN_CPU_US
  run pay
  p_tps=$RUN_TPS p_cpu=$RUN_CPU_US p_settled=$RUN_SETTLED
  echo "round: $r"
  echo "transfer_tx_per_s: $t_tps"
  echo "payment_tx_per_s: $p_tps"
  echo "payment_to_transfer_ratio: $(ratio "$p_tps" "$t_tps")"
  echo "transfer_cpu_us_per_tx: $t_cpu"
  echo "payment_cpu_us_per_tx: $p_cpu"
  echo "payment_to_transfer_cpu_ratio: $(ratio "$t_cpu" "$p_cpu")"
  echo "settled_payments: $p_settled"
done
