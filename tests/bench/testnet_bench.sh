#!/usr/bin/env bash
# The testnet benchmark (issue 4): 4 validators on 127.0.0.1 (contrib/testnet.sh) fed signed
# transfers from many senders through gRPC (btt-load). Prints `name: value` lines:
#   committed_tx_per_s              at saturation (as fast as the load generator sends)
#   schnorr_verify_per_s_all_cores  this machine's raw verify rate (btt-bench)
#   broadcast_to_commit_p50_ms / _p99_ms, blocks_per_s   at half the saturation load
# Binaries from $BTT_BUILD_DIR (default build/). BTT_BENCH_SENDERS (default 400) and
# BTT_BENCH_TXS_PER_SENDER (default 50) size the load.
set -euo pipefail
BUILD_DIR=${BTT_BUILD_DIR:-build}
export BTT_BUILD_DIR=$BUILD_DIR
SENDERS=${BTT_BENCH_SENDERS:-400}
PER_SENDER=${BTT_BENCH_TXS_PER_SENDER:-50}
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

sat=$("$BUILD_DIR/btt-load" --nodes "$NODES" --dev "$DIR/dev.json" --chain-id "$CHAIN_ID" \
  --senders "$SENDERS" --txs-per-sender "$PER_SENDER" 2>/dev/null)
tps=$(echo "$sat" | sed -n 's/^committed_tx_per_s: //p')
echo "committed_tx_per_s: $tps"

verify=$("$BUILD_DIR/btt-bench" --txs 2000 --senders 200 --block-txs 1000 --verify-ms 1000 2>/dev/null |
  sed -n 's/^schnorr_verify_per_s_all_cores: //p')
echo "schnorr_verify_per_s_all_cores: $verify"

half=$((tps / 2))
[ "$half" -ge 1 ] || half=1
# The dev account sent one funding tx per sender in the first run.
lat=$("$BUILD_DIR/btt-load" --nodes "$NODES" --dev "$DIR/dev.json" --chain-id "$CHAIN_ID" \
  --senders "$SENDERS" --txs-per-sender "$PER_SENDER" --rate "$half" --dev-nonce "$SENDERS" \
  2>/dev/null)
echo "$lat" | grep -E '^(broadcast_to_commit_p50_ms|broadcast_to_commit_p99_ms|blocks_per_s):'
