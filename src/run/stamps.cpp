#include "run/stamps.hpp"

#include <array>
#include <ctime>
#include <random>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace scs {

std::string new_uuid() {
  std::random_device random;
  std::array<unsigned char, 16> bytes{};
  for (auto& byte : bytes) byte = static_cast<unsigned char>(random() & 0xff);
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string text;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    text += fmt::format("{:02x}", bytes[i]);
  }
  return text;
}

std::string new_run_id() {
  std::random_device random;
  return fmt::format("{:06x}", random() & 0xffffff);
}

namespace {

std::tm local_time(std::chrono::system_clock::time_point when) {
  const auto seconds = std::chrono::system_clock::to_time_t(when);
  std::tm local{};
  localtime_r(&seconds, &local);
  return local;
}

}  // namespace

std::string local_timestamp(std::chrono::system_clock::time_point when) {
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(when.time_since_epoch()).count() % 1'000'000;
  return fmt::format("{:%Y-%m-%d %H:%M:%S}.{:06}", local_time(when), micros);
}

std::string local_date(std::chrono::system_clock::time_point when) {
  return fmt::format("{:%Y-%m-%d}", local_time(when));
}

}  // namespace scs
