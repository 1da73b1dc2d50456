#pragma once
// The RWA exchange wired to the ledger (doc/rwa-exchange.md "The exchange on chain"): the order
// book kept in state, the module accounts of the escrow and the pools, and the reads the
// handlers, the keeper and the queries share. The keeper (market.cpp) writes; nothing else does.
#include <optional>
#include <string>
#include <vector>

#include "btt/ledger/ledger.h"
#include "btt/v1/rwa.pb.h"
#include "exchange/book.h"
#include "exchange/pool.h"

namespace btt::modules::rwa {

// Upper bound of max_fills_per_tx: a tx walks at most 2 x max_fills_per_tx + 1 resting orders.
inline constexpr uint32_t kMaxFillsPerTx = 1'000;
// Expired resting orders closed per end_block (oldest expiry first; the rest wait).
inline constexpr uint32_t kOrderExpiriesPerBlock = 100;
// Resting orders a taker reads in its first scan of the other side (StateBookStore doubles it
// when the walk goes further, up to the 2 x max_fills_per_tx + 1 a call can touch).
inline constexpr size_t kBookReadAhead = 16;
// client_order_id: at most this many bytes.
inline constexpr size_t kMaxClientOrderId = 32;

// A pair's quote asset: BTT or a payment asset, never an rwa asset.
[[nodiscard]] bool is_quote_asset(const ledger::StateReader& state, const std::string& asset);

[[nodiscard]] exchange::Side side_of(v1::OrderSide s);
[[nodiscard]] v1::OrderSide order_side(exchange::Side s);
[[nodiscard]] exchange::TimeInForce tif_of(v1::TimeInForce t);
[[nodiscard]] v1::TimeInForce order_tif(exchange::TimeInForce t);

// The engine's bounds from the params: max_fills fills and as many removals per call.
[[nodiscard]] exchange::BookConfig book_config(const v1::RwaParams& p, uint32_t max_fills);

// The resting orders of one pair, backed by the state (keys::book). The engine reads at most
// the first 2 x max_fills + 1 orders of a side per call: best() reads the first `window` in one
// scan and next_after() answers from them, reading twice as many when the walk goes past them.
class StateBookStore final : public exchange::BookStore {
 public:
  StateBookStore(const ledger::StateReader& reader, ledger::Overlay* writer, std::string asset,
                 std::string quote, size_t window);
  [[nodiscard]] std::optional<exchange::Order> best(exchange::Side side) const override;
  [[nodiscard]] std::optional<exchange::Order> next_after(
      const exchange::OrderKey& key) const override;
  void insert(const exchange::Order& order) override;
  void reduce(const exchange::OrderKey& key, uint64_t amount) override;
  void erase(const exchange::OrderKey& key) override;

  // Every resting order of `side` in priority order, at most `limit`.
  [[nodiscard]] std::vector<exchange::Order> orders(exchange::Side side, size_t limit) const;
  [[nodiscard]] std::optional<exchange::Order> find(const exchange::OrderKey& key) const;
  [[nodiscard]] Bytes key_of(const exchange::OrderKey& key) const;

 private:
  void load(exchange::Side side, size_t count) const;
  const ledger::StateReader& reader_;
  ledger::Overlay* writer_;
  std::string asset_;
  std::string quote_;
  Bytes prefix_;
  size_t window_;
  mutable std::vector<exchange::Order> cached_[2];
  mutable bool loaded_[2] = {false, false};
  mutable bool complete_[2] = {false, false};
};

// The fractions of `asset` that `who`'s resting sell orders hold.
[[nodiscard]] uint64_t on_book(const ledger::StateReader& state, std::string_view asset,
                               const crypto::Address& who);
// The resting order `id` with its open amount, or nullopt.
[[nodiscard]] std::optional<v1::OrderRecord> read_order(const ledger::StateReader& state,
                                                        uint64_t id);
// Resting orders of `who`, ascending id.
[[nodiscard]] std::vector<uint64_t> order_ids_of(const ledger::StateReader& state,
                                                 const crypto::Address& who);

// The taker's trading fee in bps: trading_fee_bps less the staker discount of its tier.
[[nodiscard]] uint32_t taker_fee_bps(const ledger::StateReader& state, const v1::RwaParams& p,
                                     const crypto::Address& taker, uint64_t time_ms);

[[nodiscard]] std::optional<v1::PoolRecord> read_pool(const ledger::StateReader& state,
                                                      uint64_t id);
[[nodiscard]] std::optional<uint64_t> pool_id_of(const ledger::StateReader& state,
                                                 std::string_view asset, std::string_view quote);
// Pool ids of an asset's pairs, ascending by quote asset.
[[nodiscard]] std::vector<uint64_t> pool_ids_of_asset(const ledger::StateReader& state,
                                                      std::string_view asset);
[[nodiscard]] uint64_t lp_shares(const ledger::StateReader& state, uint64_t pool_id,
                                 const crypto::Address& who);
[[nodiscard]] exchange::Pool pool_math(const v1::PoolRecord& p);

// A swap of `amount_in` of `offer_asset` into the pool (doc/rwa-exchange.md "Swaps"): the
// treasury's trading fee is taken on the quote side (off the offer when it is the quote, off the
// output otherwise), the pool's fee stays in the reserves.
struct SwapPlan {
  bool asset_in = false;     // offers fractions
  uint64_t amount_in = 0;    // taken from the trader
  uint64_t trading_fee = 0;  // to the treasury (quote asset)
  uint64_t pool_fee = 0;     // of what entered the pool
  uint64_t amount_out = 0;   // paid to the trader
  exchange::Pool after;
};
[[nodiscard]] Result<SwapPlan> plan_swap(const v1::PoolRecord& pool, const std::string& offer_asset,
                                         uint64_t amount_in, uint32_t trading_fee_bps,
                                         uint64_t min_out);

}  // namespace btt::modules::rwa
