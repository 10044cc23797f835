// SPDX-License-Identifier: GPL-3.0-or-later
// The HTTP/1.1 request stream a server connection reads: request lines, headers, Content-Length
// and chunked bodies, pipelined requests, arriving in pieces (the first byte sets their size, as
// a socket's reads would split the stream). Parsed as the engine and the webhook relay do, with
// a head inspector that limits some requests' bodies and refuses others, as the engine's does.
#include "requestparser.h"

#include <cstddef>
#include <cstdint>

using namespace Feedscope::Http;

namespace {

Limits fuzzLimits()
{
    Limits limits;
    // Small limits, so that the refusals are reached by inputs a fuzzer can make.
    limits.maxHeaderBytes = 1024;
    limits.maxBodyBytes = 4096;
    limits.keepRawHeaders = true;
    limits.inspectHead = [](const Request &head) {
        HeadVerdict verdict;
        if (head.header("authorization").isEmpty() && head.method == "DELETE") {
            verdict.refusalStatus = 401;
            verdict.refusalMessage = QStringLiteral("no key");
        } else if (head.method != "PUT") {
            verdict.maxBodyBytes = 64;
        }
        return verdict;
    };
    return limits;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    static const Limits limits = fuzzLimits();
    const qsizetype piece = qsizetype(data[0]) + 1;
    const QByteArray input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    RequestParser parser(limits);
    for (qsizetype at = 0; at < input.size(); at += piece) {
        parser.append(input.mid(at, piece));
        for (;;) {
            const RequestParser::Event event = parser.next();
            if (event == RequestParser::Event::NeedMore)
                break;
            if (event == RequestParser::Event::Refused)
                return 0; // the connection closes here
            if (event == RequestParser::Event::Request) {
                const Request request = parser.takeRequest();
                if (request.body.size() > limits.maxBodyBytes)
                    __builtin_trap();
            }
        }
    }
    return 0;
}
