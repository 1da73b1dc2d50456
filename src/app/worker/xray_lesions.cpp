#include "app/worker/xray_lesions.h"

#include <algorithm>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>
#include <tuple>

namespace btt::worker {
namespace {

using u128 = unsigned __int128;

// Between-class variance of a split, up to a positive factor: num / den with
// num = (S n0 - N s0)^2 and den = n0 (N - n0).
struct Split {
  u128 num = 0;
  u128 den = 1;
};

// a.num / a.den > b.num / b.den, exactly: the quotients first, then the remainders (each below
// its denominator, whose product fits 128 bits for images of at most kMaxPgmPixels pixels).
bool greater(const Split& a, const Split& b) {
  const u128 qa = a.num / a.den, qb = b.num / b.den;
  if (qa != qb) return qa > qb;
  return (a.num % a.den) * b.den > (b.num % b.den) * a.den;
}

auto sort_key(const LesionRegion& r) {
  return std::tie(r.y, r.x, r.h, r.w, r.area, r.cy_milli, r.cx_milli, r.mean);
}

}  // namespace

std::vector<uint8_t> to_8bit(const PgmImage& img) {
  std::vector<uint8_t> out(img.pixels.size());
  const uint64_t m = img.maxval;
  for (size_t i = 0; i < img.pixels.size(); ++i) {
    out[i] = static_cast<uint8_t>((uint64_t{img.pixels[i]} * 255 + m / 2) / m);
  }
  return out;
}

uint32_t otsu_threshold(const std::vector<uint64_t>& histogram) {
  uint64_t n = 0, sum = 0;
  for (size_t v = 0; v < histogram.size(); ++v) {
    n += histogram[v];
    sum += histogram[v] * v;
  }
  uint32_t best_t = 0;
  Split best;
  uint64_t n0 = 0, s0 = 0;
  for (size_t t = 0; t + 1 < histogram.size(); ++t) {
    n0 += histogram[t];
    s0 += histogram[t] * t;
    if (n0 == 0 || n0 == n) continue;
    // S n0 - N s0 = n0 n (mean of all - mean of class 0) >= 0.
    const u128 diff = u128{sum} * n0 - u128{n} * s0;
    const Split s{diff * diff, u128{n0} * (n - n0)};
    if (greater(s, best)) {
      best = s;
      best_t = static_cast<uint32_t>(t);
    }
  }
  return best_t;
}

LesionReport find_lesions(const PgmImage& img) {
  cv::setNumThreads(1);
  LesionReport report;
  report.width = img.width;
  report.height = img.height;
  const int w = static_cast<int>(img.width), h = static_cast<int>(img.height);
  std::vector<uint8_t> pixels = to_8bit(img);
  const cv::Mat gray(h, w, CV_8U, pixels.data());

  // 1. 5x5 Gaussian smoothing: OpenCV's fixed-point (bit-exact) path for 8-bit images.
  cv::Mat smooth;
  cv::GaussianBlur(gray, smooth, cv::Size(5, 5), 0, 0, cv::BORDER_REPLICATE);

  // 2. Otsu's threshold of the smoothed image, in integers; dark = smooth <= threshold.
  std::vector<uint64_t> histogram(256, 0);
  for (int y = 0; y < h; ++y) {
    const uint8_t* row = smooth.ptr<uint8_t>(y);
    for (int x = 0; x < w; ++x) ++histogram[row[x]];
  }
  report.threshold = otsu_threshold(histogram);
  cv::Mat dark;
  cv::threshold(smooth, dark, report.threshold, 255, cv::THRESH_BINARY_INV);

  // 3. Morphological opening (3x3): drops dark specks under 3x3 pixels.
  const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3));
  cv::Mat opened;
  cv::morphologyEx(dark, opened, cv::MORPH_OPEN, kernel, cv::Point(-1, -1), 1, cv::BORDER_CONSTANT,
                   cv::morphologyDefaultBorderValue());

  // 4. 8-connected dark regions; those touching the image border are background (soft tissue,
  // air), the others lie inside bright structures: the candidates.
  cv::Mat labels, stats, centroids;
  const int count = cv::connectedComponentsWithStats(opened, labels, stats, centroids, 8, CV_32S);
  std::vector<LesionRegion> regions(static_cast<size_t>(count));
  std::vector<uint64_t> sum_x(regions.size(), 0), sum_y(regions.size(), 0),
      sum_v(regions.size(), 0);
  for (int y = 0; y < h; ++y) {
    const int* row = labels.ptr<int>(y);
    const uint8_t* g = gray.ptr<uint8_t>(y);
    for (int x = 0; x < w; ++x) {
      const auto l = static_cast<size_t>(row[x]);
      sum_x[l] += static_cast<uint64_t>(x);
      sum_y[l] += static_cast<uint64_t>(y);
      sum_v[l] += g[x];
    }
  }
  for (int l = 1; l < count; ++l) {
    const int* s = stats.ptr<int>(l);
    LesionRegion r;
    r.x = static_cast<uint64_t>(s[cv::CC_STAT_LEFT]);
    r.y = static_cast<uint64_t>(s[cv::CC_STAT_TOP]);
    r.w = static_cast<uint64_t>(s[cv::CC_STAT_WIDTH]);
    r.h = static_cast<uint64_t>(s[cv::CC_STAT_HEIGHT]);
    r.area = static_cast<uint64_t>(s[cv::CC_STAT_AREA]);
    if (r.area == 0 || r.x == 0 || r.y == 0 || r.x + r.w == img.width || r.y + r.h == img.height) {
      continue;
    }
    const auto i = static_cast<size_t>(l);
    r.cx_milli = sum_x[i] * 1000 / r.area;
    r.cy_milli = sum_y[i] * 1000 / r.area;
    r.mean = sum_v[i] / r.area;
    report.regions.push_back(r);
  }
  std::sort(report.regions.begin(), report.regions.end(),
            [](const LesionRegion& a, const LesionRegion& b) { return sort_key(a) < sort_key(b); });
  return report;
}

std::string lesions_json(const LesionReport& report) {
  std::ostringstream out;
  out << "{\"kind\":\"panoramic-lesions-v1\",\"width\":" << report.width
      << ",\"height\":" << report.height << ",\"threshold\":" << report.threshold
      << ",\"count\":" << report.regions.size() << ",\"regions\":[";
  for (size_t i = 0; i < report.regions.size(); ++i) {
    const auto& r = report.regions[i];
    out << (i ? "," : "") << "{\"x\":" << r.x << ",\"y\":" << r.y << ",\"w\":" << r.w
        << ",\"h\":" << r.h << ",\"area\":" << r.area << ",\"cx_milli\":" << r.cx_milli
        << ",\"cy_milli\":" << r.cy_milli << ",\"mean\":" << r.mean << "}";
  }
  out << "]}\n";
  return out.str();
}

}  // namespace btt::worker
