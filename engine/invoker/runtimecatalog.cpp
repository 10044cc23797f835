// SPDX-License-Identifier: GPL-3.0-or-later
#include "runtimecatalog.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QStandardPaths>

namespace Feedscope::Engine {

RuntimeCatalog::RuntimeCatalog(const QString &resourcesDirectory)
    : m_resources(resourcesDirectory)
{
    add(QStringLiteral("nodejs:20"),
        QStringLiteral("nodejs"),
        QStringLiteral("node"),
        QStringLiteral("runtimes/nodejs/runner.js"),
        true);
    add(QStringLiteral("python:3"),
        QStringLiteral("python"),
        QStringLiteral("python3"),
        QStringLiteral("runtimes/python/runner.py"),
        false);
    add(QStringLiteral("blackbox"),
        QStringLiteral("blackbox"),
        QStringLiteral("python3"),
        QStringLiteral("runtimes/blackbox/runner.py"),
        false);
}

void RuntimeCatalog::add(const QString &kind,
                         const QString &family,
                         const QString &interpreter,
                         const QString &runner,
                         bool prewarm)
{
    const QString program = QStandardPaths::findExecutable(interpreter);
    const QString script = QDir(m_resources).filePath(runner);
    if (program.isEmpty()) {
        m_missing.insert(kind,
                         QStringLiteral("Actions of kind '%1' cannot run here: the "
                                        "interpreter '%2' is not installed.")
                             .arg(kind, interpreter));
        return;
    }
    if (!QFileInfo::exists(script)) {
        m_missing.insert(kind,
                         QStringLiteral("Actions of kind '%1' cannot run here: the runner "
                                        "%2 is missing.")
                             .arg(kind, script));
        return;
    }
    m_runtimes.insert(kind, Runtime{kind, family, program, {script}, prewarm});
}

const Runtime *RuntimeCatalog::find(const QString &kind) const
{
    const auto it = m_runtimes.constFind(kind);
    return it == m_runtimes.cend() ? nullptr : &it.value();
}

std::optional<QString> RuntimeCatalog::unavailableReason(const QString &kind) const
{
    if (m_runtimes.contains(kind) || kind == u"sequence")
        return std::nullopt;
    return m_missing.value(kind,
                           QStringLiteral("Actions of kind '%1' are not supported by this "
                                          "engine.")
                               .arg(kind));
}

QJsonObject RuntimeCatalog::toJson() const
{
    QJsonObject families;
    for (const Runtime &r : m_runtimes) {
        QJsonArray list = families.value(r.family).toArray();
        list.append(QJsonObject{
            {QStringLiteral("kind"), r.kind},
            {QStringLiteral("default"), true},
            {QStringLiteral("deprecated"), false},
            {QStringLiteral("attached"), false},
            {QStringLiteral("image"), QString(QStringLiteral("feedscope/local-") + r.family)},
            {QStringLiteral("requireMain"), false}});
        families.insert(r.family, list);
    }
    return families;
}

} // namespace Feedscope::Engine
