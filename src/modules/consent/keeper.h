#pragma once
// The consent keeper: the only writer of "cns/" (doc/consent.md "State").
#include <cstdint>

#include "btt/crypto/address.h"
#include "btt/ledger/events.h"
#include "btt/ledger/state.h"
#include "btt/modules/consent/view.h"
#include "btt/v1/consent.pb.h"

namespace btt::modules::consent {

class ConsentKeeper {
 public:
  ConsentKeeper(ledger::Overlay& state, ledger::Events& events) : state_(state), events_(events) {}
  [[nodiscard]] ConsentView view() const { return ConsentView(state_); }

  // Genesis: params, or an exported state written back with its indexes (genesis.cpp checked
  // it).
  void set_params(const v1::ConsentParams& p);
  void import_state(const v1::ConsentGenesisState& st);

  // A checked grant of `m.patient()` signed by `signer` at the block's time: a new active grant
  // with its indexes; emits consent.granted. Returns its id.
  uint64_t grant(const v1::MsgGrantConsent& m, const crypto::Address& signer, uint64_t time_ms,
                 uint64_t height);
  // Marks an active grant revoked and drops it from the active indexes; emits consent.revoked.
  void revoke(v1::ConsentGrant g, const crypto::Address& signer, uint64_t time_ms, uint64_t height);
  // Records an access under a grant in force; emits consent.access_declared. Returns its id.
  uint64_t declare_access(v1::ConsentGrant g, v1::ConsentPurpose purpose, v1::RecordScope scope,
                          const crypto::Address& signer, uint64_t time_ms, uint64_t height);
  void set_delegate(const crypto::Address& patient, const crypto::Address& delegate,
                    uint64_t time_ms, uint64_t height);
  void remove_delegate(const crypto::Address& patient, const crypto::Address& delegate,
                       const crypto::Address& signer);
  // end_block: marks every active grant with expiry_ms <= time_ms expired (by expiry, then
  // id); emits consent.expired for each.
  void expire(uint64_t time_ms);

 private:
  void put_grant(const v1::ConsentGrant& g);
  // The indexes of a grant: by patient, grantee and record always; active and expiry while
  // the grant is active.
  void index_grant(const v1::ConsentGrant& g);
  void drop_active(const v1::ConsentGrant& g);

  ledger::Overlay& state_;
  ledger::Events& events_;
};

}  // namespace btt::modules::consent
