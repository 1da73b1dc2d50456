// btt-xray-lesions INPUT OUTPUT: the job kind "panoramic-lesions-v1" (doc/compute.md). Reads a
// grayscale PGM radiograph and writes one canonical JSON line: the dark (radiolucent) candidate
// regions inside teeth and bone, found with integer and bit-exact OpenCV operations only.
#include "app/worker/pgm.h"
#include "app/worker/xray_lesions.h"

namespace {

std::string analyze(const btt::worker::PgmImage& img) {
  return btt::worker::lesions_json(btt::worker::find_lesions(img));
}

}  // namespace

int main(int argc, char** argv) {
  return btt::worker::pgm_job_main(argc, argv, "btt-xray-lesions", analyze);
}
