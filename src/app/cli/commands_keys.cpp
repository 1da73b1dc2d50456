// keygen, address: local key commands (no node needed).
#include "app/cli/commands.h"
#include "btt/common/bytes.h"
#include "btt/crypto/address.h"
#include "btt/crypto/keys.h"

namespace btt::cli {

namespace {

struct KeygenOptions {
  std::string out = "./btt-key.json";
};

struct AddressOptions {
  std::string key_file;
  std::string pubkey_hex;
};

int run_keygen(Context& ctx, const KeygenOptions& o) {
  const std::filesystem::path path(o.out);
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    throw CommandError("key file " + path.string() + " already exists; refusing to overwrite it");
  }
  const auto key = crypto::KeyPair::generate();
  if (auto st = crypto::write_key_file(path, key); !st) {
    throw CommandError("cannot write key file " + path.string() + ": " + st.message());
  }
  const std::string abs = std::filesystem::absolute(path, ec).lexically_normal().string();
  const std::string shown = ec ? path.string() : abs;
  const auto out = ctx.out();
  if (out.json()) {
    out.document(Json{{"address", key.address.to_string()},
                      {"public_key", to_hex(key.public_key)},
                      {"path", shown}});
  } else {
    out.fields(Fields()
                   .add("address", key.address.to_string())
                   .add("public key", to_hex(key.public_key))
                   .add("key file", shown));
  }
  return kExitOk;
}

int run_address(Context& ctx, const AddressOptions& o) {
  crypto::XOnlyPublicKey pk{};
  if (!o.key_file.empty()) {
    pk = load_key(o.key_file).public_key;
  } else if (!o.pubkey_hex.empty()) {
    auto raw = from_hex(o.pubkey_hex);
    auto parsed = raw ? crypto::public_key_from_bytes(*raw) : std::nullopt;
    if (!parsed) {
      throw UsageError("--pubkey must be a 32-byte x-only public key as 64 hex characters, got '" +
                       o.pubkey_hex + "'");
    }
    pk = *parsed;
  } else {
    throw UsageError("give --key FILE or --pubkey HEX");
  }
  const std::string address = crypto::Address::from_public_key(pk).to_string();
  const auto out = ctx.out();
  if (out.json()) {
    out.document(Json{{"address", address}, {"public_key", to_hex(pk)}});
  } else {
    out.fields(Fields().add("address", address).add("public key", to_hex(pk)));
  }
  return kExitOk;
}

void register_keys(Commands& cmds) {
  cmds.add(&cmds.root(), "keygen", "Create a new key and write it to a key file (0600)",
           CommandKind::kLocal, [&cmds](CLI::App* sub) -> Action {
             auto o = std::make_shared<KeygenOptions>();
             sub->add_option("--out", o->out, "Key file to write (never overwritten)")
                 ->capture_default_str();
             return [&cmds, o] { return run_keygen(cmds.ctx(), *o); };
           });
  cmds.add(&cmds.root(), "address", "Print the address of a key file or public key",
           CommandKind::kLocal, [&cmds](CLI::App* sub) -> Action {
             auto o = std::make_shared<AddressOptions>();
             auto* key = sub->add_option("--key", o->key_file, "Key file");
             auto* pub =
                 sub->add_option("--pubkey", o->pubkey_hex, "x-only public key, 64 hex characters");
             key->excludes(pub);
             return [&cmds, o] { return run_address(cmds.ctx(), *o); };
           });
}

const CommandFile kKeys{0, &register_keys};

}  // namespace

}  // namespace btt::cli
