#pragma once
// A synthetic panoramic-X-ray-like image for the job kind tests: a dark background, four bright
// teeth (ellipses) and a few dark spots of known size and place.
#include <cstdint>
#include <string>

namespace btt::testkit {

inline constexpr uint32_t kXrayWidth = 160;
inline constexpr uint32_t kXrayHeight = 96;

// A pixel of the image (deterministic noise of +-6 included); maxval 255.
//  - background 40; teeth 200 in ellipses of radii 14 x 34 centred at x = 24, 62, 100, 138, y = 48;
//  - lesion A: 8 x 8 at (18, 30) in the first tooth, value 55;
//  - lesion B: 6 x 10 at (97, 52) in the third tooth, value 55;
//  - a 2 x 2 speck at (61, 40) in the second tooth (too small to be a region);
//  - a 7 x 5 notch at (148, 46) on the edge of the fourth tooth, open to the background.
[[nodiscard]] uint8_t xray_pixel(uint32_t x, uint32_t y);

// The image as a P5 PGM with `maxval` 255, or 65535 (each sample times 257: the same image).
[[nodiscard]] std::string synthetic_xray_pgm(uint32_t maxval = 255);

}  // namespace btt::testkit
