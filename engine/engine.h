// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/enginelimits.h"
#include "core/identity.h"
#include "store/database.h"

#include <QHostAddress>
#include <QObject>

#include <memory>

namespace Feedscope::Engine {

struct EngineOptions
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 3233;
    QString dataDirectory;
    EngineLimits limits = *EngineLimits::forProfile(QStringLiteral("local"));
    Durability durability = Durability::Process;
    qint64 activationRetention = 50000;
    QString resourcesDirectory; // runners and catalog; empty = the source tree's resources/
    int maxContainers = 8;
    int idleTimeoutMs = 10 * 60 * 1000;
    bool prewarm = true;
    // The subjects set at start: the well-known guest and whisk.system keys unless the user
    // gave their own (--keys).
    QList<Identity> identities;
    // Listening on an address other than loopback is refused unless this is set, and even then
    // while a well-known key is in use.
    bool allowRemote = false;
    // Host names accepted besides loopback names and the bound address (lower case).
    QStringList allowedHosts;
};

// The resources directory: installed next to the binary, else the source tree's (model's
// resourcesDirectory()).
QString defaultResourcesDirectory();

// The well-known keys of PROTOCOL.md 1.2, seeded on first start.
Identity guestIdentity();
Identity whiskSystemIdentity();

// The composition root of feedscope-engine: storage, invoker, API and HTTP server.
class Engine : public QObject
{
    Q_OBJECT

public:
    explicit Engine(EngineOptions options, QObject *parent = nullptr);
    ~Engine() override;

    bool start(QString *error);
    // Commits pending writes; call before exit.
    void stop();

    QString url() const;
    quint16 port() const;
    // Activations the previous run accepted and did not finish, recorded as failed by start().
    int repairedAtStart() const { return m_repairedAtStart; }

private:
    struct Parts;
    EngineOptions m_options;
    int m_repairedAtStart = 0;
    std::unique_ptr<Parts> m_parts;
};

} // namespace Feedscope::Engine
