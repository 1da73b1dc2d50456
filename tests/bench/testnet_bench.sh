#!/usr/bin/env bash
# The testnet benchmark (issue 4): 4 validators on 127.0.0.1 (contrib/testnet.sh) fed signed
# transfers from many senders through gRPC (btt-load). Prints `name: value` lines:
#   committed_tx_per_s              at saturation (as fast as the load generator sends)
#   schnorr_verify_per_s_all_cores  this machine's raw verify rate (btt-bench)
#   broadcast_to_commit_p50_ms / _p99_ms, blocks_per_s   at half the saturation load
#   node_cpu_us_per_tx              CPU time (user + system) of the four bttd processes during the
#                                   saturation run, per committed tx: robust to other load on the
#                                   machine, unlike the rates (doc/consensus.md, "Performance")
# Binaries from $BTT_BUILD_DIR (default build/). BTT_BENCH_SENDERS (default 400) and
# BTT_BENCH_TXS_PER_SENDER (default 50) size the load. BTT_BENCH_BATCH (default 100): btt-load
# sends up to that many ready txs for one node in one Txs.BroadcastTxs call; 1 sends every tx in
# its own Txs.BroadcastTx call (then gRPC's per-call cost, on the nodes and in btt-load, is paid
# per tx: doc/consensus.md, "Performance").
set -euo pipefail
BUILD_DIR=${BTT_BUILD_DIR:-build}
export BTT_BUILD_DIR=$BUILD_DIR
SENDERS=${BTT_BENCH_SENDERS:-400}
PER_SENDER=${BTT_BENCH_TXS_PER_SENDER:-50}
BATCH=${BTT_BENCH_BATCH:-100}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DIR=$(mktemp -d /tmp/btt-testnet-bench.XXXXXX)
cleanup() {
  "$ROOT/contrib/testnet.sh" stop "$DIR" >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT

mapfile -t ADDRS < <(cd "$ROOT" && contrib/testnet.sh start 4 "$DIR")
NODES=$(IFS=,; echo "${ADDRS[*]}")
CHAIN_ID=$(sed -n 's/.*"chain_id": *"\([^"]*\)".*/\1/p' "$DIR/node0/genesis.json" | head -1)

# btt-load exits non-zero with a message (kept in DIR/load.log) rather than hang.
load() {
  if ! "$BUILD_DIR/btt-load" --nodes "$NODES" --dev "$DIR/dev.json" --chain-id "$CHAIN_ID" \
    --senders "$SENDERS" --txs-per-sender "$PER_SENDER" --batch "$BATCH" "$@" \
    2>"$DIR/load.log"; then
    echo "testnet_bench: btt-load failed:" >&2
    tail -5 "$DIR/load.log" >&2
    return 1
  fi
}
# utime + stime of the four nodes, in clock ticks.
# shellcheck source=node_bench_lib.sh
source "$HERE/node_bench_lib.sh"

cpu0=$(nodes_cpu_ticks)
sat=$(load)
cpu1=$(nodes_cpu_ticks)
tps=$(echo "$sat" | sed -n 's/^committed_tx_per_s: //p')
ntx=$(echo "$sat" | sed -n 's/^committed_txs: //p')
echo "committed_tx_per_s: $tps"

verify=$("$BUILD_DIR/btt-bench" --txs 2000 --senders 200 --block-txs 1000 --verify-ms 1000 2>/dev/null |
  sed -n 's/^schnorr_verify_per_s_all_cores: //p')
echo "schnorr_verify_per_s_all_cores: $verify"

half=$((tps / 2))
[ "$half" -ge 1 ] || half=1
# The dev account sent one funding tx per sender in the first run.
lat=$(load --rate "$half" --dev-nonce "$SENDERS")
echo "$lat" | grep -E '^(broadcast_to_commit_p50_ms|broadcast_to_commit_p99_ms|blocks_per_s):'
echo "node_cpu_us_per_tx: $(((cpu1 - cpu0) * 1000000 / $(getconf CLK_TCK) / ntx))"
