#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace scs {

/// Base64 with the standard alphabet and '=' padding (RFC 4648, section 4).
std::string base64_encode(std::string_view bytes);

/// Decodes base64 in the standard or the URL-safe alphabet (RFC 4648, sections 4 and 5), with
/// or without padding; with `skip_whitespace`, spaces, tabs and line ends anywhere are ignored
/// (PEM-like armor, kubeconfig data). nullopt on any other character, on a length no encoding
/// produces, and on anything but padding after the first '='.
std::optional<std::string> base64_decode(std::string_view text, bool skip_whitespace = false);

}  // namespace scs
