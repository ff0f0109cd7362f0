#include "certify/file_bytes.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace scs {

void write_file_atomically(const std::filesystem::path& file, std::string_view bytes, unsigned mode) {
  auto temporary = file;
  temporary += fmt::format(".tmp-{}", getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) throw ConfigError(fmt::format("cannot write {}: {}", file.string(), std::strerror(errno)));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const auto written = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      const int error = errno;
      ::close(fd);
      ::unlink(temporary.c_str());
      throw ConfigError(fmt::format("cannot write {}: {}", file.string(), std::strerror(error)));
    }
    done += static_cast<std::size_t>(written);
  }
  ::fchmod(fd, mode);
  if (::close(fd) != 0 || ::rename(temporary.c_str(), file.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    throw ConfigError(fmt::format("cannot write {}: {}", file.string(), std::strerror(error)));
  }
}

}  // namespace scs
