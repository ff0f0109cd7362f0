#include "core/private_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <random>

#include <fmt/format.h>

namespace scs {

namespace {

// Closes the descriptor on every path out.
class OpenFile {
 public:
  explicit OpenFile(int fd) : fd_(fd) {}
  ~OpenFile() { release(); }
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  [[nodiscard]] int get() const { return fd_; }
  // close(2) can report a failed write-back: the caller must see that.
  bool release() {
    const bool closed = fd_ < 0 || ::close(fd_) == 0;
    fd_ = -1;
    return closed;
  }

 private:
  int fd_;
};

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const auto wrote = ::write(fd, bytes.data(), bytes.size());
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(wrote));
  }
  return true;
}

}  // namespace

std::optional<std::string> read_private_file(const std::filesystem::path& path) {
  return read_private_file_explained(path).bytes;
}

PrivateFileRead read_private_file_explained(const std::filesystem::path& path) {
  OpenFile fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return {};
    return {std::nullopt, errno == ELOOP ? std::string("it is a symbolic link") : std::strerror(errno)};
  }
  struct stat status {};
  if (::fstat(fd.get(), &status) != 0 || !S_ISREG(status.st_mode))
    return {std::nullopt, "it is not a regular file"};
  if (status.st_uid != ::geteuid())
    return {std::nullopt, fmt::format("it belongs to uid {}, not to this user", status.st_uid)};
  if ((status.st_mode & 077) != 0)
    return {std::nullopt, fmt::format("its mode is {:04o}, not 0600", status.st_mode & 07777)};
  std::string bytes;
  bytes.reserve(static_cast<std::size_t>(status.st_size));
  char buffer[65536];
  for (;;) {
    const auto got = ::read(fd.get(), buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return {std::nullopt, std::strerror(errno)};
    if (got == 0) return {std::move(bytes), {}};
    bytes.append(buffer, static_cast<std::size_t>(got));
  }
}

bool write_private_file(const std::filesystem::path& path, std::string_view bytes) {
  // A name no other writer (process or thread) picks; O_EXCL never reuses an existing file.
  std::random_device random;
  for (int attempt = 0; attempt < 4; ++attempt) {
    const auto suffix = (std::uint64_t{random()} << 32) | random();
    const auto temporary = fmt::format("{}.{:016x}.tmp", path.string(), suffix);
    OpenFile fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd.get() < 0 && errno == EEXIST) continue;
    if (fd.get() < 0) return false;
    // No fsync: after a crash a cache may be empty or cut short, and a reader must reject
    // such a file anyway.
    if (write_all(fd.get(), bytes) && fd.release() && ::rename(temporary.c_str(), path.c_str()) == 0) {
      return true;
    }
    ::unlink(temporary.c_str());
    return false;
  }
  return false;
}

}  // namespace scs
