#pragma once
// The RWA keeper: the only code that writes the module's keys (keys.h). Handlers and genesis go
// through it (doc/rwa.md). Preclaim checked every message before its keeper call; the keeper
// still refuses what it finds only while writing (an overflow).
#include <optional>
#include <string>
#include <vector>

#include "btt/ledger/ledger.h"
#include "btt/ledger/module.h"
#include "btt/modules/rwa/rwa.h"
#include "btt/v1/rwa.pb.h"
#include "exchange/pool.h"

namespace btt::modules::rwa {

// The asset record, or nullopt.
[[nodiscard]] std::optional<v1::RwaAssetRecord> read_asset(const ledger::StateReader& state,
                                                           std::string_view asset);

// `amount` base units of `currency` in BTT base units at the oracle price in force at `time_ms`
// (BTT itself: unchanged). oracle's no_price when the price is missing or stale.
[[nodiscard]] Result<uint64_t> value_in_btt(const ledger::StateReader& state, uint64_t amount,
                                            const std::string& currency, uint64_t time_ms);

// What a registration pays in BTT (doc/rwa.md "Fees"): the minting fee (tier bps of the
// appraisal, converted) split into its burned share (rounded down) and the treasury's rest,
// and the premium listing fee.
struct MintFee {
  uint64_t fee = 0;
  uint64_t burned = 0;
  uint64_t treasury = 0;
  uint64_t listing = 0;
  [[nodiscard]] uint64_t total() const { return fee + listing; }
};
[[nodiscard]] Result<MintFee> mint_fee(const ledger::StateReader& state, const v1::RwaParams& p,
                                       const v1::MsgRegisterRwaAsset& m, uint64_t time_ms);
// The revaluation fee in BTT of a new appraisal `value` in `currency`.
[[nodiscard]] Result<uint64_t> revaluation_fee(const ledger::StateReader& state,
                                               const v1::RwaParams& p, uint64_t value,
                                               const std::string& currency, uint64_t time_ms);

[[nodiscard]] crypto::Address treasury_address();

// `who`'s fractions of `asset` at the end of distribution epoch `epoch` (its latest snapshot at
// or before it; 0 when none).
[[nodiscard]] uint64_t record_balance(const ledger::StateReader& state, std::string_view asset,
                                      const crypto::Address& who, uint64_t epoch);
// The ids of the asset's distributions, ascending.
[[nodiscard]] std::vector<uint64_t> distribution_ids(const ledger::StateReader& state,
                                                     std::string_view asset);

class RwaKeeper {
 public:
  RwaKeeper(ledger::Overlay& state, ledger::Events& events, const ledger::LockProviders* locks,
            const ledger::BlockInfo& block);

  [[nodiscard]] const v1::RwaParams& params() const { return params_; }

  void init(const v1::RwaParams& p);
  void import_state(const v1::RwaGenesisState& st, const ledger::GenesisInfo& info);
  // The exchange's part of import_state (genesis.cpp).
  void import_exchange(const v1::RwaGenesisState& st);

  void set_claim(const crypto::Address& attester, const v1::MsgSetClaim& m);
  void revoke_claim(const crypto::Address& attester, const v1::MsgRevokeClaim& m);

  [[nodiscard]] Status register_asset(const crypto::Address& issuer,
                                      const v1::MsgRegisterRwaAsset& m);
  void set_rules(const v1::MsgSetTransferRules& m);
  void set_document(const v1::MsgSetDocument& m);
  void set_agent(const v1::MsgSetAgent& m);
  void set_paused(const crypto::Address& by, const v1::MsgSetAssetPaused& m);

  void freeze(const crypto::Address& by, const v1::MsgFreezeFractions& m);
  void unfreeze(const crypto::Address& by, const v1::MsgUnfreezeFractions& m);
  // `move_frozen`: the agent may move frozen fractions (it is a freeze agent too).
  [[nodiscard]] Status forced_transfer(const crypto::Address& agent, const v1::MsgForcedTransfer& m,
                                       bool move_frozen);
  [[nodiscard]] Status recover(const crypto::Address& agent, const v1::MsgRecoverFractions& m);
  [[nodiscard]] Status transfer(const crypto::Address& from, const v1::MsgTransferFractions& m);

  [[nodiscard]] Status revalue(const crypto::Address& valuer, const v1::MsgRevalue& m);
  [[nodiscard]] Status deposit_distribution(const crypto::Address& issuer,
                                            const v1::MsgDepositDistribution& m);
  [[nodiscard]] Status claim_distribution(const crypto::Address& holder, uint64_t id);
  [[nodiscard]] Status reclaim_distribution(uint64_t id);
  // end_block: returns the unclaimed rest of distributions past their expiry to the issuer,
  // at most kReturnsPerBlock a block (oldest expiry first; the rest wait for the next block).
  void end_block();

  [[nodiscard]] Status redeem(const crypto::Address& issuer, const v1::MsgRedeemFractions& m);
  [[nodiscard]] Status retire(const crypto::Address& issuer, const v1::MsgRetireAsset& m);

  // Moves fractions, keeping the snapshots, the holder index and the holder count (rwa.h
  // move_fractions).
  [[nodiscard]] Status move(v1::RwaAssetRecord& r, const crypto::Address& from,
                            const crypto::Address& to, uint64_t amount);
  // move() without writing `r`: the caller puts it once after several moves.
  [[nodiscard]] Status move_held(v1::RwaAssetRecord& r, const crypto::Address& from,
                                 const crypto::Address& to, uint64_t amount);

  // --- the exchange (market.cpp; doc/rwa-exchange.md "The exchange on chain") ---
  [[nodiscard]] Status place_order(const crypto::Address& owner, const v1::MsgPlaceOrder& m);
  [[nodiscard]] Status cancel_order(const crypto::Address& owner, uint64_t id);
  [[nodiscard]] Status replace_order(const crypto::Address& owner, const v1::MsgReplaceOrder& m);
  [[nodiscard]] Status create_pool(const crypto::Address& creator, const v1::MsgCreatePool& m);
  [[nodiscard]] Status pool_deposit(const crypto::Address& who, const v1::MsgPoolDeposit& m);
  [[nodiscard]] Status pool_withdraw(const crypto::Address& who, const v1::MsgPoolWithdraw& m);
  [[nodiscard]] Status pool_swap(const crypto::Address& who, const v1::MsgPoolSwap& m);
  // end_block: closes resting orders past their expiry, at most kOrderExpiriesPerBlock.
  void expire_orders();
  // Recovery: `from`'s LP shares of every pool of `asset` go to `to`, whole.
  void move_lp_shares(std::string_view asset, const crypto::Address& from,
                      const crypto::Address& to);
  // Recovery: closes `owner`'s resting orders of `asset` (escrow back to it).
  void close_orders_of(std::string_view asset, const crypto::Address& owner);
  // Fills the block may still make (max_fills_per_block less those made at this height).
  [[nodiscard]] uint64_t fills_left_in_block() const;
  // end_block: forgets the block's fill count (the key never outlives its block).
  void end_block_fills();

 private:
  [[nodiscard]] Status submit_order(const crypto::Address& owner, v1::OrderRecord o);
  void use_fills(uint64_t fills);
  // Ends a resting order with `open` fractions left: refunds a buy's escrow, releases a sell's
  // fractions, erases its keys and emits rwa.order_closed with `reason`.
  void close_order(const v1::OrderRecord& o, uint64_t open, std::string_view reason);
  void put_pool(const v1::PoolRecord& p, const exchange::Pool& math);
  // A u64be count at `key` (on_book, LP shares): absent is 0, and it is erased when it reaches 0.
  void add_counter(std::string_view key, uint64_t n);
  void sub_counter(std::string_view key, uint64_t n);
  void add_lp(uint64_t pool_id, const crypto::Address& who, uint64_t shares);
  void sub_lp(uint64_t pool_id, const crypto::Address& who, uint64_t shares);
  // Accrues the management fee to the block time (doc/rwa-exchange.md "Management fee").
  [[nodiscard]] Status accrue(v1::PoolRecord& p);
  // Fractions and quote from `who` into the pools account, and back out; compliance first.
  [[nodiscard]] Status pool_in(v1::RwaAssetRecord& r, const v1::PoolRecord& p,
                               const crypto::Address& who, uint64_t fractions, uint64_t quote,
                               const std::string& what);
  [[nodiscard]] Status pool_out(v1::RwaAssetRecord& r, const v1::PoolRecord& p,
                                const crypto::Address& who, uint64_t fractions, uint64_t quote,
                                const std::string& what);
  [[nodiscard]] uint64_t next_id(std::string_view name);
  void put_asset(const v1::RwaAssetRecord& r);
  // After `who`'s balance went from `before` to `after`.
  void holding_changed(v1::RwaAssetRecord& r, const crypto::Address& who, uint64_t before,
                       uint64_t after);
  // Adds `amount` to who's partial freeze (a whole freeze stays whole).
  void add_frozen(const std::string& asset, const crypto::Address& who, uint64_t amount,
                  uint32_t reason);
  // Pays `holder` its share of distribution `d` (it passed the checks).
  [[nodiscard]] Status pay_claim(v1::DistributionRecord& d, const crypto::Address& holder,
                                 const crypto::Address& pay_to, uint64_t record_balance);

  ledger::Overlay& state_;
  ledger::Events& events_;
  const ledger::LockProviders* locks_;
  const ledger::BlockInfo& block_;
  v1::RwaParams params_;
};

// Expired distributions returned to their issuer per end_block (doc/rwa.md "Distributions").
inline constexpr uint32_t kReturnsPerBlock = 100;

// Writes a protobuf record at `key`.
template <typename Record>
void put_record(ledger::Overlay& state, std::string_view key, const Record& r) {
  state.put(key, r.SerializeAsString());
}

// A stored address (the module wrote it): throws when it does not parse (corrupt state).
[[nodiscard]] crypto::Address addr_of(const std::string& text);

}  // namespace btt::modules::rwa
