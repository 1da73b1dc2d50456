#include "btt/crypto/keyfile.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <system_error>

#include "btt/common/file_io.h"

namespace btt::crypto {
namespace {

constexpr std::string_view kKeyType = "bip340-secp256k1";
// A key file is a few hundred bytes; anything far larger is not one, and is not read whole.
constexpr size_t kMaxKeyFileSize = 64 * 1024;

std::string quoted(const std::filesystem::path& path) {
  return "'" + path.string() + "'";
}

Status file_error(Code code, const std::filesystem::path& path, const std::string& what) {
  return {code, "key file " + quoted(path) + ": " + what};
}

// Zeroes a string that held secret material before it is freed.
struct ScopedWipe {
  std::string& s;
  ~ScopedWipe() {
    if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
  }
};

// Reads one JSON string field; nullopt if missing or not a string.
std::optional<std::string> string_field(const nlohmann::json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace

KeyPair KeyPair::generate() {
  for (;;) {
    SecretKey sk = generate_secret_key();
    auto kp = from_secret(sk);
    OPENSSL_cleanse(sk.data(), sk.size());
    if (kp) return *kp;
  }
}

std::optional<KeyPair> KeyPair::from_secret(const SecretKey& sk) {
  auto pk = derive_public_key(sk);
  if (!pk) return std::nullopt;
  return KeyPair{sk, *pk, Address::from_public_key(*pk)};
}

Status write_key_file(const std::filesystem::path& path, const KeyPair& key) {
  if (path.empty()) return {Code::kInvalidArgument, "key file path is empty"};
  // Never write a file that read_key_file would refuse.
  auto expected = KeyPair::from_secret(key.secret_key);
  if (!expected) return file_error(Code::kInvalidArgument, path, "secret key is invalid");
  if (expected->public_key != key.public_key || expected->address != key.address) {
    return file_error(Code::kInvalidArgument, path,
                      "public key or address does not match the secret key");
  }

  std::string text;
  ScopedWipe wipe{text};
  try {
    nlohmann::ordered_json j;
    j["type"] = kKeyType;
    j["secret_key"] = to_hex(key.secret_key);
    j["public_key"] = to_hex(key.public_key);
    j["address"] = key.address.to_string();
    text = j.dump(2);
    text.push_back('\n');
    // The json object's own copy of the secret hex cannot be wiped; the file buffer can.
  } catch (const std::exception& e) {
    return file_error(Code::kInternal, path, std::string("cannot encode: ") + e.what());
  }

  std::error_code ec;
  const auto parent = path.parent_path();
  if (!parent.empty()) {
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      return file_error(Code::kInternal, path,
                        "cannot create directory " + quoted(parent) + ": " + ec.message());
    }
  }

  // O_EXCL: refuse to overwrite (and to follow a planted symlink); mode 0600 from the start so
  // the secret is never readable by others, not even between create and chmod.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    const int err = errno;
    if (err == EEXIST) {
      return file_error(Code::kInvalidArgument, path, "already exists; refusing to overwrite it");
    }
    return file_error(Code::kInternal, path, "cannot create: " + errno_text(err));
  }
  // The umask may have cleared bits of 0600 (never added any); make the mode exact.
  bool ok = true;
  int err = 0;
  if (::fchmod(fd, 0600) != 0 || !write_all(fd, text) || ::fsync(fd) != 0) {
    ok = false;
    err = errno;
  }
  if (::close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    ::unlink(path.c_str());  // a half-written key file must not be mistaken for a key
    return file_error(Code::kInternal, path, "cannot write: " + errno_text(err));
  }
  // Best effort: make the new directory entry durable too.
  (void)fsync_parent_dir(path);
  return Status::ok();
}

Result<KeyPair> read_key_file(const std::filesystem::path& path) {
  if (path.empty()) return Status{Code::kInvalidArgument, "key file path is empty"};
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return file_error(Code::kNotFound, path, "not found");
    return file_error(Code::kInternal, path, "cannot open: " + errno_text(err));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return file_error(Code::kInvalidArgument, path, "not a regular file");
  }
  if (static_cast<uint64_t>(st.st_size) > kMaxKeyFileSize) {
    ::close(fd);
    return file_error(Code::kInvalidArgument, path, "too large to be a key file");
  }

  std::string text;
  ScopedWipe wipe{text};
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      OPENSSL_cleanse(buf, sizeof(buf));
      ::close(fd);
      return file_error(Code::kInternal, path, "cannot read: " + errno_text(err));
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > kMaxKeyFileSize) {
      OPENSSL_cleanse(buf, sizeof(buf));
      ::close(fd);
      return file_error(Code::kInvalidArgument, path, "too large to be a key file");
    }
  }
  OPENSSL_cleanse(buf, sizeof(buf));
  ::close(fd);

  // parse(..., allow_exceptions=false) never throws on bad input; the try also covers get<>.
  try {
    const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return file_error(Code::kInvalidArgument, path, "malformed JSON");
    if (!j.is_object()) return file_error(Code::kInvalidArgument, path, "not a JSON object");

    auto type = string_field(j, "type");
    if (!type) return file_error(Code::kInvalidArgument, path, "missing string field 'type'");
    if (*type != kKeyType) {
      return file_error(
          Code::kInvalidArgument, path,
          "unsupported key type '" + *type + "' (expected '" + std::string(kKeyType) + "')");
    }

    auto sk_hex = string_field(j, "secret_key");
    if (!sk_hex) {
      return file_error(Code::kInvalidArgument, path, "missing string field 'secret_key'");
    }
    ScopedWipe wipe_hex{*sk_hex};
    auto sk_raw = from_hex(*sk_hex);
    if (!sk_raw || sk_raw->size() != 32) {
      if (sk_raw) OPENSSL_cleanse(sk_raw->data(), sk_raw->size());
      return file_error(Code::kInvalidArgument, path, "secret_key is not 64 hex characters");
    }
    ScopedWipe wipe_raw{*sk_raw};
    SecretKey sk;
    std::memcpy(sk.data(), sk_raw->data(), sk.size());
    auto kp = KeyPair::from_secret(sk);
    OPENSSL_cleanse(sk.data(), sk.size());
    if (!kp) {
      return file_error(Code::kInvalidArgument, path,
                        "secret_key is not a valid secp256k1 secret key");
    }

    auto pk_hex = string_field(j, "public_key");
    if (!pk_hex) {
      return file_error(Code::kInvalidArgument, path, "missing string field 'public_key'");
    }
    auto pk_raw = from_hex(*pk_hex);
    if (!pk_raw || pk_raw->size() != 32) {
      return file_error(Code::kInvalidArgument, path, "public_key is not 64 hex characters");
    }
    if (*pk_raw != as_view(kp->public_key)) {
      return file_error(
          Code::kInvalidArgument, path,
          "public_key does not match the secret key (expected " + to_hex(kp->public_key) + ")");
    }

    auto addr_text = string_field(j, "address");
    if (!addr_text) {
      return file_error(Code::kInvalidArgument, path, "missing string field 'address'");
    }
    auto addr = Address::parse(*addr_text);
    if (!addr) {
      return file_error(Code::kInvalidArgument, path,
                        "address '" + *addr_text + "' is not a valid btt address");
    }
    if (*addr != kp->address) {
      return file_error(
          Code::kInvalidArgument, path,
          "address does not match the secret key (expected " + kp->address.to_string() + ")");
    }
    return *kp;
  } catch (const std::exception& e) {
    return file_error(Code::kInvalidArgument, path, std::string("malformed: ") + e.what());
  }
}

}  // namespace btt::crypto
