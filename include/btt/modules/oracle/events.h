#pragma once
// The oracle module's events (doc/oracle.md "Events").
#include "btt/ledger/events.h"

namespace btt::modules::oracle::events {

// One accepted post: the feeder's price of the pair, its history seq, and how many of the
// pair's oldest history entries the post pruned.
inline constexpr ledger::EventDef kPricePosted{
    "oracle.price_posted", {"base", "quote", "feeder", "num", "den", "seq", "pruned"}};

}  // namespace btt::modules::oracle::events
