// SPDX-License-Identifier: GPL-3.0-or-later
// A ~/.wskprops file's contents: parsed, every key read, a value changed and the endpoint
// derived, as the profiles page does.
#include "wskprops.h"

#include <cstddef>
#include <cstdint>

using namespace Feedscope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    WskProps props
        = WskProps::parse(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    for (const QString &key : props.keys())
        props.value(key);
    endpointFrom(props, QProcessEnvironment());
    props.setValue(WskProps::authKey, QStringLiteral("uuid:key"));
    props.remove(WskProps::namespaceKey);
    return 0;
}
