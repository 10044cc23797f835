# One INTERFACE target carries the language level, warnings and strict Qt defines for every
# target of the project (STYLE.md rule 2).
add_library(feedscope_options INTERFACE)
target_compile_features(feedscope_options INTERFACE cxx_std_20)
target_compile_options(feedscope_options INTERFACE
    -Wall -Wextra -Wpedantic -Wold-style-cast -Woverloaded-virtual -Wnon-virtual-dtor)
option(FEEDSCOPE_WERROR "Treat warnings as errors" OFF)
if(FEEDSCOPE_WERROR)
    target_compile_options(feedscope_options INTERFACE -Werror)
endif()
target_compile_definitions(feedscope_options INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_USE_QSTRINGBUILDER
    QT_NO_URL_CAST_FROM_STRING
    FEEDSCOPE_VERSION="${PROJECT_VERSION}")
# AddressSanitizer + UndefinedBehaviorSanitizer for every target (a separate build directory:
# cmake -B build-asan -DFEEDSCOPE_SANITIZE=ON). Undefined behaviour stops the program.
option(FEEDSCOPE_SANITIZE "Build with AddressSanitizer and UBSan" OFF)
if(FEEDSCOPE_SANITIZE)
    target_compile_options(feedscope_options INTERFACE
        -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(feedscope_options INTERFACE -fsanitize=address,undefined)
endif()
# libFuzzer targets (fuzz/, scripts/fuzz.sh; clang only, a separate build directory: cmake -B
# build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DFEEDSCOPE_FUZZ=ON). Every library is built with
# coverage instrumentation, AddressSanitizer and UBSan so the parsers they hold are what the
# fuzzer explores; undefined behaviour stops the run like a crash.
option(FEEDSCOPE_FUZZ "Build the libFuzzer targets (clang)" OFF)
if(FEEDSCOPE_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "FEEDSCOPE_FUZZ needs clang (libFuzzer): -DCMAKE_CXX_COMPILER=clang++")
    endif()
    target_compile_options(feedscope_options INTERFACE
        -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
        -fno-sanitize-recover=undefined)
    target_link_options(feedscope_options INTERFACE -fsanitize=address,undefined)
endif()
# Precompiled Qt headers: parsing Qt's headers is most of the compile time of a file (a
# from-scratch build takes about half the CPU time with them). The libraries precompile their
# own, the test executables share one per build (tests/CMakeLists.txt). Off in fuzzing builds.
option(FEEDSCOPE_PCH "Precompile the common Qt headers" OFF)
set(FEEDSCOPE_PCH_HEADERS
    <QByteArray> <QDateTime> <QHash> <QJsonArray> <QJsonDocument> <QJsonObject> <QJsonValue>
    <QList> <QObject> <QPointer> <QSet> <QString> <QStringList> <QTimer> <QUrl>)
# feedscope_precompile(target [header...]): the common headers and `header...` for `target`.
function(feedscope_precompile target)
    if(FEEDSCOPE_PCH AND NOT FEEDSCOPE_FUZZ)
        target_precompile_headers(${target} PRIVATE ${FEEDSCOPE_PCH_HEADERS} ${ARGN})
    endif()
endfunction()
