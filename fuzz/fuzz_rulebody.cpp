// SPDX-License-Identifier: GPL-3.0-or-later
// The JSON body of a rule PUT (trigger and action names in every form, annotations), creating
// one and re-pointing the seeded rule.
#include "apiharness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    auto &api = Feedscope::Fuzz::ApiHarness::instance();
    const QByteArray body = Feedscope::Fuzz::bytesOf(data, size);
    api.request("PUT", "/api/v1/namespaces/_/rules/fz", body);
    api.request("PUT", "/api/v1/namespaces/_/rules/door-hello?overwrite=true", body);
    // The status change takes a body too ({"status": "active" | "inactive"}).
    api.request("POST", "/api/v1/namespaces/_/rules/door-hello", body);
    api.reset();
    return 0;
}
