// SPDX-License-Identifier: GPL-3.0-or-later
// The model's multi-request operations against a real feedscope-engine through a fault-injecting
// proxy (tests/support/faultproxy.h). Each operation runs once fault-free to learn how many
// requests it makes; then, for every request i, once per fault kind with request i broken. Every
// run must end without orphaned state — completed, rolled back, or with a tombstone that a retry
// clears — checked against the engine (trigger, alarms provider entry), and its report must say
// that it failed, and at which step, when it failed.
#include "blueprintdeployer.h"
#include "blueprints.h"
#include "enginefixture.h"
#include "faultproxy.h"
#include "feedlifecycle.h"
#include "feedtesting.h"
#include "lifecyclejournal.h"
#include "operationtesting.h"
#include "whiskclient.h"

#include <QTest>
#include <QUrl>

#include <functional>
#include <optional>

using namespace Feedscope;
using namespace Feedscope::Testing;

namespace {

using Fault = FaultProxy::Fault;

const QString alarmFeed = QStringLiteral("/whisk.system/alarms/alarm");
// Never fires during a test run.
const QString quietCron = QStringLiteral("0 0 1 1 *");
const QString otherCron = QStringLiteral("0 0 2 1 *");

// Broken at each request: nothing forwarded (a close, a 503 of the proxy's own) or forwarded and
// the answer lost (cut, reset), so the engine did the work the client never heard of.
const QList<Fault> faultKinds{Fault::Drop, Fault::Unavailable, Fault::CutResponse, Fault::Reset};

QualifiedName qn(const QString &trigger)
{
    return *QualifiedName::parse(QStringLiteral("/_/") + trigger);
}

// The engine's view of one feed trigger.
struct FeedState
{
    bool trigger = false;
    bool entry = false;
    bool active = false;
    QString cron;

    QString describe() const
    {
        return QStringLiteral("trigger %1, provider entry %2%3")
            .arg(trigger ? QStringLiteral("present") : QStringLiteral("absent"),
                 entry ? QStringLiteral("present") : QStringLiteral("absent"),
                 entry ? QStringLiteral(" (%1, %2)")
                             .arg(active ? QStringLiteral("active") : QStringLiteral("paused"),
                                  cron)
                       : QString());
    }
};

} // namespace

class TestNetworkFaults : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;
    std::unique_ptr<FaultProxy> m_proxy;
    WhiskClientPtr m_client = WhiskClient::create({});
    LifecycleJournalPtr m_journal = std::make_shared<LifecycleJournal>();
    std::unique_ptr<FeedLifecycle> m_lifecycle;
    int m_serial = 0;
    int m_runs = 0;
    int m_completed = 0;
    int m_rolledBack = 0;
    int m_tombstoned = 0;

    FeedState stateOf(const QString &trigger)
    {
        FeedState s;
        s.trigger = m_engine.get(api(QStringLiteral("triggers/") + trigger)).status == 200;
        const QJsonObject entry = alarmEntry(m_engine, trigger);
        s.entry = !entry.isEmpty();
        s.active = entry.value(QLatin1String("status"))
                       .toObject()
                       .value(QLatin1String("active"))
                       .toBool();
        s.cron = entry.value(QLatin1String("config"))
                     .toObject()
                     .value(QLatin1String("cron"))
                     .toString();
        return s;
    }

    OperationReport finish(Operation *op)
    {
        const auto report = waitForReport(op);
        if (!report)
            qWarning("operation did not finish");
        return report.value_or(OperationReport{});
    }

    // A feed trigger made fault-free through the proxy.
    bool createAlarm(const QString &trigger, const QString &cron = quietCron)
    {
        const OperationReport r = finish(
            m_lifecycle->create(qn(trigger),
                                *QualifiedName::parse(alarmFeed),
                                {},
                                QJsonObject{{QStringLiteral("cron"), cron}}));
        if (!r.ok)
            qWarning("%s", qPrintable(r.summary()));
        return r.ok;
    }

    // Retries the journal's tombstones fault-free; true when none is left.
    bool retryTombstones()
    {
        std::optional<int> cleared;
        m_lifecycle->retryTombstones(this, [&](int, int c) { cleared = c; });
        waitFor([&] { return cleared.has_value(); });
        return m_journal->tombstones().isEmpty();
    }

    // One lifecycle operation under every fault at every request. `prepare` makes the trigger's
    // starting state (fault-free); `start` runs the operation; `verify` checks the engine's
    // state after the run (and after a tombstone's retry): given whether the report says ok.
    void runLifecycle(const QString &what,
                      const std::function<bool(const QString &)> &prepare,
                      const std::function<Operation *(const QString &)> &start,
                      const std::function<bool(const FeedState &, bool ok)> &verify)
    {
        // Fault-free: how many requests the operation makes.
        const QString base = QStringLiteral("nf%1").arg(++m_serial);
        QVERIFY(prepare(base));
        m_proxy->reset();
        const OperationReport clean = finish(start(base));
        QVERIFY2(clean.ok, qPrintable(clean.summary()));
        const int requests = m_proxy->requestCount();
        const QStringList cleanLog = m_proxy->log();
        QVERIFY2(requests > 0, qPrintable(what));
        QVERIFY2(verify(stateOf(base), true), qPrintable(stateOf(base).describe()));
        qInfo("%s: %d requests: %s",
              qPrintable(what),
              requests,
              qPrintable(cleanLog.join(QStringLiteral(", "))));

        for (int i = 1; i <= requests; ++i) {
            for (const Fault fault : faultKinds) {
                const QString trigger = QStringLiteral("nf%1").arg(++m_serial);
                QVERIFY(prepare(trigger));
                QVERIFY(m_journal->tombstones().isEmpty());
                m_proxy->reset();
                m_proxy->addRule(FaultProxy::Rule{fault, i});
                const OperationReport r = finish(start(trigger));
                const QStringList log = m_proxy->log();
                m_proxy->reset();
                const QString context
                    = QStringLiteral("%1, %2 at request %3 (%4): %5\n  requests: %6")
                          .arg(what, FaultProxy::faultName(fault))
                          .arg(i)
                          .arg(cleanLog.value(i - 1), r.summary(), log.join(QStringLiteral(", ")));
                checkReport(r, context);
                if (QTest::currentTestFailed())
                    return;
                ++m_runs;
                const bool tombstoned = !m_journal->tombstones().isEmpty();
                if (tombstoned) {
                    ++m_tombstoned;
                    QVERIFY2(retryTombstones(), qPrintable(context));
                } else if (r.ok) {
                    ++m_completed;
                } else {
                    ++m_rolledBack;
                }
                const FeedState state = stateOf(trigger);
                QVERIFY2(verify(state, r.ok),
                         qPrintable(context + QStringLiteral("\n  engine: ") + state.describe()));
            }
        }
    }

    // A report that failed says so, names the step and why.
    static void checkReport(const OperationReport &r, const QString &context)
    {
        QVERIFY2(!r.title.isEmpty(), qPrintable(context));
        if (r.ok) {
            QVERIFY2(r.failedStep == -1 && r.errorMessage.isEmpty(), qPrintable(context));
            return;
        }
        QVERIFY2(r.failedStep >= 0 && r.failedStep < r.steps.size(), qPrintable(context));
        QVERIFY2(r.failedStepName == r.steps.at(r.failedStep), qPrintable(context));
        QVERIFY2(r.errorMessage.startsWith(r.failedStepName), qPrintable(context));
        QVERIFY2(r.summary().contains(QStringLiteral("failed at step")), qPrintable(context));
    }

    std::optional<DeployReport> runDeployer(const DeployPlan &plan, bool teardown)
    {
        BlueprintDeployer deployer(m_client);
        std::optional<DeployReport> report;
        if (teardown)
            deployer.teardown(plan, this, [&](DeployReport r) { report = r; });
        else
            deployer.deploy(plan, this, [&](DeployReport r) { report = r; });
        waitFor([&] { return report.has_value(); });
        return report;
    }

    // An action, an alarms feed trigger and a rule between them.
    static DeployPlan plan(const QString &base)
    {
        QList<PlannedEntity> entities;
        entities.append(PlannedEntity::makeAction(base + QStringLiteral("-a"),
                                                  QStringLiteral("nodejs:20"),
                                                  QStringLiteral("function main(p) { return p; }"),
                                                  QStringLiteral("a.js")));
        entities.append(PlannedEntity::makeTrigger(base + QStringLiteral("-t"),
                                                   alarmFeed,
                                                   QJsonObject{{QStringLiteral("cron"),
                                                                quietCron}}));
        entities.append(PlannedEntity::makeRule(base + QStringLiteral("-r"),
                                                base + QStringLiteral("-t"),
                                                base + QStringLiteral("-a")));
        return DeployPlan::fromEntities(entities);
    }

    // The engine's state of a plan: how many of its entities exist, and the feed trigger's.
    int entitiesPresent(const QString &base)
    {
        int present = 0;
        const QStringList paths{QStringLiteral("actions/") + base + QStringLiteral("-a"),
                                QStringLiteral("rules/") + base + QStringLiteral("-r")};
        for (const QString &path : paths) {
            if (m_engine.get(api(path)).status == 200)
                ++present;
        }
        return present;
    }

    // A deploy (teardown = false) or a teardown of a deployed plan under every fault. A run
    // that fails is retried (a deploy's failure must have rolled back: deploying again
    // completes; a teardown's is run again) and must then end clean.
    void runDeployer(bool teardown)
    {
        const auto prepare = [&](const QString &base) {
            if (!teardown)
                return true;
            const auto r = runDeployer(plan(base), false);
            return r && r->ok;
        };
        const QString base = QStringLiteral("nf%1").arg(++m_serial);
        QVERIFY(prepare(base));
        m_proxy->reset();
        const auto clean = runDeployer(plan(base), teardown);
        QVERIFY2(clean && clean->ok, clean ? qPrintable(clean->summary()) : "no report");
        const int requests = m_proxy->requestCount();
        const QStringList cleanLog = m_proxy->log();
        qInfo("%s: %d requests: %s",
              teardown ? "blueprint teardown" : "blueprint deploy",
              requests,
              qPrintable(cleanLog.join(QStringLiteral(", "))));

        for (int i = 1; i <= requests; ++i) {
            for (const Fault fault : faultKinds) {
                const QString name = QStringLiteral("nf%1").arg(++m_serial);
                QVERIFY(prepare(name));
                m_proxy->reset();
                m_proxy->addRule(FaultProxy::Rule{fault, i});
                const auto r = runDeployer(plan(name), teardown);
                const QStringList log = m_proxy->log();
                m_proxy->reset();
                QVERIFY(r.has_value());
                const QString context
                    = QStringLiteral("%1, %2 at request %3 (%4): %5\n  requests: %6")
                          .arg(teardown ? QStringLiteral("teardown") : QStringLiteral("deploy"),
                               FaultProxy::faultName(fault))
                          .arg(i)
                          .arg(cleanLog.value(i - 1), r->summary(), log.join(QStringLiteral(", ")));
                ++m_runs;
                FeedState state = stateOf(name + QStringLiteral("-t"));
                int others = entitiesPresent(name);
                const QString engine = QStringLiteral("\n  engine: %1, %2 of action/rule present")
                                           .arg(state.describe())
                                           .arg(others);
                // Never a trigger without its provider entry or the other way round, except
                // after a failed teardown, which keeps a trigger whose feed DELETE got no
                // answer (run again, it completes).
                QVERIFY2(state.trigger == state.entry || (teardown && !r->ok),
                         qPrintable(context + engine));
                if (r->ok) {
                    ++m_completed;
                    QVERIFY2(teardown ? !state.trigger && others == 0
                                      : state.trigger && state.active && others == 2,
                             qPrintable(context + engine));
                    continue;
                }
                QVERIFY2(!r->error.isEmpty() || !r->problems.isEmpty(), qPrintable(context));
                if (!teardown) {
                    // A failed deploy names its step and rolled back what it made.
                    QVERIFY2(r->failedStep >= 0, qPrintable(context));
                    QVERIFY2(r->summary().contains(r->steps.at(r->failedStep).description),
                             qPrintable(context));
                    QVERIFY2(!state.trigger && others == 0, qPrintable(context + engine));
                    ++m_rolledBack;
                    continue;
                }
                // A failed teardown lists what it could not remove; run again, it completes.
                ++m_tombstoned;
                const auto again = runDeployer(plan(name), true);
                QVERIFY2(again && again->ok,
                         qPrintable(context + QStringLiteral("\n  again: ")
                                    + (again ? again->summary() : QString())));
                state = stateOf(name + QStringLiteral("-t"));
                others = entitiesPresent(name);
                QVERIFY2(!state.trigger && !state.entry && others == 0,
                         qPrintable(context + QStringLiteral("\n  after the second teardown: ")
                                    + state.describe()));
            }
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        m_proxy = std::make_unique<FaultProxy>(quint16(QUrl(m_engine.baseUrl()).port()));
        QVERIFY(m_proxy->listen());
        m_client->setEndpoint(
            WhiskEndpoint{m_proxy->baseUrl(), QString::fromLatin1(guestKey), QStringLiteral("_")});
        m_lifecycle = std::make_unique<FeedLifecycle>(m_client, m_journal);
    }

    void proxyPassesAndBreaks()
    {
        // The proxy itself: a 503 of its own, then a clean answer on the same client.
        m_proxy->reset();
        m_proxy->addRule(FaultProxy::Rule{Fault::Unavailable, 0, QRegularExpression(QStringLiteral("GET .*/triggers"))});
        std::optional<Result<QList<Trigger>>> listed;
        m_client->listTriggers(10, 0, this, [&](Result<QList<Trigger>> r) { listed = r; });
        QVERIFY(waitFor([&] { return listed.has_value(); }));
        QVERIFY(!listed->ok());
        QCOMPARE(listed->error().httpStatus, 503);
        listed.reset();
        m_client->listTriggers(10, 0, this, [&](Result<QList<Trigger>> r) { listed = r; });
        QVERIFY(waitFor([&] { return listed.has_value(); }));
        QVERIFY(listed->ok());
        QCOMPARE(m_proxy->requestCount(), 2);
        QCOMPARE(m_proxy->faultsInjected(), 1);
    }

    void create()
    {
        runLifecycle(
            QStringLiteral("create"),
            [](const QString &) { return true; },
            [&](const QString &t) {
                return m_lifecycle->create(qn(t),
                                           *QualifiedName::parse(alarmFeed),
                                           {},
                                           QJsonObject{{QStringLiteral("cron"), quietCron}});
            },
            [](const FeedState &s, bool ok) {
                return ok ? s.trigger && s.entry && s.active : !s.trigger && !s.entry;
            });
    }

    void update()
    {
        runLifecycle(
            QStringLiteral("update"),
            [&](const QString &t) { return createAlarm(t); },
            [&](const QString &t) {
                return m_lifecycle->update(qn(t),
                                           QJsonObject{{QStringLiteral("cron"), otherCron}});
            },
            [](const FeedState &s, bool ok) {
                // A failed UPDATE whose answer was lost may have been applied: either cron, but
                // never a trigger without its entry.
                return s.trigger && s.entry && (!ok || s.cron == otherCron);
            });
    }

    void remove()
    {
        runLifecycle(
            QStringLiteral("delete"),
            [&](const QString &t) { return createAlarm(t); },
            [&](const QString &t) { return m_lifecycle->remove(qn(t)); },
            [](const FeedState &s, bool ok) {
                return ok ? !s.trigger && !s.entry : s.trigger == s.entry;
            });
    }

    void pause()
    {
        runLifecycle(
            QStringLiteral("pause"),
            [&](const QString &t) { return createAlarm(t); },
            [&](const QString &t) { return m_lifecycle->pause(qn(t)); },
            [](const FeedState &s, bool ok) {
                return s.trigger && s.entry && (!ok || !s.active);
            });
    }

    void unpause()
    {
        runLifecycle(
            QStringLiteral("unpause"),
            [&](const QString &t) {
                return createAlarm(t) && finish(m_lifecycle->pause(qn(t))).ok;
            },
            [&](const QString &t) { return m_lifecycle->unpause(qn(t)); },
            [](const FeedState &s, bool ok) {
                return s.trigger && s.entry && (!ok || s.active);
            });
    }

    void blueprintDeploy() { runDeployer(false); }
    void blueprintTeardown() { runDeployer(true); }

    void cleanupTestCase()
    {
        qInfo("fault runs: %d — completed %d, rolled back %d, tombstoned (or retried) and "
              "cleared %d",
              m_runs,
              m_completed,
              m_rolledBack,
              m_tombstoned);
        m_proxy.reset();
    }
};

QTEST_GUILESS_MAIN(TestNetworkFaults)
#include "tst_networkfaults.moc"
