// The test vectors of doc/protocol.md: if this test changes, the document (and every wallet
// built from it) must change too.
#include <gtest/gtest.h>

#include <iostream>
#include <utility>

#include "btt/chain/chain.h"
#include "btt/chain/tx.h"
#include "btt/chain/validator_set.h"
#include "btt/chain/vote_set.h"
#include "btt/crypto/hash.h"
#include "btt/crypto/keyfile.h"
#include "btt/modules/compute/compute.h"

namespace btt::chain {
namespace {

struct Vector {
  const char* secret_key;
  const char* recipient_secret_key;
  uint64_t nonce;
  uint64_t fee;
  uint64_t amount;
  const char* memo;
  const char* public_key;
  const char* address;
  const char* recipient;
  const char* body_hex;
  const char* signature;  // with aux_rand = 32 zero bytes
  const char* tx_id;
  const char* tx_hex;
};

const Vector kVectors[] = {
    {"0000000000000000000000000000000000000000000000000000000000000003",
     "0000000000000000000000000000000000000000000000000000000000000004", 0, 1000, 150000000, "",
     "f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9",
     "btt103ulxpc79q6yaq2nhak88s55a03h2jhvaw5p55", "btt1x6lpafxczjhj3z9cj5r95ze98q64hvan7suzmw",
     "0a0c6274742d6465766e65742d31122a627474313033756c78706337397136796171326e68616b383873353561303"
     "3"
     "68326a68766177357035351a20f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f928e"
     "8"
     "073a380a360a2a6274743178366c70616678637a6a686a337a39636a357239357a6539387136346876616e3773757"
     "a"
     "6d7712034254541880a3c347",
     "559640b454394238ea5f3c9c3888553fda13cfada323cb8d6ddfb810ede8174696da5f54b5d638a87ed2909abba79"
     "e"
     "52a5e0b3f72a30e127199e74182aef7aac",
     "abeb6a5944b2465bfa1fe4c01d5984a78688b252ded409f7fe4454f3957674ba",
     "0a99010a0c6274742d6465766e65742d31122a627474313033756c78706337397136796171326e68616b383873353"
     "5"
     "61303368326a68766177357035351a20f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce03"
     "6"
     "f928e8073a380a360a2a6274743178366c70616678637a6a686a337a39636a357239357a6539387136346876616e3"
     "7"
     "73757a6d7712034254541880a3c3471240559640b454394238ea5f3c9c3888553fda13cfada323cb8d6ddfb810ede"
     "8"
     "174696da5f54b5d638a87ed2909abba79e52a5e0b3f72a30e127199e74182aef7aac"},
    {"b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef",
     "0000000000000000000000000000000000000000000000000000000000000003", 7, 2500, 1, "invoice 42",
     "dff1d77f2a671c5f36183726db2341be58feae1da2deced843240f7b502ba659",
     "btt1f77m7vrk3ty8xslup6l45hkn0sktntdlz5sz4f", "btt103ulxpc79q6yaq2nhak88s55a03h2jhvaw5p55",
     "0a0c6274742d6465766e65742d31122a627474316637376d3776726b3374793878736c7570366c3435686b6e30736"
     "b"
     "746e74646c7a35737a34661a20dff1d77f2a671c5f36183726db2341be58feae1da2deced843240f7b502ba659200"
     "7"
     "28c413320a696e766f6963652034323a350a330a2a627474313033756c78706337397136796171326e68616b38387"
     "3"
     "353561303368326a687661773570353512034254541801",
     "dcae626c70fa3c9a4681f4f29a7b36a062bcfa3dbbeac2cfbd4ec8eb2b96a16f5310a2682473c292c4c22378befe1"
     "6"
     "e890a5117361e1468e29dd254ad28b592e",
     "6471c38d6e4d81c653cebc28e74f500b8f3f84266e7eb1a78442d226cd16e15e",
     "0aa4010a0c6274742d6465766e65742d31122a627474316637376d3776726b3374793878736c7570366c3435686b6"
     "e"
     "30736b746e74646c7a35737a34661a20dff1d77f2a671c5f36183726db2341be58feae1da2deced843240f7b502ba"
     "6"
     "59200728c413320a696e766f6963652034323a350a330a2a627474313033756c78706337397136796171326e68616"
     "b"
     "383873353561303368326a6876617735703535120342545418011240dcae626c70fa3c9a4681f4f29a7b36a062bcf"
     "a"
     "3dbbeac2cfbd4ec8eb2b96a16f5310a2682473c292c4c22378befe16e890a5117361e1468e29dd254ad28b592e"},
};

crypto::KeyPair key(const char* hex) {
  auto bytes = from_hex(hex).value();
  crypto::SecretKey sk;
  std::copy(bytes.begin(), bytes.end(), sk.begin());
  return crypto::KeyPair::from_secret(sk).value();
}

TEST(ProtocolVectors, MatchDocProtocolMd) {
  for (const auto& v : kVectors) {
    auto sender = key(v.secret_key);
    auto recipient = key(v.recipient_secret_key);
    v1::TxBody body;
    body.set_chain_id("btt-devnet-1");
    body.set_sender(sender.address.to_string());
    body.set_public_key(std::string(as_view(sender.public_key)));
    body.set_nonce(v.nonce);
    body.set_fee(v.fee);
    body.set_memo(v.memo);
    auto* t = body.add_messages()->mutable_transfer();
    t->set_to(recipient.address.to_string());
    t->set_asset("BTT");
    t->set_amount(v.amount);
    uint8_t aux[32] = {};
    v1::Tx tx = sign_tx(body, sender.secret_key, aux);
    auto decoded = decode_tx(tx, 1 << 20);
    ASSERT_TRUE(decoded.is_ok());
    EXPECT_TRUE(verify_tx_signature(**decoded));

    std::string got_body = to_hex(tx.body());
    std::string got_sig = to_hex(tx.signature());
    std::string got_id = to_hex((*decoded)->id);
    std::string got_tx = to_hex(tx.SerializeAsString());
    if (std::string(v.body_hex).empty()) {
      std::cout << "public_key " << to_hex(sender.public_key) << "\naddress "
                << sender.address.to_string() << "\nrecipient " << recipient.address.to_string()
                << "\nbody " << got_body << "\nsig " << got_sig << "\nid " << got_id << "\ntx "
                << got_tx << "\n";
      ADD_FAILURE() << "fill in the vector";
      continue;
    }
    EXPECT_EQ(to_hex(sender.public_key), v.public_key);
    EXPECT_EQ(sender.address.to_string(), v.address);
    EXPECT_EQ(recipient.address.to_string(), v.recipient);
    EXPECT_EQ(got_body, v.body_hex);
    EXPECT_EQ(got_sig, v.signature);
    EXPECT_EQ(got_id, v.tx_id);
    EXPECT_EQ(got_tx, v.tx_hex);
    // The id and sighash are the documented tagged hashes of the body bytes.
    EXPECT_EQ(to_hex(crypto::tagged_hash("btt/tx/id", *from_hex(v.body_hex))), v.tx_id);
    auto sighash = crypto::tagged_hash("btt/tx/sig", *from_hex(v.body_hex));
    EXPECT_TRUE(crypto::schnorr_verify(sender.public_key, sighash,
                                       *crypto::signature_from_bytes(*from_hex(v.signature))));
  }
}

// Vector 3 of doc/protocol.md: a MsgMultiTransfer, whose outputs are messages nested two levels
// below the body (TxBody.messages -> Message.multi_transfer -> MsgMultiTransfer.outputs).
struct MultiVector {
  const char* secret_key = "0000000000000000000000000000000000000000000000000000000000000003";
  uint64_t nonce = 1;
  uint64_t fee = 1000;
  const char* to_a_secret_key = "0000000000000000000000000000000000000000000000000000000000000004";
  uint64_t amount_a = 100000000;
  const char* to_b_secret_key = "b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef";
  uint64_t amount_b = 25000000;
  const char* body_hex =
      "0a0c6274742d6465766e65742d31122a627474313033756c78706337397136796171326e68616b3838733535"
      "61303368326a68766177357035351a20f9308a019258c31049344f85f89d5229b531c845836f99b08601f113"
      "bce036f9200128e8073a7212700a360a2a6274743178366c70616678637a6a686a337a39636a357239357a65"
      "39387136346876616e3773757a6d7712034254541880c2d72f0a360a2a627474316637376d3776726b337479"
      "3878736c7570366c3435686b6e30736b746e74646c7a35737a3466120342545418c0f0f50b";
  const char* signature =  // with aux_rand = 32 zero bytes
      "e5859f7d2f4439c0a00aa0096afda0b1c77ee6a2583960ca826f735d466050878829b4ae9423172df4160a2a"
      "84d7fa40b21d9e74f9bf45b772506d1aeab76dc1";
  const char* tx_id = "c1c3b4bc6c2287be4fce73061d3fb0e6385912e78a95daf19536b46f4fac8ad5";
  const char* tx_hex =
      "0ad5010a0c6274742d6465766e65742d31122a627474313033756c78706337397136796171326e68616b3838"
      "73353561303368326a68766177357035351a20f9308a019258c31049344f85f89d5229b531c845836f99b086"
      "01f113bce036f9200128e8073a7212700a360a2a6274743178366c70616678637a6a686a337a39636a357239"
      "357a6539387136346876616e3773757a6d7712034254541880c2d72f0a360a2a627474316637376d3776726b"
      "3374793878736c7570366c3435686b6e30736b746e74646c7a35737a3466120342545418c0f0f50b1240e585"
      "9f7d2f4439c0a00aa0096afda0b1c77ee6a2583960ca826f735d466050878829b4ae9423172df4160a2a84d7"
      "fa40b21d9e74f9bf45b772506d1aeab76dc1";
};

TEST(ProtocolVectors, MultiTransferMatchesDocProtocolMd) {
  const MultiVector v;
  auto sender = key(v.secret_key);
  v1::TxBody body;
  body.set_chain_id("btt-devnet-1");
  body.set_sender(sender.address.to_string());
  body.set_public_key(std::string(as_view(sender.public_key)));
  body.set_nonce(v.nonce);
  body.set_fee(v.fee);
  auto* mt = body.add_messages()->mutable_multi_transfer();
  for (auto [sk, amount] :
       {std::pair{v.to_a_secret_key, v.amount_a}, std::pair{v.to_b_secret_key, v.amount_b}}) {
    auto* o = mt->add_outputs();
    o->set_to(key(sk).address.to_string());
    o->set_asset("BTT");
    o->set_amount(amount);
  }
  uint8_t aux[32] = {};
  v1::Tx tx = sign_tx(body, sender.secret_key, aux);
  auto decoded = decode_tx(tx, 1 << 20);
  ASSERT_TRUE(decoded.is_ok());
  EXPECT_TRUE(verify_tx_signature(**decoded));
  const std::string got_body = to_hex(tx.body());
  const std::string got_sig = to_hex(tx.signature());
  const std::string got_id = to_hex((*decoded)->id);
  const std::string got_tx = to_hex(tx.SerializeAsString());
  if (std::string(v.body_hex).empty()) {
    std::cout << "address " << sender.address.to_string() << "\nto_a "
              << key(v.to_a_secret_key).address.to_string() << "\nto_b "
              << key(v.to_b_secret_key).address.to_string() << "\nbody " << got_body << "\nsig "
              << got_sig << "\nid " << got_id << "\ntx " << got_tx << "\n";
    FAIL() << "fill in the vector";
  }
  EXPECT_EQ(sender.address.to_string(), "btt103ulxpc79q6yaq2nhak88s55a03h2jhvaw5p55");
  EXPECT_EQ(mt->outputs(0).to(), "btt1x6lpafxczjhj3z9cj5r95ze98q64hvan7suzmw");
  EXPECT_EQ(mt->outputs(1).to(), "btt1f77m7vrk3ty8xslup6l45hkn0sktntdlz5sz4f");
  EXPECT_EQ(got_body, v.body_hex);
  EXPECT_EQ(got_sig, v.signature);
  EXPECT_EQ(got_id, v.tx_id);
  EXPECT_EQ(got_tx, v.tx_hex);
  EXPECT_EQ(to_hex(crypto::tagged_hash("btt/tx/id", *from_hex(v.body_hex))), v.tx_id);
  auto sighash = crypto::tagged_hash("btt/tx/sig", *from_hex(v.body_hex));
  EXPECT_TRUE(crypto::schnorr_verify(sender.public_key, sighash,
                                     *crypto::signature_from_bytes(*from_hex(v.signature))));
}

// Vector 1's recipient, spelled out in doc/protocol.md.
TEST(ProtocolVectors, RecipientKeyOfVectorOne) {
  auto k = key("0000000000000000000000000000000000000000000000000000000000000004");
  EXPECT_EQ(to_hex(k.public_key),
            "e493dbf1c10d80f3581e4904930b1404cc6c13900ee0758474fa94abe8c4cd13");
  EXPECT_EQ(k.address.to_string(), "btt1x6lpafxczjhj3z9cj5r95ze98q64hvan7suzmw");
}

// An embedded message is written whenever it is set, even when it is empty: a set oneof member
// with no fields is its tag and length 0 (doc/protocol.md, "Encoding").
TEST(ProtocolVectors, SetEmptyEmbeddedMessagesAreWritten) {
  v1::Message heartbeat;
  heartbeat.mutable_heartbeat();  // MsgHeartbeat {}: field 24, wire type 2
  EXPECT_EQ(to_hex(heartbeat.SerializeAsString()), "c20100");
  v1::Message unregister;
  unregister.mutable_unregister_node();  // MsgUnregisterNode {}: field 23
  EXPECT_EQ(to_hex(unregister.SerializeAsString()), "ba0100");
  v1::Message transfer;
  transfer.mutable_transfer();  // MsgTransfer with every field at its default
  EXPECT_EQ(to_hex(transfer.SerializeAsString()), "0a00");
  v1::TxBody body;
  body.add_messages()->mutable_heartbeat();
  body.add_messages();  // a Message with no member set is still one (empty) element
  EXPECT_EQ(to_hex(body.SerializeAsString()), "3a03c201003a00");
  v1::MsgMultiTransfer mt;
  mt.add_outputs();
  EXPECT_EQ(to_hex(mt.SerializeAsString()), "0a00");
}

// The compute commitment example of doc/compute.md: a tagged hash, not SHA-256 of tag || data.
TEST(ProtocolVectors, ComputeCommitmentIsTheTaggedHash) {
  auto node = key("0000000000000000000000000000000000000000000000000000000000000003").address;
  EXPECT_EQ(to_hex(node.raw()), "7c79f3071e28344e8153bf6c73c294ebe3754aec");
  const Bytes result(32, '\x11');
  const Bytes salt(16, '\x22');
  EXPECT_EQ(to_hex(modules::compute::commitment(result, node, salt)),
            "759c3e7bfebe032f2a354bdb1d87439111b6a8aabfe614c13deac09d810eb5c3");
}

// Vector 4 of doc/protocol.md: the header fields of the validator sets and of the last commit.
struct HeaderVector {
  const char* validators_hash = "6eb4ca03f8534e0704254b526b18f31ea2fd617fbc0e4f8c3ef3369aa51b8780";
  const char* next_validators_hash =
      "32f196bd6dac922565f92a1dd0c5fd19b41908c0d5ee83c9487acf2b7f86496c";
  const char* commit_sig_a =  // key ...03's precommit, aux_rand = 32 zero bytes
      "2b8ce01388ed19f0978f228721501d3cad51b8d32c89d8164b5cc1486b1b6a07fbf33b254f2dccb136c674fbfc"
      "ae34e9af0200ab8bfb21be82542549277f5048";
  const char* commit_sig_b =  // key ...04's
      "b338afbd203409aa25eb57ad84ae16564bdc348e28429c38b437fd199130bc76cb14fac501aa37b4c73e94e513"
      "8a95d82562bc5e9466e630a8cce40128b1699b";
  const char* last_commit_hash = "c63ec7f91b7b5b45b1225f4d19e98b523ecb83e7e9e387bbf1ee47160925aab5";
  const char* header_hex =
      "0a0c6274742d6465766e65742d31100218d0dfeab6b7332220ababababababababababababababababababab"
      "ababababababababababababab2a200000000000000000000000000000000000000000000000000000000000"
      "000000322011111111111111111111111111111111111111111111111111111111111111113a2a6274743130"
      "33756c78706337397136796171326e68616b383873353561303368326a68766177357035354a202222222222"
      "2222222222222222222222222222222222222222222222222222225a206eb4ca03f8534e0704254b526b18f3"
      "1ea2fd617fbc0e4f8c3ef3369aa51b8780622032f196bd6dac922565f92a1dd0c5fd19b41908c0d5ee83c948"
      "7acf2b7f86496c6a20c63ec7f91b7b5b45b1225f4d19e98b523ecb83e7e9e387bbf1ee47160925aab5";
  const char* block_hash = "ee8b91c3f492e382cd0bb8ec5baba604f8e70d895e92d9db53a7b629a37b76c3";
};
const HeaderVector kHeaderVector;

v1::Validator vector_validator(const char* secret_key_hex, uint64_t power, const char* name) {
  auto k = key(secret_key_hex);
  v1::Validator v;
  v.set_address(k.address.to_string());
  v.set_public_key(std::string(as_view(k.public_key)));
  v.set_power(power);
  v.set_name(name);
  return v;
}

TEST(ProtocolVectors, HeaderHashesMatchDocProtocolMd) {
  constexpr const char* k3 = "0000000000000000000000000000000000000000000000000000000000000003";
  constexpr const char* k4 = "0000000000000000000000000000000000000000000000000000000000000004";
  constexpr const char* kb = "b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef";
  const auto current =
      *ValidatorSet::create({vector_validator(k3, 10, "three"), vector_validator(k4, 5, "four")});
  const auto next =
      *ValidatorSet::create({vector_validator(k3, 10, "three"), vector_validator(kb, 7, "")});
  // The commit of height 1 (block id 32 x ab) by both validators of `current`.
  v1::Commit commit;
  commit.set_height(1);
  commit.set_round(0);
  commit.set_block_id(std::string(32, '\xab'));
  for (const char* sk : {k4, k3}) {  // any order: the hash sorts by validator
    v1::Vote vote;
    vote.set_type(v1::PRECOMMIT);
    vote.set_height(1);
    vote.set_round(0);
    vote.set_block_id(commit.block_id());
    vote.set_validator(key(sk).address.to_string());
    vote.set_timestamp_ms(1767225601000);
    KeySigner signer(key(sk), /*deterministic_aux=*/true);
    ASSERT_TRUE(signer.sign_vote("btt-devnet-1", vote).is_ok());
    auto* cs = commit.add_signatures();
    cs->set_validator(vote.validator());
    cs->set_timestamp_ms(vote.timestamp_ms());
    cs->set_signature(vote.signature());
  }
  ASSERT_TRUE(verify_commit(current, "btt-devnet-1", 1, commit.block_id(), commit).is_ok());
  v1::BlockHeader header;
  header.set_chain_id("btt-devnet-1");
  header.set_height(2);
  header.set_time_ms(1767225602000);
  header.set_prev_hash(commit.block_id());
  header.set_tx_root(std::string(32, '\0'));
  header.set_state_hash(std::string(32, '\x11'));
  header.set_proposer(key(k3).address.to_string());
  header.set_results_hash(std::string(32, '\x22'));
  const std::string before_new_fields = header.SerializeAsString();
  header.set_validators_hash(to_bytes(validator_set_hash(current)));
  header.set_next_validators_hash(to_bytes(validator_set_hash(next)));
  header.set_last_commit_hash(to_bytes(*commit_hash(commit)));
  const std::string bytes = header.SerializeAsString();
  // The new fields (11-13) come last: a header without them has exactly the earlier bytes.
  EXPECT_EQ(bytes.substr(0, before_new_fields.size()), before_new_fields);

  const HeaderVector& v = kHeaderVector;
  const std::string sig_a = to_hex(commit.signatures(1).signature());  // key 3's
  const std::string sig_b = to_hex(commit.signatures(0).signature());  // key 4's
  if (std::string(v.header_hex).empty()) {
    std::cout << "validators_hash " << to_hex(validator_set_hash(current))
              << "\nnext_validators_hash " << to_hex(validator_set_hash(next)) << "\nsig3 " << sig_a
              << "\nsig4 " << sig_b << "\nlast_commit_hash " << to_hex(*commit_hash(commit))
              << "\nheader " << to_hex(bytes) << "\nblock_hash " << to_hex(block_hash(bytes))
              << "\naddr3 " << key(k3).address.to_string() << " raw "
              << to_hex(key(k3).address.raw()) << "\naddr4 " << key(k4).address.to_string()
              << " raw " << to_hex(key(k4).address.raw()) << "\naddrb "
              << key(kb).address.to_string() << " raw " << to_hex(key(kb).address.raw()) << "\n";
    FAIL() << "fill in the vector";
  }
  EXPECT_EQ(to_hex(validator_set_hash(current)), v.validators_hash);
  EXPECT_EQ(to_hex(validator_set_hash(next)), v.next_validators_hash);
  EXPECT_EQ(sig_a, v.commit_sig_a);
  EXPECT_EQ(sig_b, v.commit_sig_b);
  EXPECT_EQ(to_hex(*commit_hash(commit)), v.last_commit_hash);
  EXPECT_EQ(to_hex(bytes), v.header_hex);
  EXPECT_EQ(to_hex(block_hash(bytes)), v.block_hash);
  // The hashes are the documented tagged hashes of the documented bytes.
  Bytes set_bytes;
  put_u32_be(set_bytes, 2);
  for (const auto& m : current.validators()) {
    set_bytes.append(crypto::Address::parse(m.address)->raw());
    set_bytes.append(as_view(m.public_key));
    put_u64_be(set_bytes, m.power);
  }
  EXPECT_EQ(to_hex(crypto::tagged_hash("btt/valset", set_bytes)), v.validators_hash);
}

}  // namespace
}  // namespace btt::chain
