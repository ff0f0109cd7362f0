#pragma once
// What every harness of tests/fuzz enforces (README, "Fuzzing and sanitizers"): a parser of
// outside input either succeeds or throws scs::Error with a one-line message. Anything else
// (another exception type, a message with a line break or none at all) prints the exception's
// type and message and traps, so libFuzzer keeps the input as a crash. Crashes, leaks and
// sanitizer reports abort on their own.

#include <cxxabi.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>
#include <vector>

#include "clients/http/http.hpp"
#include "core/errors.hpp"

namespace scs::fuzz {

inline std::string type_name(const std::type_info& type) {
  int status = 0;
  const std::unique_ptr<char, decltype(&std::free)> name(
      abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), &std::free);
  return status == 0 && name ? std::string(name.get()) : std::string(type.name());
}

[[noreturn]] inline void finding(std::string_view what, std::string_view type, std::string_view message) {
  std::fprintf(stderr, "\n==FUZZ FINDING== %.*s\n  type: %.*s\n  message: %.*s\n",
               static_cast<int>(what.size()), what.data(), static_cast<int>(type.size()), type.data(),
               static_cast<int>(message.size()), message.data());
  std::fflush(stderr);
  __builtin_trap();
}

/// A message the contract accepts: not empty, one line.
inline void check_message(std::string_view type, std::string_view message) {
  if (message.empty()) finding("an error without a message", type, message);
  if (message.find('\n') != std::string_view::npos || message.find('\r') != std::string_view::npos)
    finding("a multi-line error message", type, message);
}

/// Runs `parse`; a scs::Error is fine when its message is one line, anything else is a finding.
template <class Parse>
void contract(Parse&& parse) {
  try {
    std::forward<Parse>(parse)();
  } catch (const scs::Error& error) {
    check_message(type_name(typeid(error)), error.what());
  } catch (const std::exception& error) {
    finding("an exception other than scs::Error escaped", type_name(typeid(error)), error.what());
  } catch (...) {
    finding("a non-standard exception escaped", "(unknown)", "");
  }
}

inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// The input split at every `separator` (a line of its own in the seeds), for harnesses that
/// feed several files at once.
inline std::vector<std::string_view> split(std::string_view text, std::string_view separator) {
  std::vector<std::string_view> parts;
  for (;;) {
    const auto at = text.find(separator);
    if (at == std::string_view::npos) break;
    parts.push_back(text.substr(0, at));
    text.remove_prefix(at + separator.size());
  }
  parts.push_back(text);
  return parts;
}

/// A directory of this process for parsers that read files, removed at exit.
inline const std::filesystem::path& scratch() {
  static const std::filesystem::path dir = [] {
    auto path = std::filesystem::temp_directory_path() / ("scs-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(
          std::filesystem::temp_directory_path() / ("scs-fuzz-" + std::to_string(::getpid())), ignored);
    });
    return path;
  }();
  return dir;
}

/// Writes `content` to scratch()/name (replacing it) and returns the path.
inline std::filesystem::path put_file(const std::string& name, std::string_view content) {
  const auto path = scratch() / name;
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  return path;
}

/// Answers every request with one status and the fuzzer's bytes as a JSON body.
class FixedAnswer final : public scs::Transport {
 public:
  FixedAnswer(long status, std::string_view body) : status_(status), body_(body) {}
  scs::HttpResponse send(const scs::HttpRequest&) override {
    return {status_, {{"Content-Type", "application/json"}}, std::string(body_)};
  }

 private:
  long status_;
  std::string_view body_;
};

}  // namespace scs::fuzz
