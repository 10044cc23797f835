// SPDX-License-Identifier: GPL-3.0-or-later
// Entity names and qualified names as the API, the CLI-style references and rule bodies give
// them, and semantic versions. A parsed name must survive its own round trip.
#include "entityname.h"

#include <cstddef>
#include <cstdint>

using namespace Feedscope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text
        = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    isValidEntityName(text);
    for (const QString &defaultNs : {QStringLiteral("_"), QStringLiteral("guest")}) {
        const auto name = QualifiedName::parse(text, defaultNs);
        if (!name)
            continue;
        const auto again = QualifiedName::parse(name->toString());
        if (!again || *again != *name)
            __builtin_trap();
    }
    if (isValidSemVer(text) && !isValidSemVer(bumpPatchVersion(text)))
        __builtin_trap();
    return 0;
}
