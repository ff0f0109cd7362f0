#pragma once

#include <string>

namespace scs {

/// What `--version` prints: the program's version, where its standards are, and for each
/// bundled scope its versions with their state today and the date each was stabilized, and the
/// date of the scope's latest timeline entry — which certificates this build can judge.
/// Never throws: a missing or broken standards directory is said in the text.
std::string version_text(const std::string& today);

}  // namespace scs
