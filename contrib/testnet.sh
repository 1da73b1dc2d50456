#!/usr/bin/env bash
# A local multi-validator network on 127.0.0.1 (doc/operator.md, "A local testnet").
#
#   contrib/testnet.sh start N DIR   creates DIR/node0..node{N-1} (keys, one shared genesis with N
#                                    validators of equal power, configs with free ports) unless
#                                    they exist, starts every node in the background (log in
#                                    DIR/nodeI/bttd.log, pid in DIR/nodeI/bttd.pid) and prints each
#                                    node's gRPC address HOST:PORT, one a line, nothing else on
#                                    stdout. DIR/dev.json holds a funded account key.
#   contrib/testnet.sh stop DIR      stops every node of DIR cleanly (SIGTERM, then waits).
#
# Environment: BTT_BUILD_DIR (default build/) holds bttd; BTT_TESTNET_BLOCK_TIME_MS (default 200);
# BTT_TESTNET_ARGS: more `bttd testnet` flags for a new DIR (e.g. "--payfi").
# A node can be killed and restarted alone with `bttd start --home DIR/nodeI`.
set -euo pipefail

BUILD_DIR=${BTT_BUILD_DIR:-build}
BTTD="$BUILD_DIR/bttd"

usage() {
  echo "usage: $0 start N DIR | stop DIR" >&2
  exit 2
}

node_pid() {  # prints the pid of DIR/nodeI if it runs
  local home=$1
  if [ -f "$home/bttd.pid" ] && kill -0 "$(cat "$home/bttd.pid")" 2>/dev/null; then
    cat "$home/bttd.pid"
  fi
}

grpc_addr_of() {  # the [grpc] addr of a home's config.toml
  awk '/^\[/{section=$0} section=="[grpc]" && $1=="addr" {gsub(/"/, "", $3); print $3; exit}' \
    "$1/config.toml"
}

cmd_start() {
  local n=$1 dir=$2
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] || usage
  [ -x "$BTTD" ] || { echo "testnet: no $BTTD (build first, or set BTT_BUILD_DIR)" >&2; exit 1; }
  if [ ! -f "$dir/node0/genesis.json" ]; then
    "$BTTD" testnet --dir "$dir" --validators "$n" \
      --block-time-ms "${BTT_TESTNET_BLOCK_TIME_MS:-200}" ${BTT_TESTNET_ARGS:-} >/dev/null
  fi
  local i
  local -a log_start
  for ((i = 0; i < n; i++)); do
    local home="$dir/node$i"
    [ -d "$home" ] || { echo "testnet: $home is missing" >&2; exit 1; }
    log_start[i]=0
    if [ -z "$(node_pid "$home")" ]; then
      [ -f "$home/bttd.log" ] && log_start[i]=$(wc -c <"$home/bttd.log")
      nohup "$BTTD" start --home "$home" >>"$home/bttd.log" 2>&1 </dev/null &
      echo $! >"$home/bttd.pid"
    fi
  done
  # Wait until every node serves gRPC (its log says so), then print the addresses.
  for ((i = 0; i < n; i++)); do
    local home="$dir/node$i" waited=0
    until tail -c +$((log_start[i] + 1)) "$home/bttd.log" 2>/dev/null | grep -q "gRPC listening"; do
      if [ -z "$(node_pid "$home")" ]; then
        echo "testnet: node$i exited; see $home/bttd.log" >&2
        tail -5 "$home/bttd.log" >&2 || true
        exit 1
      fi
      sleep 0.1
      waited=$((waited + 1))
      [ "$waited" -lt 300 ] || { echo "testnet: node$i did not start" >&2; exit 1; }
    done
  done
  for ((i = 0; i < n; i++)); do grpc_addr_of "$dir/node$i"; done
}

cmd_stop() {
  local dir=$1 home pid
  for home in "$dir"/node*; do
    [ -d "$home" ] || continue
    pid=$(node_pid "$home")
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  done
  for home in "$dir"/node*; do
    [ -d "$home" ] || continue
    local waited=0
    while [ -n "$(node_pid "$home")" ]; do
      sleep 0.1
      waited=$((waited + 1))
      if [ "$waited" -ge 300 ]; then
        kill -KILL "$(node_pid "$home")" 2>/dev/null || true
        break
      fi
    done
    rm -f "$home/bttd.pid"
  done
}

case "${1:-}" in
  start) [ $# -eq 3 ] || usage; cmd_start "$2" "$3" ;;
  stop) [ $# -eq 2 ] || usage; cmd_stop "$2" ;;
  *) usage ;;
esac
