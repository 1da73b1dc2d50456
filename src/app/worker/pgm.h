#pragma once
// The grayscale PGM reader shared by the reference job kinds (btt-image-stats,
// btt-xray-lesions): P5 (binary, 8 or 16 bits) and P2 (ASCII), at most kMaxPixels pixels.
#include <cstdint>
#include <string>
#include <vector>

namespace btt::worker {

inline constexpr uint64_t kMaxPgmPixels = 100'000'000;

struct PgmImage {
  uint64_t width = 0;
  uint64_t height = 0;
  uint32_t maxval = 0;
  std::vector<uint32_t> pixels;  // row by row; each in [0, maxval]
};

// Parses `data`; false (and `error`) for anything that is not a well-formed PGM within the limits.
// A P5 sample above maxval is clamped to maxval.
[[nodiscard]] bool parse_pgm(const std::string& data, PgmImage& img, std::string& error);

// main() of a PGM job kind `name` (doc/compute.md): `name INPUT.pgm OUTPUT` reads and parses
// INPUT, writes analyze(image) to OUTPUT and exits 0; a usage error exits 2, anything else
// (unreadable or malformed input, an exception from analyze, an unwritable output) exits 1 with
// one line on stderr.
[[nodiscard]] int pgm_job_main(int argc, char** argv, const char* name,
                               std::string (*analyze)(const PgmImage& img));

}  // namespace btt::worker
