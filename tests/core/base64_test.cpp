#include "core/base64.hpp"

#include <catch2/catch.hpp>

TEST_CASE("base64 encodes the RFC 4648 test vectors") {
  CHECK(scs::base64_encode("") == "");
  CHECK(scs::base64_encode("f") == "Zg==");
  CHECK(scs::base64_encode("fo") == "Zm8=");
  CHECK(scs::base64_encode("foo") == "Zm9v");
  CHECK(scs::base64_encode("foob") == "Zm9vYg==");
  CHECK(scs::base64_encode("fooba") == "Zm9vYmE=");
  CHECK(scs::base64_encode("foobar") == "Zm9vYmFy");
  CHECK(scs::base64_encode(std::string("\xff\xfe\x00", 3)) == "//4A");
}

TEST_CASE("base64 decodes padded, unpadded and URL-safe text") {
  CHECK(scs::base64_decode("Zm9vYmE=") == "fooba");
  CHECK(scs::base64_decode("Zm9vYmE") == "fooba");
  CHECK(scs::base64_decode("Zm9vYg==") == "foob");
  CHECK(scs::base64_decode("Zm9vYg") == "foob");
  CHECK(scs::base64_decode("__4A") == std::string("\xff\xfe\x00", 3));
  CHECK(scs::base64_decode("") == "");
  const std::string bytes = "\x01\x02\x03\xfa\xfb\xfc\xfd binary \n";
  CHECK(scs::base64_decode(scs::base64_encode(bytes)) == bytes);
}

TEST_CASE("base64 refuses what no encoder writes") {
  CHECK_FALSE(scs::base64_decode("Zm9v YmFy"));  // whitespace, not asked to skip it
  CHECK_FALSE(scs::base64_decode("Zm9v!"));
  CHECK_FALSE(scs::base64_decode("Z"));      // one symbol carries no byte
  CHECK_FALSE(scs::base64_decode("Zg=a"));   // data after padding
  CHECK_FALSE(scs::base64_decode("Zg==="));  // too much padding
  CHECK_FALSE(scs::base64_decode("Zm9=v"));
  CHECK_FALSE(scs::base64_decode("Zm8=="));  // padding that does not fit the length
}

TEST_CASE("base64 skips whitespace only when asked") {
  CHECK(scs::base64_decode("Zm9v\n YmFy\r\n", true) == "foobar");
  CHECK(scs::base64_decode("Zm9v\tYg = =", true) == "foob");
}

TEST_CASE("base64 refuses a console line that is no base64") {
  CHECK_FALSE(scs::base64_decode("[ 1.23] kernel"));
}
