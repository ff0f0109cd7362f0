#include "clients/http/json_body.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "clients/http/scrub.hpp"
#include "core/errors.hpp"

namespace scs {

namespace {

constexpr std::size_t max_excerpt = 200;

/// Whitespace runs (newlines included) become one space: messages stay on one line.
std::string one_line(std::string_view text) {
  std::string out;
  bool space = false;
  for (const char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
    if (out.size() > max_excerpt) {
      out.resize(max_excerpt);
      out += "…";
      break;
    }
  }
  return out;
}

std::string fault_message(const nlohmann::json& body) {
  if (!body.is_object()) return {};
  for (const char* key : {"message", "faultstring", "description", "detail", "title"}) {
    if (const auto it = body.find(key); it != body.end() && it->is_string()) return it->get<std::string>();
  }
  for (const auto& [key, value] : body.items()) {
    if (value.is_object()) {
      if (auto inner = fault_message(value); !inner.empty()) return inner;
    }
  }
  return {};
}

std::string html_title(std::string_view body) {
  std::string lowered(body.substr(0, 4096));
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto open = lowered.find("<title>");
  if (open == std::string::npos) return {};
  const auto close = lowered.find("</title>", open);
  if (close == std::string::npos) return {};
  return std::string(body.substr(open + 7, close - open - 7));
}

}  // namespace

std::string body_excerpt(std::string_view body, const Scrubber& scrubber) {
  const auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (!parsed.is_discarded()) {
    if (auto message = fault_message(parsed); !message.empty()) return one_line(scrubber.text(message));
  }
  if (auto title = html_title(body); !title.empty()) return one_line(scrubber.text(title));
  return one_line(scrubber.text(body.substr(0, 4 * max_excerpt)));
}

nlohmann::json parse_json_answer(const HttpResponse& response, std::string_view method, std::string_view url,
                                 const Scrubber& scrubber) {
  auto parsed = nlohmann::json::parse(response.body, nullptr, false);
  if (!parsed.is_discarded()) return parsed;
  const auto type = response.header("Content-Type");
  std::string excerpt;
  if (response.body.empty()) {
    excerpt = "empty body";
  } else if (type.find("json") != std::string_view::npos) {
    // Said JSON but is not: cut off in transit, most likely. Its text would not help.
    excerpt = fmt::format("incomplete or malformed JSON document of {} bytes", response.body.size());
  } else {
    excerpt = body_excerpt(response.body, scrubber);
  }
  throw UnreachableError(fmt::format("{} {} did not answer with JSON (HTTP {}, {}): {}", method, url,
                                     response.status,
                                     type.empty() ? std::string_view("no Content-Type") : type, excerpt));
}

}  // namespace scs
