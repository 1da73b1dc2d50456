#pragma once
// Input fetching of btt-worker (doc/compute.md "btt-worker"): http:// and https:// locators
// (Boost.Beast; TLS with OpenSSL, host name or IP address verification, trusting the system store
// and/or a PEM CA file), file:// locators and bare names in the input directory. Every failure is
// an error value with a readable message, never an exception.
#include <chrono>
#include <cstdint>
#include <string>

#include "btt/common/bytes.h"

namespace btt::worker {

struct FetchOptions {
  std::string ca_file;    // PEM CA certificates trusted for https:// (empty: none)
  bool system_ca = true;  // also trust the system store (/etc/ssl/certs)
  // The whole fetch (connect, TLS handshake, request, headers and body) must end within this.
  std::chrono::milliseconds timeout{60'000};
};

enum class FetchError {
  kNone,
  kBadLocator,    // not a supported or well-formed locator
  kUnreadable,    // a file locator that cannot be read
  kConnect,       // name resolution or TCP connection failed (refused, unreachable)
  kTls,           // TLS handshake or certificate verification failed, or the CA file is unusable
  kTimeout,       // the fetch did not end within FetchOptions::timeout
  kHttpStatus,    // an answer other than 200
  kProtocol,      // a malformed HTTP answer or a broken connection mid-answer
  kTooLarge,      // more than the allowed bytes
  kHashMismatch,  // the bytes do not have the job's SHA-256
};

[[nodiscard]] const char* fetch_error_name(FetchError e);

struct Fetched {
  FetchError error = FetchError::kNone;
  std::string message;  // what went wrong, for the log; empty on success
  std::string body;     // the bytes, on success
  [[nodiscard]] bool ok() const { return error == FetchError::kNone; }
};

// GET url (http:// or https://): the body of a 200 answer of at most max_bytes bytes.
[[nodiscard]] Fetched http_get(const std::string& url, uint64_t max_bytes,
                               const FetchOptions& options);

// A job's input by locator: http(s)://, file:///PATH, or a bare name looked up in input_dir (when
// not empty). At most max_bytes bytes, whose SHA-256 must be expected_sha256 (32 bytes).
[[nodiscard]] Fetched fetch_input(const std::string& locator, const std::string& input_dir,
                                  uint64_t max_bytes, const Bytes& expected_sha256,
                                  const FetchOptions& options);

// Empty if `path` is a readable PEM file with at least one certificate, else why not.
[[nodiscard]] std::string check_ca_file(const std::string& path);

}  // namespace btt::worker
