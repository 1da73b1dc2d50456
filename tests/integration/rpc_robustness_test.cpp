// Malformed input against a real bttd (DESIGN.md "Errors and API"): every rpc of Node, Blocks,
// Txs and Bank gets a battery of malformed requests (and every rpc of every btt.v1 service the
// server registers, found through server reflection, the undecodable-bytes battery) and must answer
// the exact gRPC status code with a readable message; undecodable request bytes must not kill the
// node. Afterwards the node still runs, nothing it holds changed (the dev account, the supply, an
// empty mempool) and the chain still advances.
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/unknown_field_set.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <random>
#include <thread>
#include <tuple>

#include "btt/chain/tx.h"
#include "btt/crypto/hash.h"
#include "btt/crypto/keyfile.h"
#include "btt/v1/bank.grpc.pb.h"
#include "btt/v1/node.grpc.pb.h"
#include "testkit/node_api.h"
#include "testkit/process.h"
#include "testkit/temp_dir.h"
#include "testkit/txs.h"

namespace btt::testkit {
namespace {

using grpc::StatusCode;

constexpr const char* kChainId = "btt-robust-test";
constexpr uint64_t kFee = 1000;

std::string code_name(StatusCode c) {
  switch (c) {
    case StatusCode::OK:
      return "OK";
    case StatusCode::CANCELLED:
      return "CANCELLED";
    case StatusCode::UNKNOWN:
      return "UNKNOWN";
    case StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case StatusCode::ABORTED:
      return "ABORTED";
    case StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case StatusCode::INTERNAL:
      return "INTERNAL";
    case StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    default:
      return "code " + std::to_string(static_cast<int>(c));
  }
}

// The gRPC status must be exactly `want`, and a failure must carry a readable message.
void expect_status(const grpc::Status& got, StatusCode want, const std::string& what) {
  EXPECT_EQ(code_name(got.error_code()), code_name(want))
      << what << ": message '" << got.error_message() << "'";
  if (want != StatusCode::OK) {
    EXPECT_FALSE(got.error_message().empty()) << what << ": empty error message";
    EXPECT_LT(got.error_message().size(), 4096u) << what << ": unreadably long error message";
  }
}

// The value of the "btt-code" trailer, or -1 without one.
int btt_code(const grpc::ClientContext& ctx) {
  const auto& md = ctx.GetServerTrailingMetadata();
  auto it = md.find("btt-code");
  if (it == md.end()) return -1;
  return std::stoi(std::string(it->second.data(), it->second.size()));
}

// The shared test client plus what this test needs on top: refusal checks and raw calls.
class Client : public NodeApi {
 public:
  explicit Client(const std::string& addr) : NodeApi(addr), generic(channel()) {}

  // BroadcastTx that must be refused with `want` and, when want_code >= 0, btt-code want_code.
  void broadcast_refused(const v1::BroadcastTxRequest& req, StatusCode want, int want_code,
                         const std::string& what) {
    grpc::ClientContext ctx;
    set_deadline(ctx);
    v1::BroadcastTxResponse out;
    auto s = txs->BroadcastTx(&ctx, req, &out);
    expect_status(s, want, "BroadcastTx " + what);
    EXPECT_EQ(btt_code(ctx), want_code) << "BroadcastTx " << what << ": " << s.error_message();
  }
  void broadcast_refused(const v1::Tx& tx, StatusCode want, int want_code,
                         const std::string& what) {
    v1::BroadcastTxRequest req;
    *req.mutable_tx() = tx;
    broadcast_refused(req, want, want_code, what);
  }

  // SimulateTx that answers gRPC OK with `want_code` in the response.
  v1::SimulateTxResponse simulate(const v1::Tx& tx, uint32_t want_code, const std::string& what,
                                  bool skip_signature = false) {
    grpc::ClientContext ctx;
    set_deadline(ctx);
    v1::SimulateTxRequest req;
    *req.mutable_tx() = tx;
    req.set_skip_signature(skip_signature);
    v1::SimulateTxResponse out;
    auto s = txs->SimulateTx(&ctx, req, &out);
    expect_status(s, StatusCode::OK, "SimulateTx " + what);
    EXPECT_EQ(out.code(), want_code) << "SimulateTx " << what << ": " << out.log();
    if (want_code != 0) {
      EXPECT_FALSE(out.log().empty()) << "SimulateTx " << what;
    }
    return out;
  }

  // A unary call with raw request bytes.
  grpc::Status raw_call(const std::string& method, const std::string& bytes) {
    grpc::ClientContext ctx;
    set_deadline(ctx);
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    std::promise<grpc::Status> done;
    generic.UnaryCall(&ctx, method, grpc::StubOptions(), &request, &response,
                      [&done](grpc::Status s) { done.set_value(std::move(s)); });
    return done.get_future().get();
  }

  // One server-reflection exchange (grpc.reflection.v1alpha, raw bytes: the test has no
  // generated reflection stubs): sends `request`, returns the response bytes ("" on failure).
  std::string reflect(const std::string& request) {
    grpc::CompletionQueue cq;
    grpc::ClientContext ctx;
    set_deadline(ctx);
    auto call = generic.PrepareCall(
        &ctx, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
    auto step = [&cq](int want) {
      void* tag = nullptr;
      bool ok = false;
      return cq.Next(&tag, &ok) && ok &&
             tag == reinterpret_cast<void*>(static_cast<intptr_t>(want));
    };
    auto tag = [](int n) { return reinterpret_cast<void*>(static_cast<intptr_t>(n)); };
    std::string out;
    call->StartCall(tag(1));
    if (step(1)) {
      grpc::Slice slice(request);
      grpc::ByteBuffer req(&slice, 1);
      call->Write(req, tag(2));
      grpc::ByteBuffer resp;
      if (step(2)) {
        call->Read(&resp, tag(3));
        if (step(3)) {
          std::vector<grpc::Slice> slices;
          if (resp.Dump(&slices).ok()) {
            for (const auto& sl : slices)
              out.append(reinterpret_cast<const char*>(sl.begin()), sl.size());
          }
        }
      }
      call->WritesDone(tag(4));
      step(4);
    }
    grpc::Status st;
    call->Finish(&st, tag(5));
    step(5);
    cq.Shutdown();
    void* ignored_tag = nullptr;
    bool ignored_ok = false;
    while (cq.Next(&ignored_tag, &ignored_ok)) {
    }
    return out;
  }

  // "/btt.v1.Service/Method" for every method of every btt.v1 service the server registered.
  std::vector<std::string> served_methods() {
    using google::protobuf::UnknownFieldSet;
    // The length-delimited values of field `number` of a serialized message.
    auto sub_fields = [](const std::string& bytes, int number) {
      UnknownFieldSet set;
      EXPECT_TRUE(set.ParseFromString(bytes)) << "reflection answer does not parse";
      std::vector<std::string> out;
      for (int i = 0; i < set.field_count(); ++i) {
        const auto& f = set.field(i);
        if (f.number() == number &&
            f.type() == google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED) {
          out.push_back(f.length_delimited());
        }
      }
      return out;
    };
    // ServerReflectionRequest{list_services = 7: ""} -> list_services_response = 6 {service = 1
    // {name = 1}}.
    std::vector<std::string> services;
    for (const auto& list : sub_fields(reflect(std::string("\x3a\x00", 2)), 6)) {
      for (const auto& service : sub_fields(list, 1)) {
        for (const auto& name : sub_fields(service, 1)) {
          if (name.rfind("btt.v1.", 0) == 0) services.push_back(name);
        }
      }
    }
    std::vector<std::string> methods;
    for (const auto& service : services) {
      // file_containing_symbol = 4 -> file_descriptor_response = 4 {file_descriptor_proto = 1}.
      std::string req = "\x22";
      req.push_back(static_cast<char>(service.size()));  // btt service names are < 128 bytes
      req += service;
      bool found = false;
      for (const auto& resp : sub_fields(reflect(req), 4)) {
        for (const auto& file_bytes : sub_fields(resp, 1)) {
          google::protobuf::FileDescriptorProto file;
          if (!file.ParseFromString(file_bytes)) continue;
          for (const auto& s : file.service()) {
            if (file.package() + "." + s.name() != service) continue;
            found = true;
            for (const auto& m : s.method()) methods.push_back("/" + service + "/" + m.name());
          }
        }
      }
      EXPECT_TRUE(found) << "no descriptor for " << service << " through reflection";
    }
    return methods;
  }

  grpc::GenericStub generic;
};

class RpcRobustnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = dir_.path() / "node";
    init_home(home_, kChainId);
    dev_ = *crypto::read_key_file(home_ / "keys" / "dev.json");
    node_ = std::make_unique<NodeProcess>(home_, free_port());
    node_->start({"--block-time-ms", "200"});
    api_ = std::make_unique<Client>(node_->address());
  }
  void TearDown() override {
    if (node_ && node_->running()) {
      EXPECT_EQ(node_->stop(), 0) << node_->log_tail();
    }
  }

  // A transfer of 1 unit from dev to `other_`, with nonce `nonce_`; callers break one field.
  v1::TxBody body() const {
    return transfer_body(
        dev_,
        {.chain_id = kChainId, .to = other_.address.to_string(), .nonce = nonce_, .fee = kFee});
  }
  v1::Tx sign(const v1::TxBody& b) const { return chain::sign_tx(b, dev_.secret_key); }

  // Broadcast refused with btt code `code` (gRPC status from the documented mapping), and the
  // same tx simulated answers OK with that code.
  void refused_everywhere(const v1::Tx& tx, Code code, const std::string& what) {
    const auto n = static_cast<uint32_t>(code);
    StatusCode want = StatusCode::FAILED_PRECONDITION;
    if (is_malformed(code)) want = StatusCode::INVALID_ARGUMENT;
    if (code == Code::kDuplicateTx) want = StatusCode::ALREADY_EXISTS;
    api_->broadcast_refused(tx, want, static_cast<int>(n), what);
    // Simulation does not look for duplicates: a committed tx simulates as its nonce's replay.
    api_->simulate(tx, code == Code::kDuplicateTx ? static_cast<uint32_t>(Code::kNonceTooLow) : n,
                   what);
  }

  TempDir dir_{"btt-robust-test"};
  std::filesystem::path home_;
  crypto::KeyPair dev_;
  crypto::KeyPair other_ = crypto::KeyPair::generate();
  uint64_t nonce_ = 0;
  std::unique_ptr<NodeProcess> node_;
  std::unique_ptr<Client> api_;
};

TEST_F(RpcRobustnessTest, MalformedRequestsAreRefusedAndChangeNothing) {
  // One committed transfer first, so a replay has something to replay.
  const v1::Tx committed = sign(body());
  {
    grpc::ClientContext ctx;
    set_deadline(ctx, 20000);
    v1::BroadcastTxRequest req;
    *req.mutable_tx() = committed;
    req.set_wait_for_commit(true);
    v1::BroadcastTxResponse out;
    auto s = api_->txs->BroadcastTx(&ctx, req, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_TRUE(out.committed());
    ASSERT_EQ(out.result().code(), 0u) << out.result().log();
  }
  nonce_ = 1;

  // The state the battery must leave untouched.
  const v1::NodeStatus status_before = api_->status();
  const v1::AccountInfo dev_before = api_->account(dev_.address.to_string());
  const v1::AccountInfo other_before = api_->account(other_.address.to_string());
  const v1::Supply supply_before = api_->supply();
  ASSERT_EQ(dev_before.nonce(), 1u);
  ASSERT_EQ(status_before.mempool_txs(), 0u);

  const std::string dev_addr = dev_.address.to_string();
  std::string upper_addr = dev_addr;
  for (auto& c : upper_addr) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string mixed_addr = dev_addr;
  mixed_addr[5] = static_cast<char>(std::toupper(static_cast<unsigned char>(mixed_addr[5])));
  if (mixed_addr == dev_addr) mixed_addr[0] = 'B';
  std::string bad_checksum = dev_addr;
  bad_checksum.back() = bad_checksum.back() == 'q' ? 'p' : 'q';
  const std::string wrong_hrp = crypto::bech32m_encode(
      "bc", *crypto::convert_bits(
                std::vector<uint8_t>(dev_.address.bytes().begin(), dev_.address.bytes().end()), 8,
                5, true));
  const std::string long_payload =
      crypto::bech32m_encode("btt", *crypto::convert_bits(std::vector<uint8_t>(32, 7), 8, 5, true));
  const std::vector<std::pair<std::string, std::string>> bad_addresses = {
      {"empty", ""},
      {"word", "alice"},
      {"bare hrp", "btt1"},
      {"mixed case", mixed_addr},
      {"bad checksum", bad_checksum},
      {"other hrp", wrong_hrp},
      {"32-byte payload", long_payload},
      {"100 KB", std::string(100'000, 'q')},
      {"spaces", " " + dev_addr + " "},
  };

  // ---------------------------------------------------------------- Node
  {
    grpc::ClientContext ctx;
    set_deadline(ctx);
    v1::NodeStatus out;
    expect_status(api_->node->GetStatus(&ctx, {}, &out), StatusCode::OK, "GetStatus {}");
  }

  // ---------------------------------------------------------------- Blocks
  auto get_block = [&](const v1::GetBlockRequest& req, StatusCode want, const std::string& what) {
    grpc::ClientContext ctx;
    set_deadline(ctx);
    v1::BlockInfo out;
    expect_status(api_->blocks->GetBlock(&ctx, req, &out), want, "GetBlock " + what);
  };
  {
    v1::GetBlockRequest req;
    get_block(req, StatusCode::INVALID_ARGUMENT, "no oneof");
    req.set_height(0);
    get_block(req, StatusCode::NOT_FOUND, "height 0");
    req.set_height(status_before.height() + 1'000'000);
    get_block(req, StatusCode::NOT_FOUND, "height far beyond the tip");
    req.set_height(UINT64_MAX);
    get_block(req, StatusCode::NOT_FOUND, "height 2^64-1");
    for (size_t n : {0, 1, 31, 33, 64}) {
      req.set_hash(std::string(n, '\x5a'));
      get_block(req, StatusCode::INVALID_ARGUMENT, "hash of " + std::to_string(n) + " bytes");
    }
    req.set_hash(std::string(32, '\x5a'));
    get_block(req, StatusCode::NOT_FOUND, "unknown 32-byte hash");
    req.set_hash(std::string(32, '\0'));
    get_block(req, StatusCode::NOT_FOUND, "zero 32-byte hash");
  }
  for (uint64_t h : {uint64_t{0}, status_before.height() + 1'000'000, UINT64_MAX}) {
    grpc::ClientContext ctx;
    set_deadline(ctx);
    v1::GetBlockResultRequest req;
    req.set_height(h);
    v1::BlockResult out;
    expect_status(api_->blocks->GetBlockResult(&ctx, req, &out), StatusCode::NOT_FOUND,
                  "GetBlockResult height " + std::to_string(h));
  }
  {
    // A start far beyond the tip waits for it (documented); the call ends at its deadline.
    grpc::ClientContext ctx;
    set_deadline(ctx, 700);
    v1::StreamBlocksRequest req;
    req.set_from_height(UINT64_MAX);
    auto reader = api_->blocks->StreamBlocks(&ctx, req);
    v1::BlockInfo info;
    EXPECT_FALSE(reader->Read(&info));
    expect_status(reader->Finish(), StatusCode::DEADLINE_EXCEEDED, "StreamBlocks from 2^64-1");
  }

  // ---------------------------------------------------------------- Txs: GetTx
  auto get_tx = [&](const std::string& id, StatusCode want, const std::string& what) {
    grpc::ClientContext ctx;
    set_deadline(ctx);
    v1::GetTxRequest req;
    req.set_tx_id(id);
    v1::TxInfo out;
    expect_status(api_->txs->GetTx(&ctx, req, &out), want, "GetTx " + what);
  };
  for (size_t n : {0, 1, 31, 33, 64}) {
    get_tx(std::string(n, '\x11'), StatusCode::INVALID_ARGUMENT,
           "id of " + std::to_string(n) + " bytes");
  }
  get_tx(std::string(32, '\x11'), StatusCode::NOT_FOUND, "unknown id");

  // ---------------------------------------------------------------- Txs: BroadcastTx/SimulateTx
  {
    v1::BroadcastTxRequest req;
    api_->broadcast_refused(req, StatusCode::INVALID_ARGUMENT, -1, "no tx");
    req.set_wait_for_commit(true);
    api_->broadcast_refused(req, StatusCode::INVALID_ARGUMENT, -1, "no tx, wait");
    grpc::ClientContext ctx;
    set_deadline(ctx);
    v1::SimulateTxResponse out;
    expect_status(api_->txs->SimulateTx(&ctx, {}, &out), StatusCode::INVALID_ARGUMENT,
                  "SimulateTx no tx");
  }
  {
    v1::Tx tx;
    refused_everywhere(tx, Code::kMalformed, "empty tx");
    tx.set_signature(std::string(64, '\x01'));
    refused_everywhere(tx, Code::kMalformed, "empty body");
  }
  {
    // Garbage bodies: random bytes, and a valid body with random bytes changed (its signature no
    // longer verifies). Every one is malformed (1xx); none is admitted.
    std::mt19937_64 rng(0xB77D);
    const v1::Tx valid = sign(body());
    int refused = 0;
    for (int i = 0; i < 600; ++i) {
      v1::Tx tx;
      std::string b;
      if (i % 2 == 0) {
        b.resize(rng() % 700);
        for (auto& c : b) c = static_cast<char>(rng());
      } else {
        b = valid.body();
        const int flips = 1 + static_cast<int>(rng() % 4);
        for (int f = 0; f < flips; ++f) b[rng() % b.size()] ^= static_cast<char>(1 + rng() % 255);
      }
      tx.set_body(b);
      tx.set_signature(i % 3 == 0 ? valid.signature() : std::string(64, static_cast<char>(i)));
      grpc::ClientContext ctx;
      set_deadline(ctx);
      v1::BroadcastTxRequest req;
      *req.mutable_tx() = tx;
      v1::BroadcastTxResponse out;
      auto s = api_->txs->BroadcastTx(&ctx, req, &out);
      const int code = btt_code(ctx);
      EXPECT_EQ(code_name(s.error_code()), "INVALID_ARGUMENT")
          << "garbage " << i << ": " << s.error_message();
      EXPECT_TRUE(code >= 100 && code < 200) << "garbage " << i << ": " << s.error_message();
      EXPECT_FALSE(s.error_message().empty());
      if (!s.ok()) ++refused;

      grpc::ClientContext sim_ctx;
      set_deadline(sim_ctx);
      v1::SimulateTxRequest sim_req;
      *sim_req.mutable_tx() = tx;
      v1::SimulateTxResponse sim;
      expect_status(api_->txs->SimulateTx(&sim_ctx, sim_req, &sim), StatusCode::OK,
                    "SimulateTx garbage " + std::to_string(i));
      EXPECT_TRUE(sim.code() >= 100 && sim.code() < 200) << "garbage " << i << ": " << sim.log();
    }
    EXPECT_EQ(refused, 600);
  }
  {
    // Garbage for simulation: every code must be malformed (signature included).
    std::mt19937_64 rng(0x51A);
    for (int i = 0; i < 200; ++i) {
      v1::Tx tx;
      std::string b(rng() % 400, '\0');
      for (auto& c : b) c = static_cast<char>(rng());
      tx.set_body(b);
      tx.set_signature(std::string(i % 5 == 0 ? rng() % 100 : 64, '\x07'));
      grpc::ClientContext ctx;
      set_deadline(ctx);
      v1::SimulateTxRequest req;
      *req.mutable_tx() = tx;
      req.set_skip_signature(i % 2 == 0);
      v1::SimulateTxResponse out;
      auto s = api_->txs->SimulateTx(&ctx, req, &out);
      expect_status(s, StatusCode::OK, "SimulateTx garbage " + std::to_string(i));
      EXPECT_TRUE(out.code() >= 100 && out.code() < 200) << i << ": " << out.log();
      EXPECT_FALSE(out.log().empty());
    }
  }
  {
    v1::TxBody b = body();
    b.set_public_key(std::string(31, '\x02'));
    refused_everywhere(sign(b), Code::kMalformed, "31-byte public key");
    b.set_public_key(std::string(33, '\x02'));
    refused_everywhere(sign(b), Code::kMalformed, "33-byte public key");
    b.clear_public_key();
    refused_everywhere(sign(b), Code::kMalformed, "no public key");
  }
  {
    // A 32-byte public key that is no curve point, with its matching sender: malformed.
    v1::TxBody b = body();
    crypto::XOnlyPublicKey bogus;
    bogus.fill(0xff);
    b.set_public_key(std::string(as_view(bogus)));
    b.set_sender(crypto::Address::from_public_key(bogus).to_string());
    refused_everywhere(sign(b), Code::kMalformed, "public key off the curve");
  }
  {
    v1::Tx tx = sign(body());
    tx.set_signature(tx.signature().substr(0, 63));
    refused_everywhere(tx, Code::kMalformed, "63-byte signature");
    tx.set_signature(tx.signature() + "\x01\x02");
    refused_everywhere(tx, Code::kMalformed, "65-byte signature");
    tx.clear_signature();
    refused_everywhere(tx, Code::kMalformed, "no signature");
  }
  {
    v1::Tx tx = sign(body());
    std::string sig = tx.signature();
    sig[10] ^= 0x01;
    tx.set_signature(sig);
    refused_everywhere(tx, Code::kBadSignature, "flipped signature bit");
    tx.set_signature(std::string(64, '\0'));
    refused_everywhere(tx, Code::kBadSignature, "zero signature");
  }
  {
    v1::TxBody b = body();
    b.set_chain_id("btt-other-chain");
    refused_everywhere(sign(b), Code::kWrongChainId, "wrong chain id");
    b.clear_chain_id();
    refused_everywhere(sign(b), Code::kWrongChainId, "no chain id");
  }
  {
    v1::TxBody b = body();
    b.set_sender(other_.address.to_string());
    refused_everywhere(sign(b), Code::kSenderMismatch, "sender not matching the key");
    b.set_sender("btt1notanaddress");
    refused_everywhere(sign(b), Code::kInvalidAddress, "sender not an address");
    b.set_sender(mixed_addr);
    refused_everywhere(sign(b), Code::kInvalidAddress, "mixed-case sender");
  }
  {
    v1::TxBody b = body();
    b.set_memo(std::string(20'000, 'm'));
    refused_everywhere(sign(b), Code::kTxTooLarge, "tx above max_tx_bytes");
    b.set_memo(std::string(300, 'm'));
    refused_everywhere(sign(b), Code::kMemoTooLong, "memo above max_memo_bytes");
  }
  {
    v1::TxBody b = body();
    b.clear_messages();
    refused_everywhere(sign(b), Code::kNoMessages, "zero messages");
    b.add_messages();
    refused_everywhere(sign(b), Code::kUnknownMessage, "message with no oneof");
    b = body();
    for (int i = 0; i < 16; ++i) *b.add_messages() = b.messages(0);
    refused_everywhere(sign(b), Code::kTooManyMessages, "17 messages");
  }
  {
    v1::TxBody b = body();
    auto* t = b.mutable_messages(0)->mutable_transfer();
    t->set_amount(0);
    refused_everywhere(sign(b), Code::kInvalidAmount, "amount 0");
    t->set_amount(1);
    for (const auto& [name, addr] : bad_addresses) {
      if (addr.size() > 10'000) continue;  // the tx would be too large first
      t->set_to(addr);
      refused_everywhere(sign(b), Code::kInvalidAddress, "recipient " + name);
    }
    // A recipient of 12 KB (the tx stays under max_tx_bytes): the message quotes an excerpt.
    t->set_to(std::string(12'000, 'q'));
    refused_everywhere(sign(b), Code::kInvalidAddress, "recipient of 12 KB");
    t->set_to(other_.address.to_string());
    for (const std::string& asset :
         std::vector<std::string>{"", "B", "1BTT", "BT T", "BTT!", std::string(33, 'A')}) {
      t->set_asset(asset);
      refused_everywhere(sign(b), Code::kInvalidAsset, "asset '" + asset + "'");
    }
  }
  {
    v1::TxBody b = body();
    b.clear_messages();
    b.add_messages()->mutable_multi_transfer();
    refused_everywhere(sign(b), Code::kInvalidArgument, "multi_transfer without outputs");
    auto* m = b.mutable_messages(0)->mutable_multi_transfer();
    for (int i = 0; i < 65; ++i) {
      auto* o = m->add_outputs();
      o->set_to(other_.address.to_string());
      o->set_asset("BTT");
      o->set_amount(1);
    }
    refused_everywhere(sign(b), Code::kTooManyOutputs, "65 outputs");
    m->mutable_outputs()->DeleteSubrange(1, 64);
    m->mutable_outputs(0)->set_amount(0);
    refused_everywhere(sign(b), Code::kInvalidAmount, "output amount 0");
  }
  {
    v1::TxBody b = body();
    b.set_fee(kFee - 1);
    refused_everywhere(sign(b), Code::kFeeTooLow, "fee below min_fee");
    b.set_fee(0);
    refused_everywhere(sign(b), Code::kFeeTooLow, "fee 0");
    b.set_fee(UINT64_MAX);
    refused_everywhere(sign(b), Code::kInsufficientFeeBalance, "fee 2^64-1");
  }
  {
    refused_everywhere(committed, Code::kDuplicateTx, "replay of the committed tx");
    v1::TxBody b = body();
    b.set_nonce(0);
    b.set_memo("same nonce, new body");
    refused_everywhere(sign(b), Code::kNonceTooLow, "nonce replay");
    b.set_nonce(1'000'000);
    refused_everywhere(sign(b), Code::kNonceTooHigh, "nonce far ahead");
    b.set_nonce(UINT64_MAX);
    refused_everywhere(sign(b), Code::kNonceTooHigh, "nonce 2^64-1");
  }
  {
    // Failures with fee: simulation answers the 3xx code (broadcasting would include them).
    v1::TxBody b = body();
    b.mutable_messages(0)->mutable_transfer()->set_asset("ZZZ");
    api_->simulate(sign(b), static_cast<uint32_t>(Code::kUnknownAsset), "unregistered asset");
    b = body();
    b.mutable_messages(0)->mutable_transfer()->set_amount(UINT64_MAX);
    api_->simulate(sign(b), static_cast<uint32_t>(Code::kInsufficientFunds), "amount 2^64-1");
    // skip_signature estimates an unsigned body.
    v1::Tx unsigned_tx;
    unsigned_tx.set_body(body().SerializeAsString());
    auto sim = api_->simulate(unsigned_tx, 0, "unsigned, skip_signature", true);
    EXPECT_EQ(sim.fee(), kFee);
  }

  // ---------------------------------------------------------------- Txs: the rest
  {
    auto suggest = [&](uint32_t blocks, StatusCode want) {
      grpc::ClientContext ctx;
      set_deadline(ctx);
      v1::SuggestFeeRequest req;
      req.set_blocks(blocks);
      v1::FeeSuggestion out;
      expect_status(api_->txs->SuggestFee(&ctx, req, &out), want,
                    "SuggestFee blocks=" + std::to_string(blocks));
    };
    suggest(0, StatusCode::OK);
    suggest(1000, StatusCode::OK);
    suggest(1001, StatusCode::INVALID_ARGUMENT);
    suggest(UINT32_MAX, StatusCode::INVALID_ARGUMENT);
  }
  auto stream_events = [&](const v1::StreamEventsRequest& req, const std::string& what) {
    grpc::ClientContext ctx;
    set_deadline(ctx);
    auto reader = api_->txs->StreamEvents(&ctx, req);
    v1::EventRecord rec;
    EXPECT_FALSE(reader->Read(&rec)) << what;
    expect_status(reader->Finish(), StatusCode::INVALID_ARGUMENT, "StreamEvents " + what);
  };
  for (const auto& [name, addr] : bad_addresses) {
    if (addr.empty()) continue;  // empty means every address
    v1::StreamEventsRequest req;
    req.set_address(addr);
    req.set_from_height(1);
    stream_events(req, "address " + name);
  }
  {
    v1::StreamEventsRequest req;
    for (int i = 0; i < 65; ++i) req.add_types("bank.transfer");
    stream_events(req, "65 types");
  }
  auto list_txs = [&](const std::string& addr, uint32_t limit, StatusCode want,
                      const std::string& what) {
    grpc::ClientContext ctx;
    set_deadline(ctx);
    v1::ListAccountTxsRequest req;
    req.set_address(addr);
    req.set_limit(limit);
    v1::ListAccountTxsResponse out;
    expect_status(api_->txs->ListAccountTxs(&ctx, req, &out), want, "ListAccountTxs " + what);
  };
  for (const auto& [name, addr] : bad_addresses) {
    list_txs(addr, 0, StatusCode::INVALID_ARGUMENT, "address " + name);
  }
  list_txs(dev_addr, 1001, StatusCode::INVALID_ARGUMENT, "limit 1001");
  list_txs(dev_addr, UINT32_MAX, StatusCode::INVALID_ARGUMENT, "limit 2^32-1");
  list_txs(dev_addr, 1000, StatusCode::OK, "limit 1000");

  // ---------------------------------------------------------------- Bank
  auto get_account = [&](const std::string& addr, StatusCode want, const std::string& what) {
    grpc::ClientContext ctx;
    set_deadline(ctx);
    v1::GetAccountRequest req;
    req.set_address(addr);
    v1::AccountInfo out;
    expect_status(api_->bank->GetAccount(&ctx, req, &out), want, "GetAccount " + what);
    return out;
  };
  auto get_balance = [&](const std::string& addr, const std::string& asset, StatusCode want,
                         const std::string& what) {
    grpc::ClientContext ctx;
    set_deadline(ctx);
    v1::GetBalanceRequest req;
    req.set_address(addr);
    req.set_asset(asset);
    v1::Balance out;
    expect_status(api_->bank->GetBalance(&ctx, req, &out), want, "GetBalance " + what);
  };
  for (const auto& [name, addr] : bad_addresses) {
    get_account(addr, StatusCode::INVALID_ARGUMENT, "address " + name);
    get_balance(addr, "BTT", StatusCode::INVALID_ARGUMENT, "address " + name);
  }
  // An all upper-case address is valid bech32m and names the same account.
  EXPECT_EQ(get_account(upper_addr, StatusCode::OK, "upper-case address").address(), dev_addr);
  for (const std::string& asset :
       std::vector<std::string>{"B", "1BTT", "BT T", "BTT!", "btt\n", std::string(33, 'A')}) {
    get_balance(dev_addr, asset, StatusCode::INVALID_ARGUMENT, "asset '" + asset + "'");
  }
  get_balance(dev_addr, "ZZZ", StatusCode::NOT_FOUND, "unregistered asset");
  get_balance(dev_addr, "btt", StatusCode::NOT_FOUND, "lower-case btt (names are case-sensitive)");
  get_balance(dev_addr, "", StatusCode::OK, "empty asset means BTT");
  {
    grpc::ClientContext ctx;
    set_deadline(ctx);
    v1::Supply out;
    expect_status(api_->bank->GetSupply(&ctx, {}, &out), StatusCode::OK, "GetSupply {}");
  }

  // Tokenomics queries: bad addresses and limits are refused, extreme times and epochs answer.
  for (const auto& [name, addr] : bad_addresses) {
    grpc::ClientContext ctx;
    set_deadline(ctx);
    v1::GetVestingRequest req;
    req.set_address(addr);
    v1::Vesting out;
    expect_status(api_->tokenomics->GetVesting(&ctx, req, &out), StatusCode::INVALID_ARGUMENT,
                  "GetVesting address " + name);
  }
  for (const uint64_t at : {uint64_t{1}, UINT64_MAX}) {
    grpc::ClientContext ctx;
    set_deadline(ctx);
    v1::GetAllocationsRequest req;
    req.set_at_time_ms(at);
    v1::Allocations out;
    expect_status(api_->tokenomics->GetAllocations(&ctx, req, &out), StatusCode::OK,
                  "GetAllocations at " + std::to_string(at));
    EXPECT_EQ(out.categories_size(), 11);
  }
  for (const auto& [from, limit, want] : std::vector<std::tuple<uint64_t, uint32_t, StatusCode>>{
           {0, 1001, StatusCode::INVALID_ARGUMENT},
           {0, UINT32_MAX, StatusCode::INVALID_ARGUMENT},
           {UINT64_MAX, 1000, StatusCode::OK},
           {2'919, 1000, StatusCode::OK}}) {
    grpc::ClientContext ctx;
    set_deadline(ctx);
    v1::GetEmissionRequest req;
    req.set_from_epoch(from);
    req.set_limit(limit);
    v1::EmissionSchedule out;
    expect_status(api_->tokenomics->GetEmission(&ctx, req, &out), want,
                  "GetEmission from " + std::to_string(from) + " limit " + std::to_string(limit));
    if (want == StatusCode::OK) {
      EXPECT_LE(out.epochs_size(), 1);
    }
  }
  {
    grpc::ClientContext ctx;
    set_deadline(ctx);
    v1::SupplyBreakdown out;
    expect_status(api_->tokenomics->GetSupplyBreakdown(&ctx, {}, &out), StatusCode::OK,
                  "GetSupplyBreakdown {}");
  }

  // ---------------------------------------------------------------- raw request bytes
  const std::vector<std::pair<std::string, std::string>> undecodable = {
      {"truncated field", std::string("\x0a\x10"
                                      "abc",
                                      5)},
      {"varint too long", std::string(11, '\xff')},
      {"wire type 7", std::string("\x0f\x01", 2)},
      {"field number 0", std::string("\x00\x01", 2)},
      {"end group without start", std::string("\x0c", 1)},
  };
  // Every method of every btt.v1 service registered on the server, from its descriptors: a new
  // service or method is covered without a change here.
  const std::vector<std::string> methods = api_->served_methods();
  ASSERT_GE(methods.size(), 25u) << "server reflection listed too few btt.v1 methods";
  for (const auto& method : methods) {
    for (const auto& [name, bytes] : undecodable) {
      expect_status(api_->raw_call(method, bytes), StatusCode::INVALID_ARGUMENT,
                    method + " " + name);
    }
  }
  // Nested garbage: a BroadcastTxRequest whose tx is cut short; an address that is not UTF-8.
  for (const auto& [method, bytes] : std::vector<std::pair<std::string, std::string>>{
           {"/btt.v1.Txs/BroadcastTx", std::string("\x0a\x05\x0a\x10"
                                                   "abc",
                                                   7)},
           {"/btt.v1.Txs/SimulateTx", std::string("\x0a\x03\x12\x40\x01", 5)},
           {"/btt.v1.Bank/GetAccount", std::string("\x0a\x02\xc3\x28", 4)},
           {"/btt.v1.Txs/GetTx", std::string("\x0a\xff\xff\xff\xff\x0f", 6)},
       }) {
    expect_status(api_->raw_call(method, bytes), StatusCode::INVALID_ARGUMENT,
                  method + " nested garbage");
  }
  // Unknown fields are skipped (forward compatibility), and an unknown method is UNIMPLEMENTED.
  expect_status(api_->raw_call("/btt.v1.Node/GetStatus", std::string("\xa0\x06\x01", 3)),
                StatusCode::OK, "GetStatus with an unknown field");
  // (gRPC itself answers an unknown method, with UNIMPLEMENTED and no message.)
  EXPECT_EQ(code_name(api_->raw_call("/btt.v1.Txs/NoSuchMethod", "").error_code()),
            "UNIMPLEMENTED");
  // A request above grpc.max_message_bytes (4 MiB).
  {
    grpc::ClientContext ctx;
    set_deadline(ctx, 20000);
    v1::GetAccountRequest req;
    req.set_address(std::string(5u << 20, 'q'));
    v1::AccountInfo out;
    expect_status(api_->bank->GetAccount(&ctx, req, &out), StatusCode::RESOURCE_EXHAUSTED,
                  "GetAccount of 5 MiB");
  }

  // ---------------------------------------------------------------- nothing changed
  ASSERT_TRUE(node_->running()) << node_->log_tail();
  const v1::NodeStatus status_after = api_->status();
  EXPECT_EQ(status_after.chain_id(), status_before.chain_id());
  EXPECT_GE(status_after.height(), status_before.height());
  EXPECT_EQ(status_after.mempool_txs(), 0u) << "a malformed tx was admitted";
  const v1::AccountInfo dev_after = api_->account(dev_addr);
  EXPECT_EQ(dev_after.nonce(), dev_before.nonce());
  ASSERT_EQ(dev_after.balances_size(), dev_before.balances_size());
  for (int i = 0; i < dev_after.balances_size(); ++i) {
    EXPECT_EQ(dev_after.balances(i).asset(), dev_before.balances(i).asset());
    EXPECT_EQ(dev_after.balances(i).amount(), dev_before.balances(i).amount());
  }
  const v1::AccountInfo other_after = api_->account(other_.address.to_string());
  EXPECT_EQ(other_after.nonce(), other_before.nonce());
  ASSERT_EQ(other_after.balances_size(), other_before.balances_size());
  EXPECT_EQ(other_after.balances(0).amount(), other_before.balances(0).amount());
  const v1::Supply supply_after = api_->supply();
  ASSERT_EQ(supply_after.total_size(), supply_before.total_size());
  for (int i = 0; i < supply_after.total_size(); ++i) {
    EXPECT_EQ(supply_after.total(i).asset(), supply_before.total(i).asset());
    EXPECT_EQ(supply_after.total(i).amount(), supply_before.total(i).amount());
  }
  // Every block since the recorded state is empty: no malformed tx reached a block.
  for (uint64_t h = status_before.height() + 1; h <= status_after.height(); ++h) {
    grpc::ClientContext ctx;
    set_deadline(ctx);
    v1::GetBlockRequest req;
    req.set_height(h);
    v1::BlockInfo out;
    ASSERT_TRUE(api_->blocks->GetBlock(&ctx, req, &out).ok()) << h;
    EXPECT_EQ(out.block().txs_size(), 0) << "block " << h << " carries a tx";
  }
  // The chain still advances.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (api_->status().height() < status_after.height() + 3 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_GE(api_->status().height(), status_after.height() + 3) << "the chain stopped";
  EXPECT_TRUE(node_->running()) << node_->log_tail();
}

}  // namespace
}  // namespace btt::testkit
