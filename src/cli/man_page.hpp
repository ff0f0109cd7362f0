#pragma once

#include <string>
#include <string_view>

namespace CLI {
class App;
}

namespace scs {

/// The manual page (roff, man(7)) of the command line `app` defines: NAME and SYNOPSIS, then
/// one section per sub-command with its options, then the footer (the exit codes). Written
/// from the same definitions as --help, so the page cannot drift from the program.
std::string render_man_page(const CLI::App& app, std::string_view version, std::string_view date);

}  // namespace scs
