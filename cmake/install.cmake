# `cmake --install` and the Debian package (CPack). The installed program finds its standards
# at ../share/scs-conformance/standards relative to itself (src/core/data_dir.hpp), so the
# prefix can be anything: /usr for the package, /usr/local or a home directory from source.
include(GNUInstallDirs)

install(TARGETS scs-conformance RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/standards/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/scs-conformance/standards)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${SCS_MAN_PAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# scripts/package: a .deb for Debian 12 whose dependencies dpkg-shlibdeps derives from the
# libraries the program links (libcurl, yaml-cpp, fmt, OpenSSL).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME scs-conformance)
set(CPACK_PACKAGE_VENDOR "scs-conformance")
set(CPACK_PACKAGE_CONTACT "scs-conformance maintainers <scs-conformance@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "conformance tests for Sovereign Cloud Stack (SCS) clouds")
set(CPACK_PACKAGE_DESCRIPTION
    "Checks an OpenStack cloud against the SCS-compatible IaaS certificate scope and a Kubernetes
cluster against SCS-compatible KaaS, and writes the verdict per scope version with evidence,
as a report the SCS compliance monitor accepts, JSON, JUnit XML, Markdown and HTML.")
set(CPACK_PACKAGE_INSTALL_DIRECTORY scs-conformance)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# ssh-keygen makes the signing key (README, "Certifying"); CA certificates for HTTPS clouds.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "openssh-client, ca-certificates")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
