// btt-worker's input fetching against a server in the test process: plain HTTP and TLS with
// certificates made here (testkit/test_pki.h), all on 127.0.0.1.
#include "app/worker/fetch.h"

#include <gtest/gtest.h>

#include <fstream>

#include "btt/crypto/hash.h"
#include "testkit/http_server.h"
#include "testkit/process.h"
#include "testkit/temp_dir.h"
#include "testkit/test_pki.h"

namespace btt::worker {
namespace {

using testkit::TestCa;
using testkit::TestHttpServer;

const std::string kBody = "P5\n2 2\n255\n\x01\x02\x03\x04";

std::string write_file(const std::filesystem::path& p, const std::string& data) {
  std::ofstream(p, std::ios::binary) << data;
  return p.string();
}

Bytes sha(const std::string& s) {
  return to_bytes(crypto::sha256(s));
}

class FetchTest : public ::testing::Test {
 protected:
  // Trusts only the test CA (no system store): what a clinic's private CA setup looks like.
  FetchOptions trusting_ca() const {
    FetchOptions o;
    o.ca_file = ca_file_;
    o.system_ca = false;
    return o;
  }

  testkit::TempDir dir_{"btt-fetch"};
  TestCa ca_{"btt test CA"};
  std::string ca_file_ = write_file(dir_.path() / "ca.pem", ca_.cert_pem());
  std::map<std::string, TestHttpServer::Route> routes_ = {
      {"/pano.pgm", {200, kBody, false}},
      {"/big", {200, std::string(2000, 'x'), false}},
      {"/hang", {200, "", true}},
  };
};

TEST_F(FetchTest, HttpReturnsTheBodyOfA200) {
  TestHttpServer server(routes_);
  const Fetched f = http_get(server.url("/pano.pgm"), 1000, FetchOptions{});
  ASSERT_TRUE(f.ok()) << f.message;
  EXPECT_EQ(f.body, kBody);
  EXPECT_EQ(f.message, "");
  EXPECT_EQ(server.requests(), 1u);
}

TEST_F(FetchTest, HttpsIsTrustedThroughTheCaFileAloneOrBesideTheSystemStore) {
  TestHttpServer server(routes_, ca_.issue("127.0.0.1", "IP:127.0.0.1,DNS:localhost"));
  ASSERT_EQ(server.url("/pano.pgm").rfind("https://127.0.0.1:", 0), 0u);
  Fetched f = http_get(server.url("/pano.pgm"), 1000, trusting_ca());
  ASSERT_TRUE(f.ok()) << f.message;
  EXPECT_EQ(f.body, kBody);
  FetchOptions both = trusting_ca();
  both.system_ca = true;
  f = http_get(server.url("/pano.pgm"), 1000, both);
  ASSERT_TRUE(f.ok()) << f.message;
  EXPECT_EQ(f.body, kBody);
  EXPECT_EQ(server.requests(), 2u);
}

TEST_F(FetchTest, HttpsWithACertificateOfAnotherCaIsRefused) {
  TestCa other("another CA");
  TestHttpServer server(routes_, other.issue("127.0.0.1", "IP:127.0.0.1"));
  Fetched f = http_get(server.url("/pano.pgm"), 1000, trusting_ca());
  EXPECT_EQ(f.error, FetchError::kTls);
  EXPECT_NE(f.message.find("refused: unable to get local issuer certificate"), std::string::npos)
      << f.message;
  EXPECT_EQ(f.body, "");
  // The system store does not know the test CA either.
  f = http_get(server.url("/pano.pgm"), 1000, FetchOptions{});
  EXPECT_EQ(f.error, FetchError::kTls) << f.message;
  EXPECT_EQ(server.requests(), 0u);
}

TEST_F(FetchTest, HttpsWithACertificateForAnotherHostIsRefused) {
  // Signed by the trusted CA, but for a name only: 127.0.0.1 is not in its subjectAltName.
  TestHttpServer server(routes_, ca_.issue("files.clinic.example", "DNS:files.clinic.example"));
  const Fetched f = http_get(server.url("/pano.pgm"), 1000, trusting_ca());
  EXPECT_EQ(f.error, FetchError::kTls);
  EXPECT_NE(f.message.find("refused: IP address mismatch"), std::string::npos) << f.message;
  EXPECT_EQ(server.requests(), 0u);
}

TEST_F(FetchTest, NonOkStatusIsAnError) {
  TestHttpServer server(routes_);
  const Fetched f = http_get(server.url("/missing.pgm"), 1000, FetchOptions{});
  EXPECT_EQ(f.error, FetchError::kHttpStatus);
  EXPECT_EQ(f.message, "HTTP 404 Not Found");
  EXPECT_EQ(f.body, "");
}

TEST_F(FetchTest, BodyOverTheLimitIsRefused) {
  TestHttpServer server(routes_, ca_.issue("127.0.0.1", "IP:127.0.0.1"));
  Fetched f = http_get(server.url("/big"), 1999, trusting_ca());
  EXPECT_EQ(f.error, FetchError::kTooLarge);
  EXPECT_EQ(f.message, "the answer's body is over the limit of 1999 bytes");
  EXPECT_EQ(f.body, "");
  f = http_get(server.url("/big"), 2000, trusting_ca());
  ASSERT_TRUE(f.ok()) << f.message;
  EXPECT_EQ(f.body.size(), 2000u);
}

TEST_F(FetchTest, AHangingServerTimesOut) {
  TestHttpServer server(routes_);
  FetchOptions o;
  o.timeout = std::chrono::milliseconds(200);
  const Fetched f = http_get(server.url("/hang"), 1000, o);
  EXPECT_EQ(f.error, FetchError::kTimeout);
  EXPECT_EQ(f.message, "timed out after 200 ms while reading the answer");
  EXPECT_EQ(server.requests(), 1u);
}

TEST_F(FetchTest, ARefusedConnectionIsAnError) {
  const uint16_t port = testkit::free_port();  // nothing listens there
  const Fetched f =
      http_get("http://127.0.0.1:" + std::to_string(port) + "/pano.pgm", 1000, FetchOptions{});
  EXPECT_EQ(f.error, FetchError::kConnect);
  EXPECT_EQ(f.message,
            "cannot connect to 127.0.0.1:" + std::to_string(port) + ": Connection refused");
}

TEST_F(FetchTest, MalformedUrlsAndOtherSchemesAreRefused) {
  for (const std::string url :
       {"ftp://127.0.0.1/pano.pgm", "http://", "https:///pano.pgm", "http://127.0.0.1:0/",
        "http://127.0.0.1:65536/", "http://127.0.0.1:/", "http://127.0.0.1:8x/",
        "http://user@127.0.0.1/", "https://[::1/", "http://[::1]x/", "http://127.0.0.1/a b"}) {
    const Fetched f = http_get(url, 1000, FetchOptions{});
    EXPECT_EQ(f.error, FetchError::kBadLocator) << url;
    EXPECT_EQ(f.message, "not a well-formed http:// or https:// URL: " + url);
  }
}

TEST_F(FetchTest, AnUnusableCaFileIsATlsError) {
  TestHttpServer server(routes_, ca_.issue("127.0.0.1", "IP:127.0.0.1"));
  FetchOptions o = trusting_ca();
  o.ca_file = write_file(dir_.path() / "garbage.pem", "not a certificate\n");
  const Fetched f = http_get(server.url("/pano.pgm"), 1000, o);
  EXPECT_EQ(f.error, FetchError::kTls);
  EXPECT_EQ(f.message.rfind("cannot load the CA file " + o.ca_file + ": ", 0), 0u) << f.message;
  EXPECT_EQ(check_ca_file(ca_file_), "");
  EXPECT_NE(check_ca_file(o.ca_file), "");
  EXPECT_NE(check_ca_file((dir_.path() / "missing.pem").string()), "");
}

TEST_F(FetchTest, InputsAreCheckedAgainstTheJobHash) {
  const std::string file = write_file(dir_.path() / "pano.pgm", kBody);
  TestHttpServer server(routes_, ca_.issue("127.0.0.1", "IP:127.0.0.1"));
  for (const std::string& locator :
       {"file://" + file, std::string("pano.pgm"), server.url("/pano.pgm")}) {
    Fetched f = fetch_input(locator, dir_.path().string(), 1000, sha(kBody), trusting_ca());
    ASSERT_TRUE(f.ok()) << locator << ": " << f.message;
    EXPECT_EQ(f.body, kBody);
    f = fetch_input(locator, dir_.path().string(), 1000, sha("other"), trusting_ca());
    EXPECT_EQ(f.error, FetchError::kHashMismatch) << locator;
    EXPECT_EQ(f.message, "the input from " + locator + " has SHA-256 " + to_hex(sha(kBody)) +
                             ", not the job's " + to_hex(sha("other")));
    EXPECT_EQ(f.body, "");
    f = fetch_input(locator, dir_.path().string(), kBody.size() - 1, sha(kBody), trusting_ca());
    EXPECT_EQ(f.error, FetchError::kTooLarge) << locator;
  }
  EXPECT_EQ(
      fetch_input("file://" + (dir_.path() / "none").string(), "", 1000, sha(kBody), FetchOptions{})
          .error,
      FetchError::kUnreadable);
  for (const std::string locator : {"pano.pgm", "s3://bucket/pano.pgm", "ftp://host/pano.pgm"}) {
    // A bare name needs an input directory.
    EXPECT_EQ(fetch_input(locator, "", 1000, sha(kBody), FetchOptions{}).error,
              FetchError::kBadLocator)
        << locator;
  }
}

}  // namespace
}  // namespace btt::worker
