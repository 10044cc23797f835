// SPDX-License-Identifier: GPL-3.0-or-later
// The JSON body of an action PUT (exec of every kind, sequence components, limits, parameters,
// annotations, delAnnotations), once creating an action and once updating the seeded one.
#include "apiharness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    auto &api = Feedscope::Fuzz::ApiHarness::instance();
    const QByteArray body = Feedscope::Fuzz::bytesOf(data, size);
    api.request("PUT", "/api/v1/namespaces/_/actions/fz", body);
    api.request("PUT", "/api/v1/namespaces/_/actions/pkg/fz", body);
    api.request("PUT", "/api/v1/namespaces/_/actions/hello?overwrite=true", body);
    api.reset();
    return 0;
}
