#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "clients/http/http.hpp"

namespace scs {

class Scrubber;

/// The body of a successful API answer as JSON. HTML (a proxy's error page), a truncated
/// document or anything else is an UnreachableError: "GET URL did not answer with JSON (HTTP
/// 200, text/html): <excerpt>". `url` must already be scrubbed.
nlohmann::json parse_json_answer(const HttpResponse& response, std::string_view method, std::string_view url,
                                 const Scrubber& scrubber);

/// A one-line excerpt of an error body for messages: the `message` of an OpenStack fault
/// ({"itemNotFound": {"message": …}}, {"NeutronError": {"message": …}}, {"error": {…}}), the
/// <title> of an HTML page, or the start of the text; scrubbed, at most ~200 characters.
std::string body_excerpt(std::string_view body, const Scrubber& scrubber);

}  // namespace scs
