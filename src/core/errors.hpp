#pragma once

#include <stdexcept>
#include <string>

#include "core/exit_codes.hpp"

namespace scs {

/// `text` with its line breaks written as "\n" and "\r": one line, for messages that quote
/// outside input.
std::string escape_line_breaks(const std::string& text);

/// Base of every error this tool raises on purpose. The message is one line, names the cause,
/// and never contains a secret. The CLI maps the type to an exit code; the runner turns any
/// exception inside a check into ABORT with the message as the reason.
class Error : public std::runtime_error {
 public:
  /// Line breaks in `message` (which may quote outside input: a YAML key, a server's answer)
  /// are written as "\n" and "\r", so that every message stays one line.
  explicit Error(const std::string& message);
  explicit Error(const char* message) : Error(std::string(message)) {}
  [[nodiscard]] virtual ExitCode exit_code() const { return ExitCode::internal_error; }
};

/// Bad command line.
class UsageError : public Error {
 public:
  using Error::Error;
  [[nodiscard]] ExitCode exit_code() const override { return ExitCode::usage; }
};

/// clouds.yaml, secure.yaml, kubeconfig, a spec or scope file, wrong credentials.
class ConfigError : public Error {
 public:
  using Error::Error;
  [[nodiscard]] ExitCode exit_code() const override { return ExitCode::configuration_error; }
};

/// A spec or scope file problem, located: "standards/scs-0100.yaml:12: unknown key 'chek'".
class SpecError : public ConfigError {
 public:
  SpecError(const std::string& file, int line, const std::string& message);
};

/// The cloud could not be reached or did not answer like an API: connection refused, timeout,
/// TLS failure, HTML or truncated JSON instead of an API answer, 5xx after every retry.
class UnreachableError : public Error {
 public:
  using Error::Error;
  [[nodiscard]] ExitCode exit_code() const override { return ExitCode::unavailable; }
};

/// An HTTP answer with an unexpected status (after retries). Carries what a human needs to
/// see: method, URL (without query secrets), status and a short body excerpt.
class HttpError : public Error {
 public:
  HttpError(std::string method, std::string url, long status, std::string body_excerpt);
  [[nodiscard]] long status() const { return status_; }
  [[nodiscard]] ExitCode exit_code() const override { return ExitCode::unavailable; }

 private:
  long status_;
};

/// SIGINT/SIGTERM arrived: stop scheduling, clean up, write the report.
class Interrupted : public Error {
 public:
  Interrupted() : Error("interrupted") {}
  [[nodiscard]] ExitCode exit_code() const override { return ExitCode::interrupted; }
};

}  // namespace scs
