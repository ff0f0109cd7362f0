// The translation unit the shared precompiled header is built with (see CMakeLists.txt).
