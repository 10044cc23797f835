// SPDX-License-Identifier: GPL-3.0-or-later
// The JSON body of a package PUT (binding to own and published packages, parameters,
// annotations, publish), creating one and updating the seeded package and binding.
#include "apiharness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    auto &api = Feedscope::Fuzz::ApiHarness::instance();
    const QByteArray body = Feedscope::Fuzz::bytesOf(data, size);
    api.request("PUT", "/api/v1/namespaces/_/packages/fz", body);
    api.request("PUT", "/api/v1/namespaces/_/packages/pkg?overwrite=true", body);
    api.request("PUT", "/api/v1/namespaces/_/packages/bound?overwrite=true", body);
    api.reset();
    return 0;
}
