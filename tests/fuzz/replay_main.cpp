// main() for the fuzz targets when there is no libFuzzer (GCC builds): runs the target over every
// file of the corpus directories (or files) given on the command line, then over N inputs made
// from a seeded PRNG: random bytes, and corpus entries mutated (bit flips, byte changes, inserts,
// erases, duplicated chunks, splices, interesting values). So every target runs in the normal
// test suite. A crash leaves the input that caused it in ./fuzz-crash-<target> for replay.
//
//   fuzz_tx_decode [--runs N] [--seed S] [--max-len L] [--write-seeds DIR] CORPUS_DIR_OR_FILE...
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

using Input = std::vector<uint8_t>;

// The input being run, for the crash handler.
const Input* g_current = nullptr;
char g_crash_path[512] = "fuzz-crash";

void on_crash(int sig) {
  if (g_current != nullptr) {
    int fd = ::open(g_crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      (void)!::write(fd, g_current->data(), g_current->size());
      ::close(fd);
    }
    const char msg[] = "replay_main: crashed; input saved to ";
    (void)!::write(STDERR_FILENO, msg, sizeof(msg) - 1);
    (void)!::write(STDERR_FILENO, g_crash_path, std::strlen(g_crash_path));
    (void)!::write(STDERR_FILENO, "\n", 1);
  }
  ::raise(sig);  // SA_RESETHAND restored the default action
}

void run(const Input& in) {
  g_current = &in;
  LLVMFuzzerTestOneInput(in.empty() ? nullptr : in.data(), in.size());
  g_current = nullptr;
}

Input read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return Input(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// Values that often sit on boundaries (lengths, varints, tags).
constexpr uint8_t kInteresting[] = {0x00, 0x01, 0x02, 0x07, 0x08, 0x0a, 0x10, 0x12,
                                    0x1a, 0x20, 0x22, 0x3a, 0x40, 0x7f, 0x80, 0xff};

class Mutator {
 public:
  Mutator(uint64_t seed, size_t max_len) : rng_(seed), max_len_(max_len) {}

  Input random_bytes() {
    // Mostly short inputs: decoders refuse most long garbage at the first bytes anyway.
    size_t len = below(4) == 0 ? below(max_len_ + 1) : below(std::min<size_t>(64, max_len_) + 1);
    Input out(len);
    for (auto& b : out) b = static_cast<uint8_t>(rng_());
    return out;
  }

  Input mutate(Input in, const std::vector<Input>& corpus) {
    const int rounds = 1 + static_cast<int>(below(6));
    for (int r = 0; r < rounds; ++r) step(in, corpus);
    if (in.size() > max_len_) in.resize(max_len_);
    return in;
  }

  size_t below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(rng_() % n); }

 private:
  void step(Input& in, const std::vector<Input>& corpus) {
    switch (below(9)) {
      case 0:  // flip a bit
        if (!in.empty()) in[below(in.size())] ^= static_cast<uint8_t>(1u << below(8));
        break;
      case 1:  // random byte
        if (!in.empty()) in[below(in.size())] = static_cast<uint8_t>(rng_());
        break;
      case 2:  // interesting byte
        if (!in.empty()) in[below(in.size())] = kInteresting[below(sizeof(kInteresting))];
        break;
      case 3: {  // insert random bytes
        const size_t at = below(in.size() + 1);
        const size_t n = 1 + below(8);
        for (size_t i = 0; i < n; ++i)
          in.insert(in.begin() + static_cast<std::ptrdiff_t>(at), static_cast<uint8_t>(rng_()));
        break;
      }
      case 4: {  // erase a range
        if (in.empty()) break;
        const size_t at = below(in.size());
        const size_t n = 1 + below(std::min<size_t>(16, in.size() - at));
        in.erase(in.begin() + static_cast<std::ptrdiff_t>(at),
                 in.begin() + static_cast<std::ptrdiff_t>(at + n));
        break;
      }
      case 5: {  // duplicate a chunk
        if (in.empty()) break;
        const size_t at = below(in.size());
        const size_t n = 1 + below(std::min<size_t>(32, in.size() - at));
        Input chunk(in.begin() + static_cast<std::ptrdiff_t>(at),
                    in.begin() + static_cast<std::ptrdiff_t>(at + n));
        const size_t to = below(in.size() + 1);
        in.insert(in.begin() + static_cast<std::ptrdiff_t>(to), chunk.begin(), chunk.end());
        break;
      }
      case 6: {  // splice with another corpus entry
        if (corpus.empty()) break;
        const Input& other = corpus[below(corpus.size())];
        const size_t keep = below(in.size() + 1);
        const size_t from = below(other.size() + 1);
        in.resize(keep);
        in.insert(in.end(), other.begin() + static_cast<std::ptrdiff_t>(from), other.end());
        break;
      }
      case 7:  // truncate
        in.resize(below(in.size() + 1));
        break;
      default: {  // overwrite a little-endian/varint-ish run with extreme bytes
        if (in.empty()) break;
        const size_t at = below(in.size());
        const size_t n = 1 + below(std::min<size_t>(10, in.size() - at));
        const uint8_t v = below(2) == 0 ? 0xff : 0x80;
        for (size_t i = 0; i < n; ++i) in[at + i] = v;
        break;
      }
    }
  }

  std::mt19937_64 rng_;
  size_t max_len_;
};

[[noreturn]] void usage(const char* prog) {
  std::fprintf(stderr,
               "usage: %s [--runs N] [--seed S] [--max-len L] [--write-seeds DIR] "
               "CORPUS_DIR_OR_FILE...\n",
               prog);
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t runs = 20000;
  uint64_t seed = 20260101;
  size_t max_len = 4096;
  std::vector<std::filesystem::path> paths;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(argv[0]);
      return argv[++i];
    };
    if (a == "--runs") {
      runs = std::strtoull(value().c_str(), nullptr, 10);
    } else if (a == "--seed") {
      seed = std::strtoull(value().c_str(), nullptr, 10);
    } else if (a == "--max-len") {
      max_len = std::strtoull(value().c_str(), nullptr, 10);
    } else if (a == "--write-seeds") {
      const std::string dir = value();
      if (BttFuzzWriteSeeds == nullptr) {
        std::fprintf(stderr, "this target has no seed writer\n");
        return 2;
      }
      std::filesystem::create_directories(dir);
      return BttFuzzWriteSeeds(dir.c_str());
    } else if (a == "-h" || a == "--help") {
      usage(argv[0]);
    } else if (!a.empty() && a[0] == '-') {
      usage(argv[0]);
    } else {
      paths.emplace_back(a);
    }
  }

  const std::string target = std::filesystem::path(argv[0]).filename().string();
  std::snprintf(g_crash_path, sizeof(g_crash_path), "fuzz-crash-%s", target.c_str());
  // The handler runs on its own stack, so a stack overflow is reported too.
  static std::vector<char> alt_stack(1 << 16);
  stack_t ss{};
  ss.ss_sp = alt_stack.data();
  ss.ss_size = alt_stack.size();
  ::sigaltstack(&ss, nullptr);
  struct sigaction sa {};
  sa.sa_handler = on_crash;
  sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
  for (int sig : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL}) ::sigaction(sig, &sa, nullptr);

  const auto start = std::chrono::steady_clock::now();
  std::vector<Input> corpus;
  for (const auto& p : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      std::vector<std::filesystem::path> files;
      for (const auto& e : std::filesystem::recursive_directory_iterator(p)) {
        if (e.is_regular_file()) files.push_back(e.path());
      }
      std::sort(files.begin(), files.end());  // a fixed order: runs are reproducible
      for (const auto& f : files) corpus.push_back(read_file(f));
    } else if (std::filesystem::is_regular_file(p, ec)) {
      corpus.push_back(read_file(p));
    } else {
      std::fprintf(stderr, "%s: no such file or directory\n", p.c_str());
      return 2;
    }
  }
  for (const auto& in : corpus) run(in);
  run(Input{});

  Mutator m(seed, max_len);
  for (uint64_t i = 0; i < runs; ++i) {
    if (corpus.empty() || m.below(4) == 0) {
      run(m.random_bytes());
    } else {
      run(m.mutate(corpus[m.below(corpus.size())], corpus));
    }
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s: %zu corpus inputs + %llu generated inputs (seed %llu) in %.1f s, no crash\n",
              target.c_str(), corpus.size(), static_cast<unsigned long long>(runs),
              static_cast<unsigned long long>(seed), secs);
  return 0;
}
