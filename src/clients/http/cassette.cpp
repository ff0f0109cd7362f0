#include "clients/http/cassette.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "clients/http/scrub.hpp"
#include "core/call_meter.hpp"
#include "core/errors.hpp"
#include "core/files.hpp"

namespace scs {

namespace {

using nlohmann::json;

constexpr std::string_view format_tag = "scs-cassette/1";

/// The headers that select a different answer for the same URL.
constexpr std::array<std::string_view, 2> version_headers = {"OpenStack-API-Version",
                                                             "X-OpenStack-Nova-API-Version"};

json headers_to_json(const Headers& headers) {
  json out = json::object();
  for (const auto& [name, value] : headers) {
    auto& slot = out[name];
    slot = slot.is_string() ? json(slot.get<std::string>() + ", " + value) : json(value);
  }
  return out;
}

Headers headers_from_json(const json& object) {
  Headers out;
  if (!object.is_object()) return out;
  for (const auto& [name, value] : object.items()) out.emplace_back(name, value.get<std::string>());
  return out;
}

/// Stores a body as JSON when it is JSON, as exact text otherwise; an empty body not at all.
void put_body(json& target, std::string_view body, const Scrubber& scrubber) {
  if (body.empty()) return;
  auto parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded()) {
    target["text"] = scrubber.text(body);
  } else {
    target["body"] = scrubber.json(parsed);
  }
}

std::string get_body(const json& source) {
  if (const auto it = source.find("body"); it != source.end()) return it->dump();
  if (const auto it = source.find("text"); it != source.end()) return it->get<std::string>();
  return {};
}

/// The request as the cassette knows it: what identifies it, after scrubbing.
std::string match_key(std::string_view method, std::string_view scrubbed_url, const Headers& headers,
                      std::string_view normalised_body) {
  std::string versions;
  for (const auto name : version_headers) {
    if (const auto value = find_header(headers, name); !value.empty())
      versions += fmt::format("{}={};", name, value);
  }
  return fmt::format("{} {}\n{}\n{}", method, scrubbed_url, versions, normalised_body);
}

std::string normalised_body(std::string_view body, const Scrubber& scrubber) {
  if (body.empty()) return {};
  auto parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded()) return scrubber.text(body);
  return scrubber.json(parsed).dump();  // object keys sorted: the order of keys does not matter
}

}  // namespace

std::filesystem::path new_cassette_path(const std::filesystem::path& dir, std::string_view label) {
  std::filesystem::create_directories(dir);
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  const std::string stem =
      fmt::format("{}-{:%Y%m%dT%H%M%SZ}", label.empty() ? "run" : label, fmt::gmtime(now));
  auto path = dir / (stem + ".json");
  for (int n = 2; std::filesystem::exists(path); ++n) path = dir / fmt::format("{}-{}.json", stem, n);
  return path;
}

// ---------------------------------------------------------------------------------------------

struct RecordingTransport::Impl {
  Transport& inner;
  std::filesystem::path file;
  Scrubber scrubber;
  std::mutex mutex;

  Impl(Transport& inner_transport, std::filesystem::path path, const std::vector<std::string>& secrets)
      : inner(inner_transport), file(std::move(path)), scrubber(secrets) {}

  json request_entry(const HttpRequest& request) const {
    json entry = {{"method", request.method},
                  {"url", scrubber.url(request.url)},
                  {"headers", headers_to_json(scrubber.headers(request.headers))}};
    put_body(entry, request.body, scrubber);
    return entry;
  }

  /// Serialised once each: the file is rewritten after every exchange, the JSON is not.
  std::vector<std::string> written;

  void append(const json& interaction) {
    std::string text = interaction.dump(2);
    // Indented as it would be inside the document's "interactions" array.
    for (auto pos = text.find('\n'); pos != std::string::npos; pos = text.find('\n', pos + 5)) {
      text.insert(pos + 1, "    ");
    }
    const std::lock_guard lock(mutex);
    written.push_back("    " + text);
    // Written to a temporary file and renamed, so a reader never sees half a cassette.
    auto temporary = file;
    temporary += ".tmp";
    {
      std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
      if (!out) throw Error(fmt::format("{}: cannot write the cassette", temporary.string()));
      out << "{\n  \"format\": \"" << format_tag << "\",\n  \"interactions\": [\n";
      for (std::size_t i = 0; i < written.size(); ++i)
        out << written[i] << (i + 1 < written.size() ? ",\n" : "\n");
      out << "  ]\n}\n";
      if (!out.flush()) throw Error(fmt::format("{}: cannot write the cassette", temporary.string()));
    }
    std::filesystem::rename(temporary, file);
  }
};

RecordingTransport::RecordingTransport(Transport& inner, std::filesystem::path file,
                                       const std::vector<std::string>& secrets)
    : impl_(std::make_unique<Impl>(inner, std::move(file), secrets)) {
  if (impl_->file.has_parent_path()) std::filesystem::create_directories(impl_->file.parent_path());
}

RecordingTransport::~RecordingTransport() = default;

const std::filesystem::path& RecordingTransport::file() const { return impl_->file; }

HttpResponse RecordingTransport::send(const HttpRequest& request) {
  // A token the caller sends is as secret as one Keystone hands out.
  for (const auto& [name, value] : request.headers) {
    if (is_secret_header(name)) impl_->scrubber.add_secret(value);
  }
  HttpResponse response;
  try {
    response = impl_->inner.send(request);
  } catch (const UnreachableError& error) {
    impl_->append(
        {{"request", impl_->request_entry(request)}, {"error", impl_->scrubber.text(error.what())}});
    throw;
  }
  for (const auto& [name, value] : response.headers) {
    if (is_secret_header(name)) impl_->scrubber.add_secret(value);
  }
  json answer = {{"status", response.status},
                 {"headers", headers_to_json(impl_->scrubber.headers(response.headers))}};
  put_body(answer, response.body, impl_->scrubber);
  impl_->append({{"request", impl_->request_entry(request)}, {"response", std::move(answer)}});
  return response;
}

// ---------------------------------------------------------------------------------------------

struct ReplayTransport::Impl {
  struct Interaction {
    HttpResponse response;
    std::string error;  // non-empty: the recorded request got no HTTP answer
    std::size_t uses = 0;
  };

  Scrubber scrubber;  // names only: the cassette holds no secret values to compare with
  std::string source;
  std::vector<Interaction> interactions;
  std::map<std::string, std::vector<std::size_t>> by_key;
  mutable std::mutex mutex;

  void load(const std::filesystem::path& path) {
    const std::string text = read_file(path, "the cassette");
    json document;
    try {
      document = json::parse(text);
    } catch (const json::parse_error& error) {
      throw ConfigError(
          fmt::format("{}: not a cassette: malformed JSON at byte {}", path.string(), error.byte));
    } catch (const json::exception& error) {  // a number out of range ("1e400")
      throw ConfigError(fmt::format("{}: not a cassette: {}", path.string(), error.what()));
    }
    if (!document.is_object() || document.value("format", "") != format_tag ||
        !document["interactions"].is_array()) {
      throw ConfigError(
          fmt::format("{}: not a cassette (expected \"format\": \"{}\")", path.string(), format_tag));
    }
    try {
      for (const auto& entry : document["interactions"]) {
        const auto& request = entry.at("request");
        const std::string key = match_key(
            request.at("method").get<std::string>(), request.at("url").get<std::string>(),
            headers_from_json(request.value("headers", json::object())),
            request.contains("body") ? request["body"].dump() : request.value("text", std::string()));
        Interaction interaction;
        if (entry.contains("error")) {
          interaction.error = entry["error"].get<std::string>();
        } else {
          const auto& response = entry.at("response");
          interaction.response.status = response.at("status").get<long>();
          interaction.response.headers = headers_from_json(response.value("headers", json::object()));
          interaction.response.body = get_body(response);
        }
        by_key[key].push_back(interactions.size());
        interactions.push_back(std::move(interaction));
      }
    } catch (const json::exception& error) {
      throw ConfigError(fmt::format("{}: not a cassette: {}", path.string(), error.what()));
    }
  }
};

ReplayTransport::ReplayTransport(const std::filesystem::path& cassette) : impl_(std::make_unique<Impl>()) {
  impl_->source = cassette.string();
  if (std::filesystem::is_directory(cassette)) {
    std::vector<std::filesystem::path> files;
    for (const auto& item : std::filesystem::directory_iterator(cassette)) {
      if (item.path().extension() == ".json") files.push_back(item.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) impl_->load(file);
  } else {
    impl_->load(cassette);
  }
}

ReplayTransport::~ReplayTransport() = default;

HttpResponse ReplayTransport::send(const HttpRequest& request) {
  const std::string url = impl_->scrubber.url(request.url);
  const std::string key =
      match_key(request.method, url, request.headers, normalised_body(request.body, impl_->scrubber));
  Impl::Interaction* found = nullptr;
  {
    const std::lock_guard lock(impl_->mutex);
    const auto it = impl_->by_key.find(key);
    if (it != impl_->by_key.end()) {
      const auto& candidates = it->second;
      const auto next = std::find_if(candidates.begin(), candidates.end(),
                                     [&](std::size_t index) { return impl_->interactions[index].uses == 0; });
      found = &impl_->interactions[next != candidates.end() ? *next : candidates.back()];
      ++found->uses;
    }
  }
  if (found == nullptr) {
    std::string version;
    for (const auto name : version_headers) {
      if (const auto value = find_header(request.headers, name); !value.empty()) {
        version = fmt::format(" ({}: {})", name, value);
        break;
      }
    }
    throw Error(
        fmt::format("{} {}{} is not in the cassette {}", request.method, url, version, impl_->source));
  }
  count_call({.calls = 1,
              .retries = 0,
              .bytes_received = found->response.body.size(),
              .bytes_sent = request.body.size()});
  if (!found->error.empty()) throw UnreachableError(found->error);
  return found->response;
}

std::size_t ReplayTransport::unused() const {
  const std::lock_guard lock(impl_->mutex);
  return static_cast<std::size_t>(
      std::count_if(impl_->interactions.begin(), impl_->interactions.end(),
                    [](const Impl::Interaction& item) { return item.uses == 0; }));
}

}  // namespace scs
