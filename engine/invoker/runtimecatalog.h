// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace Feedscope::Engine {

// How to start a warm container for one kind: an interpreter and our runner script, which speaks
// the action-proxy protocol over fd 3 (resources/runtimes/*/runner.*).
struct Runtime
{
    QString kind;    // "nodejs:20", "python:3", "blackbox"
    QString family;  // "nodejs", "python", "blackbox" (keys of GET / "runtimes")
    QString program; // absolute path of the interpreter
    QStringList arguments;
    bool prewarm = false; // keep a started, uninitialised process ready for this kind
};

// The runtimes this machine can really run. A kind whose interpreter or runner is missing is
// not listed, and unavailableReason() says why.
class RuntimeCatalog
{
public:
    explicit RuntimeCatalog(const QString &resourcesDirectory);

    const Runtime *find(const QString &kind) const;
    std::optional<QString> unavailableReason(const QString &kind) const;
    QJsonObject toJson() const; // the "runtimes" object of GET /
    QString resourcesDirectory() const { return m_resources; }

private:
    void add(const QString &kind,
             const QString &family,
             const QString &interpreter,
             const QString &runner,
             bool prewarm);

    QString m_resources;
    QHash<QString, Runtime> m_runtimes;
    QHash<QString, QString> m_missing; // kind → reason
};

} // namespace Feedscope::Engine
