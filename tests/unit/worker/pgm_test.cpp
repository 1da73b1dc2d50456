#include "app/worker/pgm.h"

#include <gtest/gtest.h>

#include <string>

namespace btt::worker {
namespace {

TEST(PgmTest, ReadsP5EightAndSixteenBitAndP2) {
  PgmImage img;
  std::string error;
  ASSERT_TRUE(parse_pgm(
      std::string("P5\n# comment\n3 2\n255\n") + std::string("\x00\x10\x20\x30\x40\xff", 6), img,
      error))
      << error;
  EXPECT_EQ(img.width, 3u);
  EXPECT_EQ(img.height, 2u);
  EXPECT_EQ(img.maxval, 255u);
  EXPECT_EQ(img.pixels, (std::vector<uint32_t>{0x00, 0x10, 0x20, 0x30, 0x40, 0xff}));

  ASSERT_TRUE(parse_pgm(std::string("P5 2 1 1000 ") + "\x01\x02\xff\xff", img, error)) << error;
  EXPECT_EQ(img.pixels, (std::vector<uint32_t>{258, 1000}));  // 65535 clamps to maxval

  ASSERT_TRUE(parse_pgm("P2\n2 2\n15\n0 5\n10 15\n", img, error)) << error;
  EXPECT_EQ(img.pixels, (std::vector<uint32_t>{0, 5, 10, 15}));
}

TEST(PgmTest, RefusesMalformedAndOversizedImages) {
  PgmImage img;
  for (const std::string& bad :
       {std::string(""), std::string("P6\n1 1\n255\n\x01", 13), std::string("P5\n0 1\n255\n"),
        std::string("P5\n1 1\n0\n\x01", 10), std::string("P5\n1 1\n70000\n\x01\x01", 15),
        std::string("P5\n2 2\n255\n\x01\x02\x03", 14), std::string("P2\n2 1\n9\n1 10\n"),
        std::string("P2\n2 1\n9\n1 x\n"),
        // 2^32 x 2^32 wraps to 0 pixels in 64 bits
        std::string("P5\n4294967296 4294967296\n255\n"), std::string("P5\n100000 100000\n255\n")}) {
    std::string error;
    EXPECT_FALSE(parse_pgm(bad, img, error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

}  // namespace
}  // namespace btt::worker
