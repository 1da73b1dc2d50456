#pragma once
// The consent module's message handlers (doc/consent.md has each one's phase table).
#include "btt/ledger/module.h"
#include "btt/v1/consent.pb.h"

namespace btt::modules::consent {

class GrantConsentHandler final : public ledger::Handler<v1::MsgGrantConsent> {
 protected:
  Status check(const v1::MsgGrantConsent& msg, const v1::LedgerParams& params) const override;
  Status preclaim(const v1::MsgGrantConsent& msg, const ledger::ReadContext& ctx) const override;
  Status apply(const v1::MsgGrantConsent& msg, ledger::MsgContext& ctx) const override;
};

class RevokeConsentHandler final : public ledger::Handler<v1::MsgRevokeConsent> {
 protected:
  Status check(const v1::MsgRevokeConsent& msg, const v1::LedgerParams& params) const override;
  Status preclaim(const v1::MsgRevokeConsent& msg, const ledger::ReadContext& ctx) const override;
  Status apply(const v1::MsgRevokeConsent& msg, ledger::MsgContext& ctx) const override;
};

class DeclareAccessHandler final : public ledger::Handler<v1::MsgDeclareAccess> {
 protected:
  Status check(const v1::MsgDeclareAccess& msg, const v1::LedgerParams& params) const override;
  Status preclaim(const v1::MsgDeclareAccess& msg, const ledger::ReadContext& ctx) const override;
  Status apply(const v1::MsgDeclareAccess& msg, ledger::MsgContext& ctx) const override;
};

class SetConsentDelegateHandler final : public ledger::Handler<v1::MsgSetConsentDelegate> {
 protected:
  Status check(const v1::MsgSetConsentDelegate& msg, const v1::LedgerParams& params) const override;
  Status preclaim(const v1::MsgSetConsentDelegate& msg,
                  const ledger::ReadContext& ctx) const override;
  Status apply(const v1::MsgSetConsentDelegate& msg, ledger::MsgContext& ctx) const override;
};

class RemoveConsentDelegateHandler final : public ledger::Handler<v1::MsgRemoveConsentDelegate> {
 protected:
  Status check(const v1::MsgRemoveConsentDelegate& msg,
               const v1::LedgerParams& params) const override;
  Status preclaim(const v1::MsgRemoveConsentDelegate& msg,
                  const ledger::ReadContext& ctx) const override;
  Status apply(const v1::MsgRemoveConsentDelegate& msg, ledger::MsgContext& ctx) const override;
};

}  // namespace btt::modules::consent
