#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clients/http/http.hpp"

namespace scs {

/// Cassettes: HTTP exchanges recorded from a real cloud, with secrets removed, so a whole run
/// (or one check's unit test) can be replayed offline.
///
/// File format (JSON, keys sorted, two-space indent, one file per run):
///   { "format": "scs-cassette/1",
///     "interactions": [
///       { "request":  { "method": "GET", "url": "…", "headers": {…}, "body": <JSON> | "text": "…" },
///         "response": { "status": 200, "headers": {…}, "body": <JSON> | "text": "…" } },
///       { "request": {…}, "error": "cannot reach https://…: Connection refused" } ] }
/// A body that parses as JSON is stored as JSON (readable, diffable), anything else (HTML, a
/// truncated document) as the exact text. Header names are stored as sent; repeated headers
/// are joined with ", ". Secret headers keep their name with the value "<redacted>".

/// DIR/<label>-<UTC time>.json for a new recording, creating DIR. Label: e.g. the cloud name.
std::filesystem::path new_cassette_path(const std::filesystem::path& dir, std::string_view label);

/// Passes every request to `inner` and appends the exchange to `file` (rewritten atomically
/// after each exchange, so a crashed run keeps what it recorded). Removed before writing:
/// `secrets` wherever they appear, tokens seen in X-Subject-Token from then on, secret headers,
/// and secret JSON keys / query parameters (see scrub.hpp). Calls are counted by `inner`.
/// An UnreachableError from `inner` is recorded too, and rethrown.
class RecordingTransport final : public Transport {
 public:
  RecordingTransport(Transport& inner, std::filesystem::path file,
                     const std::vector<std::string>& secrets = {});
  ~RecordingTransport() override;
  RecordingTransport(const RecordingTransport&) = delete;
  RecordingTransport& operator=(const RecordingTransport&) = delete;

  HttpResponse send(const HttpRequest& request) override;

  [[nodiscard]] const std::filesystem::path& file() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Answers requests from cassettes: a file, or a directory whose *.json files are read in name
/// order. A request matches an interaction by method, URL, compute/volume microversion header
/// and, when it has a body, the body after scrubbing and normalising (JSON compared as JSON,
/// so a different password still matches). Identical requests are answered in recorded order;
/// once those are used up, the last one is answered again (a memoised read asked twice in a
/// run that recorded it once still replays). A request not in the cassette is an Error naming
/// the method and URL. Each answer is reported through count_call() as if it went out, so call
/// counts of a replayed run match the recorded one.
class ReplayTransport final : public Transport {
 public:
  explicit ReplayTransport(const std::filesystem::path& cassette);
  ~ReplayTransport() override;
  ReplayTransport(const ReplayTransport&) = delete;
  ReplayTransport& operator=(const ReplayTransport&) = delete;

  HttpResponse send(const HttpRequest& request) override;

  /// How many recorded interactions have not been asked for (yet).
  [[nodiscard]] std::size_t unused() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace scs
