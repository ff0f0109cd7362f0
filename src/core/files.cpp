#include "core/files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace scs {

namespace {

// Closes the descriptor on every path out, keeping errno of the failure being reported.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) {
      const int saved = errno;
      ::close(fd_);
      errno = saved;
    }
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::string read_file(const std::filesystem::path& path, std::string_view what) {
  const auto fail = [&] {
    return ConfigError(fmt::format("cannot read {} {}: {}", what, path.string(), std::strerror(errno)));
  };
  const Descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw fail();
  std::string bytes;
  char buffer[65536];
  for (;;) {
    const auto got = ::read(fd.get(), buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw fail();  // also a directory: EISDIR
    if (got == 0) return bytes;
    bytes.append(buffer, static_cast<std::size_t>(got));
  }
}

void write_file(const std::filesystem::path& path, std::string_view bytes) {
  const auto fail = [&] {
    return Error(fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
  };
  if (path.has_parent_path()) {
    std::error_code error;
    std::filesystem::create_directories(path.parent_path(), error);
    if (error) throw Error(fmt::format("cannot write {}: {}", path.string(), error.message()));
  }
  const Descriptor fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0) throw fail();
  while (!bytes.empty()) {
    const auto wrote = ::write(fd.get(), bytes.data(), bytes.size());
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote < 0) throw fail();
    bytes.remove_prefix(static_cast<std::size_t>(wrote));
  }
}

}  // namespace scs
