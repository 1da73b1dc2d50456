#pragma once
// The trailing metadata of a failed call that carries a bttd Status (doc/api.md "Error details
// in gRPC trailers"): the structured form of what the status message says in words, for clients
// that must not parse messages. Released names never change.
namespace btt::rpc {

// The kind code (common/status.h), decimal: "300". On every failure that has a bttd Status.
inline constexpr char kCodeTrailer[] = "btt-code";
// The module detail (space x 1000 + n), decimal: "4001". Only when the failure has one.
inline constexpr char kDetailTrailer[] = "btt-detail";
// The detail's code space name: "roles". Only with btt-detail.
inline constexpr char kCodespaceTrailer[] = "btt-codespace";

}  // namespace btt::rpc
