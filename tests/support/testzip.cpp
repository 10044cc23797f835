// SPDX-License-Identifier: GPL-3.0-or-later
#include "testzip.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;

namespace Feedscope::Testing {

QString zipBase64(const QList<ZipEntry> &entries)
{
    QTemporaryDir work;
    if (!work.isValid())
        return {};
    const QDir src(work.filePath(u"src"_s));
    QDir().mkpath(src.path());
    for (const ZipEntry &entry : entries) {
        const QString file = src.filePath(entry.path);
        QDir().mkpath(QFileInfo(file).path());
        QFile f(file);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(entry.content);
        f.close();
        QFile::Permissions perms
            = QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther;
        if (entry.executable)
            perms |= QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther;
        f.setPermissions(perms);
    }
    const QString out = work.filePath(u"action.zip"_s);
    QProcess python;
    python.start(u"python3"_s,
                 {u"-c"_s,
                  u"import os, sys, zipfile\n"
                  "src, out = sys.argv[1], sys.argv[2]\n"
                  "with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:\n"
                  "    for root, dirs, files in os.walk(src):\n"
                  "        for f in sorted(files):\n"
                  "            p = os.path.join(root, f)\n"
                  "            z.write(p, os.path.relpath(p, src))\n"_s,
                  src.path(),
                  out});
    if (!python.waitForFinished(30000) || python.exitCode() != 0) {
        qWarning("zip failed: %s", python.readAllStandardError().constData());
        return {};
    }
    QFile zip(out);
    if (!zip.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLatin1(zip.readAll().toBase64());
}

} // namespace Feedscope::Testing
