// Generic gRPC tools work against bttd: grpc.health.v1 answers SERVING and server reflection lists
// every btt.v1 service. The protos of those services are not shipped as C++ code by Debian, so
// the calls go through grpc::GenericStub with hand-encoded protobuf bytes.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "testkit/process.h"
#include "testkit/temp_dir.h"

namespace btt::testkit {
namespace {

grpc::ByteBuffer to_buffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string from_buffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  if (!buffer.Dump(&slices).ok()) return {};
  std::string out;
  for (const auto& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

bool next(grpc::CompletionQueue& cq) {
  void* tag = nullptr;
  bool ok = false;
  return cq.Next(&tag, &ok) && ok;
}

class StandardServicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    init_home(dir_.path() / "node", "btt-grpc-std");
    node_ = std::make_unique<NodeProcess>(dir_.path() / "node", free_port());
    node_->start();
    channel_ = grpc::CreateChannel(node_->address(), grpc::InsecureChannelCredentials());
  }
  void TearDown() override { EXPECT_EQ(node_->stop(), 0); }

  TempDir dir_{"btt-grpc-std"};
  std::unique_ptr<NodeProcess> node_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(StandardServicesTest, HealthCheckAnswersServing) {
  grpc::GenericStub stub(channel_);
  grpc::CompletionQueue cq;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  // HealthCheckRequest { service: "" } encodes to no bytes at all.
  auto call = stub.PrepareUnaryCall(&ctx, "/grpc.health.v1.Health/Check", to_buffer(""), &cq);
  call->StartCall();
  grpc::ByteBuffer response;
  grpc::Status status;
  call->Finish(&response, &status, reinterpret_cast<void*>(1));
  ASSERT_TRUE(next(cq));
  ASSERT_TRUE(status.ok()) << status.error_message();
  // HealthCheckResponse { status: SERVING (1) }.
  EXPECT_EQ(from_buffer(response), std::string("\x08\x01", 2));
}

TEST_F(StandardServicesTest, ReflectionListsEveryService) {
  grpc::GenericStub stub(channel_);
  grpc::CompletionQueue cq;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  auto call =
      stub.PrepareCall(&ctx, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
  call->StartCall(reinterpret_cast<void*>(1));
  ASSERT_TRUE(next(cq));
  // ServerReflectionRequest { list_services (7): "" }.
  call->Write(to_buffer(std::string("\x3a\x00", 2)), reinterpret_cast<void*>(2));
  ASSERT_TRUE(next(cq));
  grpc::ByteBuffer response;
  call->Read(&response, reinterpret_cast<void*>(3));
  ASSERT_TRUE(next(cq));
  call->WritesDone(reinterpret_cast<void*>(4));
  ASSERT_TRUE(next(cq));
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  ASSERT_TRUE(next(cq));
  EXPECT_TRUE(status.ok()) << status.error_message();
  const std::string listed = from_buffer(response);
  for (const char* service : {"btt.v1.Node", "btt.v1.Blocks", "btt.v1.Txs", "btt.v1.Bank",
                              "btt.v1.Roles", "btt.v1.Params", "grpc.health.v1.Health"}) {
    EXPECT_NE(listed.find(service), std::string::npos) << service << " is not listed";
  }
}

}  // namespace
}  // namespace btt::testkit
