#pragma once
// The job kind "panoramic-lesions-v1" (doc/compute.md): dark (radiolucent) candidate regions
// inside the bright structures (teeth, bone) of a dental panoramic radiograph, with integer and
// bit-exact OpenCV operations only, so that every replica writes the same bytes.
#include <cstdint>
#include <string>
#include <vector>

#include "app/worker/pgm.h"

namespace btt::worker {

struct LesionRegion {
  uint64_t x = 0, y = 0, w = 0, h = 0;  // bounding box, pixels
  uint64_t area = 0;                    // pixels
  uint64_t cx_milli = 0, cy_milli = 0;  // centroid x 1000, floored
  uint64_t mean = 0;                    // mean 8-bit intensity of the region, floored
};

struct LesionReport {
  uint64_t width = 0, height = 0;
  uint32_t threshold = 0;             // Otsu threshold of the smoothed 8-bit image
  std::vector<LesionRegion> regions;  // sorted by (y, x, h, w, area, cy, cx, mean)
};

// The image scaled to 8 bits: round(v * 255 / maxval), in integers.
[[nodiscard]] std::vector<uint8_t> to_8bit(const PgmImage& img);

// Otsu's threshold of an 8-bit histogram, in exact integer arithmetic: the t maximizing the
// between-class variance of {v <= t} and {v > t} (the smallest t on a tie); 0 for a flat image.
[[nodiscard]] uint32_t otsu_threshold(const std::vector<uint64_t>& histogram);

// The pipeline (doc/compute.md "panoramic-lesions-v1"). Throws cv::Exception only on an OpenCV
// failure (out of memory).
[[nodiscard]] LesionReport find_lesions(const PgmImage& img);

// The canonical output: one JSON line with a fixed layout.
[[nodiscard]] std::string lesions_json(const LesionReport& report);

}  // namespace btt::worker
