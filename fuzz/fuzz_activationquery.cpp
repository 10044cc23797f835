// SPDX-License-Identifier: GPL-3.0-or-later
// Activation list queries (name, limit, skip, since, upto, docs, count) as the raw query
// string, and the same bytes as an activation id path (/activations/{id}[/logs|/result]); the
// list of any collection shares the limit / skip / count parsing.
#include "apiharness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    auto &api = Feedscope::Fuzz::ApiHarness::instance();
    const QByteArray input = Feedscope::Fuzz::bytesOf(data, size);
    const auto get = [&api](const char *prefix, const QByteArray &rest) {
        api.request("GET", QByteArray(prefix).append(rest));
    };
    get("/api/v1/namespaces/_/activations?", input);
    get("/api/v1/namespaces/_/actions?", input);
    get("/api/v1/namespaces/_/activations/", input.toPercentEncoding("/"));
    return 0;
}
