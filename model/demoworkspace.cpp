// SPDX-License-Identifier: GPL-3.0-or-later
#include "demoworkspace.h"

#include "feedcall.h"
#include "guardedcallback.h"

namespace Feedscope {

namespace {

const char logSource[] = R"js(// Feedscope demo: logs what the alarm delivers.
function main(params) {
    console.log(`tick at ${new Date().toISOString()}: ${JSON.stringify(params)}`);
    return { received: params };
}
)js";

} // namespace

QString DemoReport::summary() const
{
    if (!ok)
        return QStringLiteral("The demo could not be deployed: %1").arg(error);
    QStringList parts;
    if (!deployed.isEmpty())
        parts << QStringLiteral("deployed %1").arg(deployed.join(QStringLiteral(", ")));
    if (!reused.isEmpty())
        parts << QStringLiteral("reused %1").arg(reused.join(QStringLiteral(", ")));
    if (!removed.isEmpty())
        parts << QStringLiteral("removed %1").arg(removed.join(QStringLiteral(", ")));
    return QStringLiteral("Demo workspace: ") + parts.join(QStringLiteral("; ")) + u'.';
}

QString DemoWorkspace::partName(Part part)
{
    switch (part) {
    case Part::Hook: return QStringLiteral("hook");
    case Part::Polling: return QStringLiteral("polling");
    case Part::Connection: return QStringLiteral("connection");
    case Part::Alarm: return QStringLiteral("alarm");
    }
    return {};
}

QString DemoWorkspace::triggerName(Part part)
{
    switch (part) {
    case Part::Hook: return QStringLiteral("demo-hook");
    case Part::Polling: return QStringLiteral("demo-poll");
    case Part::Connection: return QStringLiteral("demo-stream");
    case Part::Alarm: return QStringLiteral("demo-tick");
    }
    return {};
}

Result<QList<PlannedEntity>> DemoWorkspace::entities(const QString &serviceUrl,
                                                     const QList<Part> &parts)
{
    QList<PlannedEntity> all;
    for (Part part : parts) {
        if (part == Part::Alarm) {
            all.append(PlannedEntity::makeAction(
                QStringLiteral("demo-tick-log"),
                QStringLiteral("nodejs:20"),
                QString::fromUtf8(logSource),
                QStringLiteral("demo-tick-log.js"),
                {},
                {{QStringLiteral("description"), QStringLiteral("Logs every tick of demo-tick")}}));
            all.append(PlannedEntity::makeTrigger(
                triggerName(part),
                QStringLiteral("/whisk.system/alarms/alarm"),
                {{QStringLiteral("cron"), QStringLiteral("*/5 * * * * *")},
                 {QStringLiteral("trigger_payload"), QJsonObject{{QStringLiteral("tick"), true}}}},
                QStringLiteral("_"),
                {},
                {{QStringLiteral("description"), QStringLiteral("Fires every 5 seconds")}}));
            all.append(PlannedEntity::makeRule(QStringLiteral("demo-tick-rule"),
                                               triggerName(part),
                                               QStringLiteral("demo-tick-log")));
            continue;
        }
        BlueprintInputs inputs;
        inputs.name = triggerName(part);
        switch (part) {
        case Part::Hook:
            inputs.pattern = FeedPattern::Hook;
            inputs.sourceUrl = serviceUrl;
            break;
        case Part::Polling:
            inputs.pattern = FeedPattern::Polling;
            inputs.sourceUrl = serviceUrl;
            inputs.schedule = QStringLiteral("*/2 * * * * *");
            break;
        default:
            inputs.pattern = FeedPattern::Connection;
            inputs.sourceUrl = serviceUrl + QStringLiteral("/stream");
            break;
        }
        const Result<Blueprint> blueprint = Blueprint::build(inputs);
        if (!blueprint)
            return blueprint.error();
        all.append(blueprint->entities);
    }
    return all;
}

DemoWorkspace::DemoWorkspace(WhiskClientPtr client, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_deployer(client)
{
    connect(&m_deployer, &BlueprintDeployer::stepStarted, this, [this](int, const QString &text) {
        Q_EMIT progress(text);
    });
}

QString DemoWorkspace::ruleName(Part part)
{
    return triggerName(part) + QStringLiteral("-rule");
}

void DemoWorkspace::checkParts(QList<Part> parts,
                               PartsState state,
                               std::function<void(PartsState)> done)
{
    if (parts.isEmpty()) {
        done(state);
        return;
    }
    const Part part = parts.takeFirst();
    const auto next = [this, parts, done](PartsState s) {
        checkParts(parts, s, done);
    };
    const auto trigger = m_client->qualify(triggerName(part));
    m_client->getTrigger(*trigger, this, [this, part, state, next](Result<Trigger> r) mutable {
        if (!r) {
            state.missing.append(part);
            next(state);
            return;
        }
        // A part that exists must also work: its rule is there and its feed answers READ with an
        // active entry (an earlier run may have been cut off half-way).
        const auto feed = m_client->qualify(r->feed());
        const auto rule = m_client->qualify(ruleName(part));
        m_client->getRule(*rule, this, [this, part, state, next, feed](Result<Rule> found) mutable {
            if (!found || !feed) {
                state.broken.append(part);
                next(state);
                return;
            }
            invokeFeed(*m_client,
                       *feed,
                       QStringLiteral("READ"),
                       QStringLiteral("/_/") + triggerName(part),
                       {},
                       this,
                       [part, state, next](FeedAnswer answer) mutable {
                           const QJsonObject status
                               = answer.result.toObject().value(QLatin1String("status")).toObject();
                           if (!answer.ok || !status.value(QLatin1String("active")).toBool(true))
                               state.broken.append(part);
                           next(state);
                       });
        });
    });
}

void DemoWorkspace::ensure(const QString &serviceUrl,
                           bool redeployServiceParts,
                           QObject *context,
                           std::function<void(DemoReport)> done)
{
    const GuardedCallback<const DemoReport &> answer(context, std::move(done));
    Q_EMIT progress(tr("Checking the demo workspace…"));
    checkParts(allParts(), {}, [this, serviceUrl, redeployServiceParts, answer](PartsState state) {
        DemoReport report;
        const QList<Part> missing = state.missing;
        QList<Part> stale;
        for (Part part : allParts()) {
            if (missing.contains(part))
                continue;
            // Half-made (cut off mid-deploy) or pointing at the service's old address.
            if (state.broken.contains(part) || (redeployServiceParts && usesService(part)))
                stale.append(part);
            else
                report.reused.append(partName(part));
        }
        const auto deployMissing
            = [this, serviceUrl, answer](QList<Part> toDeploy, DemoReport report) {
                  if (toDeploy.isEmpty()) {
                      report.ok = true;
                      answer(report);
                      return;
                  }
                  const auto planned = entities(serviceUrl, toDeploy);
                  if (!planned) {
                      report.error = planned.error().message;
                      answer(report);
                      return;
                  }
                  m_deployer.deploy(DeployPlan::fromEntities(*planned),
                                    this,
                                    [answer, toDeploy, report](DeployReport deployed) mutable {
                                        report.ok = deployed.ok;
                                        if (deployed.ok) {
                                            for (Part part : toDeploy)
                                                report.deployed.append(partName(part));
                                        } else {
                                            report.error = deployed.summary();
                                        }
                                        answer(report);
                                    });
              };
        if (stale.isEmpty()) {
            deployMissing(missing, report);
            return;
        }
        // The service moved: its feeds point at the old address. Take them down (their DELETE
        // unregisters what is left), then deploy them again.
        const auto planned = entities(serviceUrl, stale);
        m_deployer.teardown(DeployPlan::fromEntities(*planned),
                            this,
                            [deployMissing, missing, stale, report](DeployReport) mutable {
                                for (Part part : stale)
                                    report.removed.append(partName(part));
                                deployMissing(missing + stale, report);
                            });
    });
}

void DemoWorkspace::remove(const QString &serviceUrl,
                           QObject *context,
                           std::function<void(DemoReport)> done)
{
    const GuardedCallback<const DemoReport &> answer(context, std::move(done));
    const auto planned = entities(serviceUrl, allParts());
    if (!planned) {
        DemoReport report;
        report.error = planned.error().message;
        answer(report);
        return;
    }
    m_deployer.teardown(DeployPlan::fromEntities(*planned), this, [answer](DeployReport torn) {
        DemoReport report;
        report.ok = torn.problems.isEmpty();
        report.error = torn.problems.join(QStringLiteral("; "));
        for (Part part : allParts())
            report.removed.append(partName(part));
        answer(report);
    });
}

} // namespace Feedscope
