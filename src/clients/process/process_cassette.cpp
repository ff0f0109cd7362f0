#include "clients/process/process_cassette.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "clients/http/scrub.hpp"
#include "core/errors.hpp"
#include "core/files.hpp"

namespace scs {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr std::string_view format_tag = "scs-process-cassette/1";
constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string to_base64(std::string_view bytes) {
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t value = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (i + 1 < bytes.size())
      value |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    if (i + 2 < bytes.size()) value |= static_cast<unsigned char>(bytes[i + 2]);
    out += alphabet[(value >> 18) & 63];
    out += alphabet[(value >> 12) & 63];
    out += i + 1 < bytes.size() ? alphabet[(value >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? alphabet[value & 63] : '=';
  }
  return out;
}

std::string from_base64(std::string_view text, const fs::path& cassette) {
  std::string out;
  std::uint32_t value = 0;
  int bits = 0;
  for (const char c : text) {
    if (c == '=') break;
    const auto index = alphabet.find(c);
    if (index == std::string_view::npos)
      throw ConfigError(fmt::format("{}: broken base64 in the process cassette", cassette.string()));
    value = (value << 6) | static_cast<std::uint32_t>(index);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((value >> bits) & 0xff);
    }
  }
  return out;
}

// Text as a JSON string when it is UTF-8 (readable, diffable), else as base64.
json text_to_json(const std::string& text) {
  json value = text;
  try {
    (void)value.dump();
  } catch (const json::type_error&) {
    return json{{"base64", to_base64(text)}};
  }
  return value;
}

std::string text_from_json(const json& value, const fs::path& cassette) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_object() && value.contains("base64"))
    return from_base64(value.at("base64").get<std::string>(), cassette);
  throw ConfigError(fmt::format("{}: the process cassette holds a malformed text", cassette.string()));
}

std::string argv_text(const std::vector<std::string>& argv) {
  return fmt::format("{}", fmt::join(argv, " "));
}

}  // namespace

// ---------------------------------------------------------------------------------------------

struct RecordingProcessRunner::Impl {
  ProcessRunner& inner;
  fs::path file;
  Scrubber scrubber;
  std::mutex mutex;
  json lookups = json::object();
  json invocations = json::array();

  Impl(ProcessRunner& inner_runner, fs::path path, const std::vector<std::string>& secrets)
      : inner(inner_runner), file(std::move(path)), scrubber(secrets) {}

  // Rewritten whole and renamed into place, so a crashed run keeps what it recorded.
  void save() {
    const json document{
        {"format", std::string(format_tag)}, {"lookups", lookups}, {"invocations", invocations}};
    auto temporary = file;
    temporary += ".tmp";
    write_file(temporary, document.dump(2) + "\n");
    fs::rename(temporary, file);
  }
};

RecordingProcessRunner::RecordingProcessRunner(ProcessRunner& inner, fs::path file,
                                               const std::vector<std::string>& secrets)
    : impl_(std::make_unique<Impl>(inner, std::move(file), secrets)) {}

RecordingProcessRunner::~RecordingProcessRunner() = default;

const fs::path& RecordingProcessRunner::file() const { return impl_->file; }

std::optional<fs::path> RecordingProcessRunner::find(const std::string& program) {
  auto found = impl_->inner.find(program);
  const std::lock_guard lock(impl_->mutex);
  impl_->lookups[program] = found ? json(found->string()) : json(nullptr);
  impl_->save();
  return found;
}

ProcessResult RecordingProcessRunner::run(const ProcessOptions& options) {
  auto result = impl_->inner.run(options);
  const auto& scrub = impl_->scrubber;
  json argv = json::array();
  for (const auto& argument : options.argv) argv.push_back(text_to_json(scrub.text(argument)));
  json outputs = json::object();
  for (const auto& declared : options.outputs) {
    const auto it = result.outputs.find(declared.string());
    outputs[declared.string()] =
        it == result.outputs.end() ? json(nullptr) : text_to_json(scrub.text(it->second));
  }
  json entry{{"argv", std::move(argv)},
             {"working_dir", options.working_dir},
             {"exit_code", result.exit_code},
             {"timed_out", result.timed_out},
             {"stdout", text_to_json(scrub.text(result.out))},
             {"stderr", text_to_json(scrub.text(result.err))},
             {"outputs", std::move(outputs)}};
  const std::lock_guard lock(impl_->mutex);
  impl_->invocations.push_back(std::move(entry));
  impl_->save();
  return result;
}

// ---------------------------------------------------------------------------------------------

struct ReplayingProcessRunner::Impl {
  fs::path source;
  std::map<std::string, std::optional<fs::path>> lookups;
  std::map<std::vector<std::string>, std::deque<ProcessResult>> answers;  // by argv, in order
  std::size_t remaining = 0;
  mutable std::mutex mutex;
};

ReplayingProcessRunner::ReplayingProcessRunner(const fs::path& cassette) : impl_(std::make_unique<Impl>()) {
  impl_->source = cassette;
  const auto text = read_file(cassette, "the process cassette");
  try {
    const auto document = json::parse(text);
    if (document.value("format", std::string()) != format_tag)
      throw ConfigError(
          fmt::format("{}: not a process cassette (format is not {})", cassette.string(), format_tag));
    for (const auto& [program, path] : document.at("lookups").items())
      impl_->lookups[program] =
          path.is_null() ? std::nullopt : std::optional<fs::path>(path.get<std::string>());
    for (const auto& entry : document.at("invocations")) {
      std::vector<std::string> argv;
      for (const auto& argument : entry.at("argv")) argv.push_back(text_from_json(argument, cassette));
      ProcessResult result;
      result.exit_code = entry.at("exit_code").get<int>();
      result.timed_out = entry.at("timed_out").get<bool>();
      result.out = text_from_json(entry.at("stdout"), cassette);
      result.err = text_from_json(entry.at("stderr"), cassette);
      for (const auto& [path, content] : entry.at("outputs").items()) {
        if (!content.is_null()) result.outputs[path] = text_from_json(content, cassette);
      }
      impl_->answers[argv].push_back(std::move(result));
      ++impl_->remaining;
    }
  } catch (const json::exception& error) {
    throw ConfigError(fmt::format("{}: broken process cassette: {}", cassette.string(), error.what()));
  }
}

ReplayingProcessRunner::~ReplayingProcessRunner() = default;

std::optional<fs::path> ReplayingProcessRunner::find(const std::string& program) {
  const std::lock_guard lock(impl_->mutex);
  const auto it = impl_->lookups.find(program);
  if (it == impl_->lookups.end())
    throw Error(fmt::format("the process cassette {} did not record a lookup of {}", impl_->source.string(),
                            program));
  return it->second;
}

ProcessResult ReplayingProcessRunner::run(const ProcessOptions& options) {
  ProcessResult result;
  {
    const std::lock_guard lock(impl_->mutex);
    const auto it = impl_->answers.find(options.argv);
    if (it == impl_->answers.end() || it->second.empty())
      throw Error(fmt::format("the process cassette {} holds no{} invocation of: {}", impl_->source.string(),
                              it == impl_->answers.end() ? "" : " further", argv_text(options.argv)));
    result = std::move(it->second.front());
    it->second.pop_front();
    --impl_->remaining;
  }
  // The files the recorded tool left, back where it left them: the run leaves what it left.
  for (const auto& [path, content] : result.outputs) write_file(path, content);
  return result;
}

std::size_t ReplayingProcessRunner::unused() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->remaining;
}

}  // namespace scs
