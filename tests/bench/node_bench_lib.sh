# Shared by the benchmarks that run real nodes (testnet_bench.sh, payfi_node_bench.sh,
# rwa_node_bench.sh); sourced, with DIR the network's directory (contrib/testnet.sh).

# CPU clock ticks (user + system) the nodes of $DIR have used so far.
nodes_cpu_ticks() {
  local sum=0 home f
  for home in "$DIR"/node*; do
    read -r -a f <"/proc/$(cat "$home/bttd.pid")/stat"
    sum=$((sum + f[13] + f[14]))
  done
  echo "$sum"
}

# a / b with three decimals (0 when b is 0).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }
