// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "blueprintdeployer.h"
#include "whiskclient.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>

namespace Feedscope {

// What ensure() / remove() did.
struct DemoReport
{
    bool ok = false;
    QStringList deployed; // parts created now ("hook", "polling", "connection", "alarm")
    QStringList reused;   // parts that were already there
    QStringList removed;
    QString error; // the deploy's summary when it failed

    QString summary() const;
};

// The demo a new user sees on the local engine (DESIGN.md: one feed per pattern), made from
// blueprints like any user's feed, against the sample event service:
//   hook        demo-hook    ← the service's webhooks (hook template)
//   polling     demo-poll    ← its GET /events, every 2 s (polling template and an alarm)
//   connection  demo-stream  ← its SSE stream, through the engine's SSE provider
//   alarm       demo-tick    ← /whisk.system/alarms/alarm every 5 s
// each with a rule to a small action that logs what it receives. A part that exists and works
// (its rule is there, its feed's READ answers active) is reused, so starting Feedscope again
// deploys nothing twice; a part left half-made (a run cut off mid-deploy) is deployed again.
class DemoWorkspace : public QObject
{
    Q_OBJECT

public:
    enum class Part { Hook, Polling, Connection, Alarm };
    static QList<Part> allParts()
    {
        return {Part::Hook, Part::Polling, Part::Connection, Part::Alarm};
    }
    static QString partName(Part part);    // "hook", ...
    static QString triggerName(Part part); // "demo-hook", ...
    static bool usesService(Part part) { return part != Part::Alarm; }

    // The entities of `parts`, in deploy order, for a service at `serviceUrl`.
    static Result<QList<PlannedEntity>> entities(const QString &serviceUrl,
                                                 const QList<Part> &parts);

    explicit DemoWorkspace(WhiskClientPtr client, QObject *parent = nullptr);

    // Deploys the parts whose trigger does not exist yet; `redeployServiceParts` first removes
    // and then re-creates the parts that use the service (it moved to another port).
    void ensure(const QString &serviceUrl,
                bool redeployServiceParts,
                QObject *context,
                std::function<void(DemoReport)> done);
    // Removes every part (feeds through their DELETE, then the entities).
    void remove(const QString &serviceUrl, QObject *context, std::function<void(DemoReport)> done);

Q_SIGNALS:
    void progress(const QString &text);

private:
    struct PartsState
    {
        QList<Part> missing; // no trigger
        QList<Part> broken;  // a trigger, but no rule or no active feed entry
    };
    static QString ruleName(Part part);
    void checkParts(QList<Part> parts, PartsState state, std::function<void(PartsState)> done);

    WhiskClientPtr m_client;
    BlueprintDeployer m_deployer;
};

} // namespace Feedscope
