// The job kind panoramic-lesions-v1 on a synthetic radiograph with known lesions.
#include "app/worker/xray_lesions.h"

#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "testkit/xray_image.h"

namespace btt::worker {
namespace {

PgmImage parse(const std::string& pgm) {
  PgmImage img;
  std::string error;
  EXPECT_TRUE(parse_pgm(pgm, img, error)) << error;
  return img;
}

// Frozen from a run and checked against the geometry of testkit/xray_image.h: any change of these
// bytes changes every accepted result hash of the kind, so it would need a new kind id.
const std::string kExpectedJson =
    "{\"kind\":\"panoramic-lesions-v1\",\"width\":160,\"height\":96,\"threshold\":114,"
    "\"count\":2,\"regions\":["
    "{\"x\":18,\"y\":30,\"w\":8,\"h\":8,\"area\":60,\"cx_milli\":21500,\"cy_milli\":33500,"
    "\"mean\":55},"
    "{\"x\":97,\"y\":52,\"w\":6,\"h\":10,\"area\":56,\"cx_milli\":99500,\"cy_milli\":56500,"
    "\"mean\":54}]}\n";

TEST(XrayLesionsTest, FindsTheEnclosedDarkSpotsOfTheSyntheticRadiograph) {
  const LesionReport r = find_lesions(parse(testkit::synthetic_xray_pgm()));
  EXPECT_EQ(r.width, 160u);
  EXPECT_EQ(r.height, 96u);
  // Lesion A (8 x 8 at 18, 30) and lesion B (6 x 10 at 97, 52), sorted by top then left. The
  // 2 x 2 speck is below the opening's 3 x 3, the notch at the fourth tooth's edge is open to the
  // background. The areas are 64 - 4 and 60 - 4: smoothing lifts each box's four corner pixels
  // above the threshold. The centroids are the boxes' centres.
  ASSERT_EQ(r.regions.size(), 2u);
  const LesionRegion& a = r.regions[0];
  EXPECT_EQ(std::tie(a.x, a.y, a.w, a.h), std::make_tuple(18u, 30u, 8u, 8u));
  const LesionRegion& b = r.regions[1];
  EXPECT_EQ(std::tie(b.x, b.y, b.w, b.h), std::make_tuple(97u, 52u, 6u, 10u));
  EXPECT_EQ(lesions_json(r), kExpectedJson);
}

TEST(XrayLesionsTest, TheOutputIsTheSameBytesOnEveryRunAndForSixteenBits) {
  const std::string pgm = testkit::synthetic_xray_pgm();
  const std::string first = lesions_json(find_lesions(parse(pgm)));
  EXPECT_EQ(lesions_json(find_lesions(parse(pgm))), first);
  // The same radiograph stored with 16 bits per sample scales back to the same 8-bit image.
  EXPECT_EQ(lesions_json(find_lesions(parse(testkit::synthetic_xray_pgm(65535)))), first);
}

TEST(XrayLesionsTest, IntegerOtsuAgreesWithOpenCv) {
  // On the smoothed synthetic image, as the pipeline computes it.
  const PgmImage img = parse(testkit::synthetic_xray_pgm());
  std::vector<uint8_t> px = to_8bit(img);
  const cv::Mat gray(static_cast<int>(img.height), static_cast<int>(img.width), CV_8U, px.data());
  cv::Mat smooth, ignored;
  cv::GaussianBlur(gray, smooth, cv::Size(5, 5), 0, 0, cv::BORDER_REPLICATE);
  std::vector<uint64_t> hist(256, 0);
  for (int i = 0; i < smooth.rows * smooth.cols; ++i) ++hist[smooth.data[i]];
  const double opencv = cv::threshold(smooth, ignored, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  EXPECT_EQ(otsu_threshold(hist), static_cast<uint32_t>(opencv));
  EXPECT_EQ(find_lesions(img).threshold, static_cast<uint32_t>(opencv));
}

TEST(XrayLesionsTest, OtsuOfSimpleHistograms) {
  std::vector<uint64_t> h(256, 0);
  EXPECT_EQ(otsu_threshold(h), 0u);  // empty
  h[77] = 10;
  EXPECT_EQ(otsu_threshold(h), 0u);  // one value: no split
  h[200] = 10;
  EXPECT_EQ(otsu_threshold(h), 77u);  // every t in [77, 199] splits alike: the smallest
  h[100] = 30;                        // a heavy middle class joins the dark side
  EXPECT_EQ(otsu_threshold(h), 100u);
}

TEST(XrayLesionsTest, TinyAndFlatImages) {
  EXPECT_EQ(lesions_json(find_lesions(parse(std::string("P5 1 1 255 ") + '\x80'))),
            "{\"kind\":\"panoramic-lesions-v1\",\"width\":1,\"height\":1,\"threshold\":0,"
            "\"count\":0,\"regions\":[]}\n");
  // A bright frame around a dark 5 x 5 hole: one region, the hole.
  std::string pgm = "P2 9 9 255\n";
  for (int y = 0; y < 9; ++y) {
    for (int x = 0; x < 9; ++x) pgm += (x >= 2 && x < 7 && y >= 2 && y < 7) ? "0 " : "255 ";
  }
  const LesionReport r = find_lesions(parse(pgm));
  ASSERT_EQ(r.regions.size(), 1u);
  EXPECT_EQ(r.regions[0].cx_milli, 4000u);
  EXPECT_EQ(r.regions[0].cy_milli, 4000u);
}

}  // namespace
}  // namespace btt::worker
