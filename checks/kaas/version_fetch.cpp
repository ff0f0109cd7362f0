#include "checks/kaas/version_fetch.hpp"

#include <nlohmann/json.hpp>

#include "clients/http/json_body.hpp"
#include "clients/http/scrub.hpp"
#include "core/errors.hpp"

namespace scs::checks::kaas {

nlohmann::json fetch_source_json(Transport& transport, const std::string& url) {
  const HttpRequest request{"GET", url, {{"Accept", "application/json"}}, {}};
  const auto response = transport.send(request);
  const Scrubber scrubber;  // public sources: no secret to remove, but excerpts stay one line
  if (response.status != 200)
    throw HttpError("GET", url, response.status, body_excerpt(response.body, scrubber));
  return parse_json_answer(response, "GET", url, scrubber);
}

}  // namespace scs::checks::kaas
