#include "cli/man_page.hpp"

#include <sstream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

namespace scs {

namespace {

// Text for roff: a leading dot or quote would be read as a request, a backslash as an escape,
// and a hyphen is only a minus sign (copyable into a terminal) when written \-.
std::string roff(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (const char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
    line_start = c == '\n';
  }
  return out;
}

std::string option_label(const CLI::Option& option) {
  if (option.get_positional()) return fmt::format("\\fI{}\\fR", roff(option.get_name(true)));
  auto names = roff(option.get_name(false, true));
  const auto type = option.get_type_name();
  if (option.get_items_expected_max() > 0 && !type.empty()) names += fmt::format(" \\fI{}\\fR", roff(type));
  return fmt::format("\\fB{}\\fR", names);
}

void write_options(std::ostringstream& out, const CLI::App& app) {
  for (const auto* option : app.get_options()) {
    if (option->get_group().empty() || option->get_name(false, true) == "-h,--help") continue;
    out << ".TP\n" << option_label(*option) << '\n' << roff(option->get_description());
    if (const auto fallback = option->get_default_str(); !fallback.empty()) {
      out << roff(fmt::format(" (default: {})", fallback));
    }
    if (option->get_required()) out << " (required)";
    out << '\n';
  }
}

std::string usage(const CLI::App& sub) {
  std::string text = fmt::format("\\fBscs\\-conformance {}\\fR", roff(sub.get_name()));
  for (const auto* option : sub.get_options()) {
    if (option->get_positional() && !option->get_group().empty()) {
      const auto name = roff(option->get_name(true));
      text += option->get_required() ? fmt::format(" \\fI{}\\fR", name) : fmt::format(" [\\fI{}\\fR]", name);
    }
  }
  return text + " [\\fIoptions\\fR]";
}

}  // namespace

std::string render_man_page(const CLI::App& app, std::string_view version, std::string_view date) {
  std::ostringstream out;
  out << fmt::format(".TH SCS\\-CONFORMANCE 1 \"{}\" \"scs-conformance {}\" \"User Commands\"\n", date,
                     version);
  out << ".SH NAME\nscs\\-conformance \\- "
      << roff(app.get_description().substr(app.get_description().find(':') + 2)) << '\n';
  out << ".SH SYNOPSIS\n";
  const auto subcommands = app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
  for (const auto* sub : subcommands) out << usage(*sub) << "\n.br\n";
  out << "\\fBscs\\-conformance\\fR \\fB\\-\\-version\\fR | \\fB\\-\\-help\\fR\n";
  out << ".SH DESCRIPTION\n" << roff(app.get_description()) << '\n';
  out << ".PP\nEach command's options follow; \\fBscs\\-conformance \\fR\\fIcommand\\fR\\fB \\-\\-help\\fR "
         "prints the same text.\n";
  out << ".SH COMMANDS\n";
  for (const auto* sub : subcommands) {
    out << ".SS " << roff(sub->get_name()) << '\n' << roff(sub->get_description()) << '\n';
    write_options(out, *sub);
  }
  out << ".SH EXIT STATUS\n.nf\n" << roff(app.get_footer()) << "\n.fi\n";
  out << ".SH FILES\n.TP\n\\fI<prefix>/share/scs\\-conformance/standards\\fR\n"
         "The bundled standards, scopes and data, found relative to the program "
         "(\\fBSCS_STANDARDS_DIR\\fR overrides).\n"
         ".TP\n\\fI~/.local/state/scs\\-conformance\\fR\n"
         "The journal of what runs created, for \\fBcleanup\\fR (\\fBSCS_STATE_DIR\\fR overrides).\n"
         ".TP\n\\fI~/.cache/scs\\-conformance\\fR\n"
         "The parsed standards and scopes, keyed by their files' content (\\fBXDG_CACHE_HOME\\fR moves it; "
         "\\fBSCS_NO_SPEC_CACHE=1\\fR turns it off), and the Keystone tokens of earlier runs (0700, files "
         "0600, refused otherwise; \\fBrun \\-\\-no\\-token\\-cache\\fR does not use them, \\fBcleanup\\fR "
         "forgets a cloud's).\n"
         ".TP\n\\fI<prefix>/share/doc/scs\\-conformance/examples\\fR\n"
         "A recorded compliant cloud for \\fBrun \\-\\-replay\\fR, CI jobs and Kubernetes manifests.\n";
  out << ".SH SEE ALSO\nhttps://docs.scs.community/standards/, "
         "https://github.com/SovereignCloudStack/standards\n";
  return out.str();
}

}  // namespace scs
