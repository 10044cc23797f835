// SPDX-License-Identifier: GPL-3.0-or-later
// The JSON body of a trigger PUT (parameters, annotations with a feed name, limits), creating
// one and updating the seeded trigger that a rule points at.
#include "apiharness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    auto &api = Feedscope::Fuzz::ApiHarness::instance();
    const QByteArray body = Feedscope::Fuzz::bytesOf(data, size);
    api.request("PUT", "/api/v1/namespaces/_/triggers/fz", body);
    api.request("PUT", "/api/v1/namespaces/_/triggers/door?overwrite=true", body);
    api.reset();
    return 0;
}
