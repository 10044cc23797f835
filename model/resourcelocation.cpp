// SPDX-License-Identifier: GPL-3.0-or-later
#include "resourcelocation.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace Feedscope {

QString resourcesDirectory()
{
    const QString fromEnvironment = qEnvironmentVariable("FEEDSCOPE_RESOURCES");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    if (QCoreApplication::instance()) {
        const QString installed
            = QDir(QCoreApplication::applicationDirPath())
                  .absoluteFilePath(QStringLiteral("../share/feedscope/resources"));
        if (QFileInfo(installed + QStringLiteral("/catalog")).isDir())
            return QDir::cleanPath(installed);
    }
    return QStringLiteral(FEEDSCOPE_RESOURCES_DIR);
}

} // namespace Feedscope
