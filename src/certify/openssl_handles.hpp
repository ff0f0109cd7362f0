#pragma once

// OpenSSL objects that free themselves.

#include <openssl/evp.h>

#include <memory>

namespace scs::ssh {

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
using PkeyHandle = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using MdCtxHandle = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

}  // namespace scs::ssh
