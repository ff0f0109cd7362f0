#pragma once

#include <filesystem>

namespace scs {

/// Where scs-conformance keeps what it may recompute: $XDG_CACHE_HOME/scs-conformance when
/// XDG_CACHE_HOME is an absolute path, else $HOME/.cache/scs-conformance. Not created here.
/// Throws ConfigError when neither variable is usable.
std::filesystem::path cache_directory();

}  // namespace scs
