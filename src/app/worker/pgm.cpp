#include "pgm.h"

#include <exception>
#include <fstream>
#include <iostream>
#include <iterator>

namespace btt::worker {
namespace {

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

}  // namespace

bool parse_pgm(const std::string& data, PgmImage& img, std::string& error) {
  img = PgmImage{};
  size_t pos = 0;
  std::string magic;
  if (!token(data, pos, magic) || (magic != "P5" && magic != "P2")) {
    error = "not a PGM file (P5 or P2)";
    return false;
  }
  uint64_t maxval = 0;
  if (!number(data, pos, img.width) || !number(data, pos, img.height) ||
      !number(data, pos, maxval) || img.width == 0 || img.height == 0 || maxval == 0 ||
      maxval > 65535 || img.width > kMaxPgmPixels || img.height > kMaxPgmPixels ||
      img.width * img.height > kMaxPgmPixels) {
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

int pgm_job_main(int argc, char** argv, const char* name,
                 std::string (*analyze)(const PgmImage& img)) {
  if (argc != 3) {
    std::cerr << "usage: " << name << " INPUT.pgm OUTPUT\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  PgmImage img;
  std::string error;
  if (!in) {
    error = "cannot read the file";
  } else if (parse_pgm(data, img, error)) {
    try {
      std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
      out << analyze(img);
      if (out.flush()) return 0;
      std::cerr << name << ": cannot write " << argv[2] << "\n";
      return 1;
    } catch (const std::exception& e) {
      error = e.what();
    }
  }
  std::cerr << name << ": " << argv[1] << ": " << error << "\n";
  return 1;
}

}  // namespace btt::worker
