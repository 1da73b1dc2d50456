#pragma once
// Shared by the fuzz targets: a property check that aborts (so libFuzzer and replay_main both
// report the input) with the failed condition.
#include <google/protobuf/stubs/logging.h>

#include <cstdio>
#include <cstdlib>

#define BTT_FUZZ_CHECK(cond)                                                                \
  do {                                                                                      \
    if (!(cond)) {                                                                          \
      std::fprintf(stderr, "%s:%d: fuzz property failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                         \
    }                                                                                       \
  } while (0)

// Optional hook a target may define: writes seed inputs that need code to produce (signed
// blocks) into `dir`; replay_main calls it for `--write-seeds DIR`. Returns 0 on success.
extern "C" int BttFuzzWriteSeeds(const char* dir) __attribute__((weak));

// Malformed input makes protobuf log every invalid UTF-8 string it refuses; a fuzzer feeds
// millions of them. Parsing still fails as it should, so the log lines are only noise.
inline const bool kBttFuzzQuietProtobuf = (google::protobuf::SetLogHandler(nullptr), true);
