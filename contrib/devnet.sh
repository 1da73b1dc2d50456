#!/usr/bin/env bash
# One command to a working single-validator dev net on this machine:
#   installs missing Debian packages, builds bttd and btt-cli, creates a dev home (genesis,
#   validator key, funded dev account key) if there is none, and runs the node.
#
#   contrib/devnet.sh               run in the foreground (Ctrl-C stops it cleanly)
#   contrib/devnet.sh --background  run in the background; log in $HOME_DIR/bttd.log
#   contrib/devnet.sh --stop        stop a background dev net
#
#   BTT_DEVNET_HOME  node home (default: ~/.bttd-devnet)
#   BTT_GRPC_ADDR    gRPC address (default: 127.0.0.1:9740)
#   BTT_BUILD_DIR    build directory (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

HOME_DIR=${BTT_DEVNET_HOME:-$HOME/.bttd-devnet}
GRPC_ADDR=${BTT_GRPC_ADDR:-127.0.0.1:9740}
BUILD_DIR=${BTT_BUILD_DIR:-build}
MODE=${1:-foreground}

if [ "$MODE" = "--stop" ]; then
  if [ -f "$HOME_DIR/bttd.pid" ] && kill -0 "$(cat "$HOME_DIR/bttd.pid")" 2>/dev/null; then
    kill -TERM "$(cat "$HOME_DIR/bttd.pid")"
    for _ in $(seq 1 100); do
      kill -0 "$(cat "$HOME_DIR/bttd.pid")" 2>/dev/null || break
      sleep 0.1
    done
    rm -f "$HOME_DIR/bttd.pid"
    echo "devnet: stopped"
  else
    echo "devnet: not running"
  fi
  exit 0
fi

bash contrib/install-deps.sh
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" --target bttd btt-cli
BTTD="$ROOT/$BUILD_DIR/bttd"
CLI="$ROOT/$BUILD_DIR/btt-cli"

if [ ! -f "$HOME_DIR/genesis.json" ]; then
  "$BTTD" init --home "$HOME_DIR" --chain-id btt-devnet-1 --dev --governance --payfi --rwa --grpc-addr "$GRPC_ADDR"
fi

cat <<INFO

devnet: home        $HOME_DIR
devnet: gRPC        $GRPC_ADDR
devnet: dev key     $HOME_DIR/keys/dev.json  (2,100,000 spendable BTT)
devnet: try         $CLI --node $GRPC_ADDR status
                    $CLI --node $GRPC_ADDR balance --key $HOME_DIR/keys/dev.json
                    $CLI --node $GRPC_ADDR supply
                    $CLI --node $GRPC_ADDR staking validators
                    $CLI --node $GRPC_ADDR gov params

INFO

running_pid() {
  if [ -f "$HOME_DIR/bttd.pid" ] && kill -0 "$(cat "$HOME_DIR/bttd.pid")" 2>/dev/null; then
    cat "$HOME_DIR/bttd.pid"
  fi
}

if [ -n "$(running_pid)" ]; then
  echo "devnet: already running (pid $(running_pid)); stop it with contrib/devnet.sh --stop"
  exit 0
fi

if [ "$MODE" = "--background" ]; then
  VALIDATOR=$("$CLI" address --key "$HOME_DIR/keys/validator.json" | awk '/^address:/ {print $2}')
  nohup "$BTTD" start --home "$HOME_DIR" --grpc-addr "$GRPC_ADDR" >>"$HOME_DIR/bttd.log" 2>&1 &
  echo $! >"$HOME_DIR/bttd.pid"
  for _ in $(seq 1 100); do
    # Ready only when the node answering at GRPC_ADDR is ours: its validator is this home's key
    # (another node may hold the address; ours then exits with a message in the log).
    kill -0 "$(cat "$HOME_DIR/bttd.pid")" 2>/dev/null || break
    if "$CLI" --node "$GRPC_ADDR" status 2>/dev/null | grep -q "$VALIDATOR"; then
      echo "devnet: running in the background (pid $(cat "$HOME_DIR/bttd.pid")); stop with contrib/devnet.sh --stop"
      exit 0
    fi
    sleep 0.2
  done
  rm -f "$HOME_DIR/bttd.pid"
  echo "devnet: bttd did not come up; see $HOME_DIR/bttd.log" >&2
  tail -n 20 "$HOME_DIR/bttd.log" >&2 || true
  exit 1
fi

exec "$BTTD" start --home "$HOME_DIR" --grpc-addr "$GRPC_ADDR"
