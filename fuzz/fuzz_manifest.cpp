// SPDX-License-Identifier: GPL-3.0-or-later
// A wskdeploy manifest.yaml imported (in an empty project directory, so code files are
// missing), and what it imported exported and imported again.
#include "manifest.h"

#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>

using namespace Feedscope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static QTemporaryDir project;
    const QString text
        = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto imported = Manifest::importYaml(text, project.path());
    if (!imported)
        return 0;
    const QString yaml
        = Manifest::exportYaml(*imported, QStringLiteral("fuzz"), Manifest::CodeMode::Inline);
    Manifest::importYaml(yaml, project.path());
    return 0;
}
