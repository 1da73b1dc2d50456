// btt-image-stats INPUT OUTPUT: the reference job kind "image-stats-v1". Deterministic statistics
// of a grayscale PGM image (a dental panoramic X-ray exported as P5 or P2): integer arithmetic
// only, a fixed output layout, so every replica produces the same bytes and the same hash.
//
// Output (JSON, one line): width, height, maxval, min, max, mean_milli (mean x 1000, floored),
// histogram (16 equal bins of 0..maxval), dark_pixels (below maxval / 4: radiolucent areas such
// as caries or bone loss show dark on a radiograph), grid (4x4 cell means, row by row).
#include <cstdint>
#include <sstream>
#include <string>

#include "pgm.h"

namespace {

constexpr int kBins = 16;
constexpr int kGrid = 4;

std::string stats_json(const btt::worker::PgmImage& img) {
  uint64_t sum = 0, dark = 0;
  uint32_t lo = img.maxval, hi = 0;
  uint64_t hist[kBins] = {};
  uint64_t grid_sum[kGrid][kGrid] = {};
  uint64_t grid_n[kGrid][kGrid] = {};
  for (uint64_t y = 0; y < img.height; ++y) {
    for (uint64_t x = 0; x < img.width; ++x) {
      const uint32_t v = img.pixels[y * img.width + x];
      sum += v;
      lo = v < lo ? v : lo;
      hi = v > hi ? v : hi;
      hist[static_cast<uint64_t>(v) * kBins / (static_cast<uint64_t>(img.maxval) + 1)]++;
      if (static_cast<uint64_t>(v) * 4 < img.maxval) ++dark;
      const uint64_t gy = y * kGrid / img.height, gx = x * kGrid / img.width;
      grid_sum[gy][gx] += v;
      grid_n[gy][gx]++;
    }
  }
  const uint64_t n = img.width * img.height;
  std::ostringstream out;
  out << "{\"kind\":\"image-stats-v1\",\"width\":" << img.width << ",\"height\":" << img.height
      << ",\"maxval\":" << img.maxval << ",\"min\":" << lo << ",\"max\":" << hi
      << ",\"mean_milli\":" << sum * 1000 / n << ",\"dark_pixels\":" << dark << ",\"histogram\":[";
  for (int i = 0; i < kBins; ++i) out << (i ? "," : "") << hist[i];
  out << "],\"grid\":[";
  for (int gy = 0; gy < kGrid; ++gy) {
    for (int gx = 0; gx < kGrid; ++gx) {
      out << (gy || gx ? "," : "") << (grid_n[gy][gx] ? grid_sum[gy][gx] / grid_n[gy][gx] : 0);
    }
  }
  out << "]}\n";
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  return btt::worker::pgm_job_main(argc, argv, "btt-image-stats", stats_json);
}
