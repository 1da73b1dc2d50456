// btt-image-stats INPUT OUTPUT: the reference job kind "image-stats-v1". Deterministic statistics
// of a grayscale PGM image (a dental panoramic X-ray exported as P5 or P2): integer arithmetic
// only, a fixed output layout, so every replica produces the same bytes and the same hash.
//
// Output (JSON, one line): width, height, maxval, min, max, mean_milli (mean x 1000, floored),
// histogram (16 equal bins of 0..maxval), dark_pixels (below maxval / 4: radiolucent areas such
// as caries or bone loss show dark on a radiograph), grid (4x4 cell means, row by row).
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace {

constexpr uint64_t kMaxPixels = 100'000'000;
constexpr int kBins = 16;
constexpr int kGrid = 4;

struct Image {
  uint64_t width = 0;
  uint64_t height = 0;
  uint32_t maxval = 0;
  std::vector<uint32_t> pixels;
};

// Next header token, skipping whitespace and # comments.
bool token(const std::string& data, size_t& pos, std::string& out) {
  out.clear();
  while (pos < data.size()) {
    const char c = data[pos];
    if (c == '#') {
      while (pos < data.size() && data[pos] != '\n') ++pos;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++pos;
    } else {
      break;
    }
  }
  while (pos < data.size() && data[pos] != ' ' && data[pos] != '\t' && data[pos] != '\n' &&
         data[pos] != '\r' && data[pos] != '#') {
    out.push_back(data[pos++]);
  }
  return !out.empty();
}

bool number(const std::string& data, size_t& pos, uint64_t& v) {
  std::string t;
  if (!token(data, pos, t) || t.size() > 12) return false;
  v = 0;
  for (char c : t) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return true;
}

bool parse_pgm(const std::string& data, Image& img, std::string& error) {
  size_t pos = 0;
  std::string magic;
  if (!token(data, pos, magic) || (magic != "P5" && magic != "P2")) {
    error = "not a PGM file (P5 or P2)";
    return false;
  }
  uint64_t maxval = 0;
  if (!number(data, pos, img.width) || !number(data, pos, img.height) ||
      !number(data, pos, maxval) || img.width == 0 || img.height == 0 || maxval == 0 ||
      maxval > 65535 || img.width * img.height > kMaxPixels) {
    error = "bad PGM header";
    return false;
  }
  img.maxval = static_cast<uint32_t>(maxval);
  const uint64_t n = img.width * img.height;
  img.pixels.reserve(n);
  if (magic == "P2") {
    for (uint64_t i = 0; i < n; ++i) {
      uint64_t v = 0;
      if (!number(data, pos, v) || v > maxval) {
        error = "bad P2 pixel";
        return false;
      }
      img.pixels.push_back(static_cast<uint32_t>(v));
    }
    return true;
  }
  ++pos;  // the single whitespace after maxval
  const uint64_t bytes = maxval < 256 ? 1 : 2;
  if (pos > data.size() || data.size() - pos < n * bytes) {
    error = "P5 pixel data is short";
    return false;
  }
  for (uint64_t i = 0; i < n; ++i) {
    uint32_t v = static_cast<uint8_t>(data[pos]);
    if (bytes == 2) v = (v << 8) | static_cast<uint8_t>(data[pos + 1]);
    pos += bytes;
    img.pixels.push_back(v > maxval ? img.maxval : v);
  }
  return true;
}

std::string stats_json(const Image& img) {
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
  if (argc != 3) {
    std::cerr << "usage: btt-image-stats INPUT.pgm OUTPUT.json\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::cerr << "btt-image-stats: cannot read " << argv[1] << "\n";
    return 1;
  }
  const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Image img;
  std::string error;
  if (!parse_pgm(data, img, error)) {
    std::cerr << "btt-image-stats: " << argv[1] << ": " << error << "\n";
    return 1;
  }
  std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
  out << stats_json(img);
  if (!out) {
    std::cerr << "btt-image-stats: cannot write " << argv[2] << "\n";
    return 1;
  }
  return 0;
}
