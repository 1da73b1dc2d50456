#include "testkit/xray_image.h"

namespace btt::testkit {
namespace {

bool in_box(uint32_t x, uint32_t y, uint32_t left, uint32_t top, uint32_t w, uint32_t h) {
  return x >= left && x < left + w && y >= top && y < top + h;
}

bool in_tooth(uint32_t x, uint32_t y) {
  for (const int64_t cx : {24, 62, 100, 138}) {
    const int64_t dx = static_cast<int64_t>(x) - cx, dy = static_cast<int64_t>(y) - 48;
    // (dx / 14)^2 + (dy / 34)^2 <= 1, in integers
    if (dx * dx * 34 * 34 + dy * dy * 14 * 14 <= 14 * 14 * 34 * 34) return true;
  }
  return false;
}

}  // namespace

uint8_t xray_pixel(uint32_t x, uint32_t y) {
  uint32_t base = in_tooth(x, y) ? 200 : 40;
  if (in_box(x, y, 18, 30, 8, 8) || in_box(x, y, 97, 52, 6, 10) || in_box(x, y, 61, 40, 2, 2) ||
      in_box(x, y, 148, 46, 7, 5)) {
    base = 55;
  }
  // Deterministic noise in [-6, 6] from a hash of the position.
  uint32_t hsh = (x * 73856093u) ^ (y * 19349663u);
  hsh ^= hsh >> 13;
  hsh *= 0x5bd1e995u;
  hsh ^= hsh >> 15;
  return static_cast<uint8_t>(base + (hsh % 13) - 6);
}

std::string synthetic_xray_pgm(uint32_t maxval) {
  std::string out = "P5\n" + std::to_string(kXrayWidth) + " " + std::to_string(kXrayHeight) + "\n" +
                    std::to_string(maxval) + "\n";
  for (uint32_t y = 0; y < kXrayHeight; ++y) {
    for (uint32_t x = 0; x < kXrayWidth; ++x) {
      const uint8_t v = xray_pixel(x, y);
      if (maxval > 255) {
        out.push_back(static_cast<char>(v));  // v * 257: the same byte twice
      }
      out.push_back(static_cast<char>(v));
    }
  }
  return out;
}

}  // namespace btt::testkit
