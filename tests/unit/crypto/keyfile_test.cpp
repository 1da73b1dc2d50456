#include "btt/crypto/keyfile.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace btt::crypto {
namespace {

namespace fs = std::filesystem;

class KeyFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "btt-keyfile-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  static void write_text(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
  }
  static std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static std::string json_for(const std::string& type, const std::string& sk, const std::string& pk,
                              const std::string& addr) {
    return "{\"type\": \"" + type + "\", \"secret_key\": \"" + sk + "\", \"public_key\": \"" + pk +
           "\", \"address\": \"" + addr + "\"}";
  }
  // Writes `text` as a key file and expects read_key_file to refuse it with a message naming the
  // path and containing `needle`.
  void expect_refused(const std::string& text, const std::string& needle,
                      Code code = Code::kInvalidArgument) {
    const fs::path p = dir_ / ("bad" + std::to_string(counter_++) + ".json");
    write_text(p, text);
    auto r = read_key_file(p);
    ASSERT_FALSE(r.is_ok()) << text;
    EXPECT_EQ(r.status().code(), code) << r.status().to_string();
    EXPECT_NE(r.status().message().find(p.string()), std::string::npos) << r.status().to_string();
    EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().to_string();
  }

  fs::path dir_;
  int counter_ = 0;
};

TEST_F(KeyFile, WriteThenReadRoundTrip) {
  const KeyPair key = KeyPair::generate();
  const fs::path p = dir_ / "validator.json";
  ASSERT_TRUE(write_key_file(p, key).is_ok());
  auto r = read_key_file(p);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->secret_key, key.secret_key);
  EXPECT_EQ(r->public_key, key.public_key);
  EXPECT_EQ(r->address, key.address);

  const std::string text = read_text(p);
  EXPECT_NE(text.find("\"bip340-secp256k1\""), std::string::npos);
  EXPECT_NE(text.find(to_hex(key.secret_key)), std::string::npos);
  EXPECT_NE(text.find(to_hex(key.public_key)), std::string::npos);
  EXPECT_NE(text.find(key.address.to_string()), std::string::npos);
}

TEST_F(KeyFile, FileModeIsExactly0600) {
  const fs::path p = dir_ / "k.json";
  ASSERT_TRUE(write_key_file(p, KeyPair::generate()).is_ok());
  struct stat st;
  ASSERT_EQ(::stat(p.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST_F(KeyFile, FileModeIs0600WhateverTheUmask) {
  for (mode_t mask : {mode_t{0}, mode_t{0022}, mode_t{0077}, mode_t{0277}}) {
    const fs::path p = dir_ / ("k" + std::to_string(mask) + ".json");
    const mode_t old = ::umask(mask);
    const Status s = write_key_file(p, KeyPair::generate());
    ::umask(old);
    ASSERT_TRUE(s.is_ok()) << s.to_string();
    struct stat st;
    ASSERT_EQ(::stat(p.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0600u) << "umask " << std::oct << mask;
  }
}

TEST_F(KeyFile, CreatesParentDirectories) {
  const fs::path p = dir_ / "a" / "b" / "c" / "key.json";
  ASSERT_TRUE(write_key_file(p, KeyPair::generate()).is_ok());
  EXPECT_TRUE(read_key_file(p).is_ok());
}

TEST_F(KeyFile, RefusesToOverwrite) {
  const fs::path p = dir_ / "key.json";
  const KeyPair first = KeyPair::generate();
  ASSERT_TRUE(write_key_file(p, first).is_ok());
  const std::string before = read_text(p);

  const Status s = write_key_file(p, KeyPair::generate());
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find(p.string()), std::string::npos) << s.to_string();
  EXPECT_NE(s.message().find("overwrite"), std::string::npos) << s.to_string();
  EXPECT_EQ(read_text(p), before);
  EXPECT_EQ(read_key_file(p)->secret_key, first.secret_key);

  // Also refuses a file that is not a key file, and a symlink.
  const fs::path other = dir_ / "notes.txt";
  write_text(other, "keep me");
  EXPECT_FALSE(write_key_file(other, first).is_ok());
  EXPECT_EQ(read_text(other), "keep me");
  const fs::path link = dir_ / "link.json";
  fs::create_symlink(dir_ / "target.json", link);
  EXPECT_FALSE(write_key_file(link, first).is_ok());
  EXPECT_FALSE(fs::exists(dir_ / "target.json"));
}

TEST_F(KeyFile, RefusesToWriteInconsistentKeyPair) {
  KeyPair key = KeyPair::generate();
  key.public_key = KeyPair::generate().public_key;
  EXPECT_FALSE(write_key_file(dir_ / "a.json", key).is_ok());
  key = KeyPair::generate();
  key.address = Address::for_module("bank");
  EXPECT_FALSE(write_key_file(dir_ / "b.json", key).is_ok());
  key = KeyPair::generate();
  key.secret_key = SecretKey{};
  EXPECT_FALSE(write_key_file(dir_ / "c.json", key).is_ok());
  EXPECT_FALSE(fs::exists(dir_ / "a.json") || fs::exists(dir_ / "b.json") ||
               fs::exists(dir_ / "c.json"));
}

TEST_F(KeyFile, RefusesTamperedPublicKeyOrAddress) {
  const KeyPair key = KeyPair::generate();
  const KeyPair other = KeyPair::generate();
  const std::string sk = to_hex(key.secret_key);
  const std::string pk = to_hex(key.public_key);
  const std::string addr = key.address.to_string();
  ASSERT_NO_FATAL_FAILURE(
      expect_refused(json_for("bip340-secp256k1", sk, to_hex(other.public_key), addr),
                     "public_key does not match"));
  ASSERT_NO_FATAL_FAILURE(expect_refused(
      json_for("bip340-secp256k1", sk, pk, other.address.to_string()), "address does not match"));
  ASSERT_NO_FATAL_FAILURE(
      expect_refused(json_for("bip340-secp256k1", sk, pk, "btt1notanaddress"), "address"));
  // The untampered text is accepted (so the refusals above are about the tampering).
  const fs::path good = dir_ / "good.json";
  write_text(good, json_for("bip340-secp256k1", sk, pk, addr));
  EXPECT_TRUE(read_key_file(good).is_ok());
}

TEST_F(KeyFile, RefusesMalformedJson) {
  ASSERT_NO_FATAL_FAILURE(expect_refused("", "malformed JSON"));
  ASSERT_NO_FATAL_FAILURE(expect_refused("{not json", "malformed JSON"));
  ASSERT_NO_FATAL_FAILURE(expect_refused("{\"type\": \"bip340-secp256k1\",}", "malformed JSON"));
  ASSERT_NO_FATAL_FAILURE(expect_refused("[1, 2, 3]", "not a JSON object"));
  ASSERT_NO_FATAL_FAILURE(expect_refused("\"a string\"", "not a JSON object"));
  ASSERT_NO_FATAL_FAILURE(expect_refused("{}", "'type'"));
  ASSERT_NO_FATAL_FAILURE(expect_refused("{\"type\": 5}", "'type'"));
  ASSERT_NO_FATAL_FAILURE(expect_refused("{\"type\": \"ed25519\"}", "unsupported key type"));
  ASSERT_NO_FATAL_FAILURE(expect_refused("{\"type\": \"bip340-secp256k1\"}", "'secret_key'"));
  ASSERT_NO_FATAL_FAILURE(
      expect_refused("{\"type\": \"bip340-secp256k1\", \"secret_key\": 12}", "'secret_key'"));
  ASSERT_NO_FATAL_FAILURE(expect_refused(std::string("{\"a\":\"\xff\xfe\"}"), "malformed JSON"));
}

TEST_F(KeyFile, RefusesBadHex) {
  const KeyPair key = KeyPair::generate();
  const std::string sk = to_hex(key.secret_key);
  const std::string pk = to_hex(key.public_key);
  const std::string addr = key.address.to_string();
  const std::string t = "bip340-secp256k1";
  ASSERT_NO_FATAL_FAILURE(expect_refused(json_for(t, "zz" + sk.substr(2), pk, addr), "secret_key"));
  ASSERT_NO_FATAL_FAILURE(expect_refused(json_for(t, sk.substr(2), pk, addr), "secret_key"));
  ASSERT_NO_FATAL_FAILURE(expect_refused(json_for(t, sk + "00", pk, addr), "secret_key"));
  ASSERT_NO_FATAL_FAILURE(expect_refused(json_for(t, sk.substr(1), pk, addr), "secret_key"));
  ASSERT_NO_FATAL_FAILURE(expect_refused(json_for(t, "", pk, addr), "secret_key"));
  ASSERT_NO_FATAL_FAILURE(
      expect_refused(json_for(t, std::string(64, '0'), pk, addr), "not a valid secp256k1"));
  ASSERT_NO_FATAL_FAILURE(expect_refused(json_for(t, sk, "xy" + pk.substr(2), addr), "public_key"));
  ASSERT_NO_FATAL_FAILURE(expect_refused(json_for(t, sk, pk.substr(2), addr), "public_key"));
  // Upper-case hex is still hex.
  std::string upper_sk = sk;
  for (char& c : upper_sk) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const fs::path p = dir_ / "upper.json";
  write_text(p, json_for(t, upper_sk, pk, addr));
  EXPECT_TRUE(read_key_file(p).is_ok());
}

TEST_F(KeyFile, MissingFileGivesClearError) {
  const fs::path p = dir_ / "no-such-key.json";
  auto r = read_key_file(p);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_NE(r.status().message().find(p.string()), std::string::npos) << r.status().to_string();
  EXPECT_NE(r.status().message().find("not found"), std::string::npos) << r.status().to_string();
}

TEST_F(KeyFile, DirectoryOrHugeFileIsRefused) {
  auto r = read_key_file(dir_);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find(dir_.string()), std::string::npos);
  ASSERT_NO_FATAL_FAILURE(expect_refused(std::string(100000, ' '), "too large"));
}

TEST(KeyPairTest, FromSecret) {
  EXPECT_FALSE(KeyPair::from_secret(SecretKey{}).has_value());
  SecretKey one{};
  one[31] = 1;
  auto kp = KeyPair::from_secret(one);
  ASSERT_TRUE(kp.has_value());
  EXPECT_EQ(to_hex(kp->public_key),
            "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
  EXPECT_EQ(kp->address, Address::from_public_key(kp->public_key));
  const KeyPair g = KeyPair::generate();
  EXPECT_EQ(derive_public_key(g.secret_key), g.public_key);
  EXPECT_EQ(g.address, Address::from_public_key(g.public_key));
}

}  // namespace
}  // namespace btt::crypto
