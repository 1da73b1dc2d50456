#pragma once
// Certificates made in the test with the OpenSSL C API, for TLS tests on 127.0.0.1: a self-signed
// CA, and server certificates it signs for given subjectAltName entries. Nothing is read from or
// written to disk, and nothing is checked in.
#include <memory>
#include <string>

namespace btt::testkit {

struct PemCert {
  std::string cert_pem;  // the certificate
  std::string key_pem;   // its private key (PKCS#8)
};

class TestCa {
 public:
  // A fresh P-256 CA named `name`, valid from a day ago for ten days.
  explicit TestCa(const std::string& name);
  ~TestCa();
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  [[nodiscard]] const std::string& cert_pem() const { return cert_pem_; }
  // A server certificate (serverAuth) signed by this CA, with subjectAltName `san` in OpenSSL's
  // syntax, e.g. "IP:127.0.0.1,DNS:localhost". Throws std::runtime_error on an OpenSSL failure.
  [[nodiscard]] PemCert issue(const std::string& common_name, const std::string& san) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string cert_pem_;
};

}  // namespace btt::testkit
