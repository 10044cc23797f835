// SPDX-License-Identifier: GPL-3.0-or-later
// The workspace (model/workspace.h) as a new user meets it: a first start brings up the local
// engine, the sample event service and the demo workspace, and events flow into all four demo
// triggers; a shutdown leaves no process and no listening port; a second start reuses the demo;
// switching profiles while an operation runs leaves nothing half-made.
#include "enginefixture.h"
#include "feedtesting.h"
#include "processtree.h"
#include "workspace.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Feedscope;
using Feedscope::Testing::acceptsConnections;
using Feedscope::Testing::freePort;
using Feedscope::Testing::processGone;

namespace {

constexpr int waitMs = 90000; // generous deadlines, no timing assertions

bool waitFor(const std::function<bool()> &condition)
{
    return Feedscope::Testing::waitFor(condition, waitMs);
}

const QStringList demoTriggers{QStringLiteral("demo-hook"),
                               QStringLiteral("demo-poll"),
                               QStringLiteral("demo-stream"),
                               QStringLiteral("demo-tick")};

} // namespace

class TestWorkspace : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    quint16 m_port = 0;

    WorkspaceOptions options() const
    {
        WorkspaceOptions o;
        o.stateDirectory = m_dir.filePath(QStringLiteral("state"));
        o.profilesPath = m_dir.filePath(QStringLiteral("profiles.json"));
        o.enginePath = QStringLiteral(FEEDSCOPE_ENGINE_PATH);
        o.engineDataDirectory = m_dir.filePath(QStringLiteral("engine"));
        o.enginePort = m_port;
        o.engineArguments = {QStringLiteral("--no-prewarm")};
        return o;
    }
    std::unique_ptr<Workspace> makeWorkspace()
    {
        return std::make_unique<Workspace>(
            options(), std::make_unique<FileKeyStore>(m_dir.filePath(QStringLiteral("keys.json"))));
    }
    static void shutDown(Workspace &workspace)
    {
        bool done = false;
        workspace.shutdown(&workspace, [&done] { done = true; });
        QVERIFY(waitFor([&] { return done; }));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_port = freePort();
        QVERIFY(m_port != 0);
        // The ~/.wskprops profile must not read the user's file.
        qputenv("WSK_CONFIG_FILE", m_dir.filePath(QStringLiteral("wskprops")).toUtf8());
    }

    void firstStartDeploysTheDemoAndEventsFlow()
    {
        auto workspace = makeWorkspace();
        workspace->start();
        QCOMPARE(workspace->currentProfile(), ProfileStore::localEngineName);
        QVERIFY(waitFor([&] { return workspace->state() == Workspace::State::Connected; }));
        QVERIFY(workspace->session());
        QVERIFY(waitFor(
            [&] { return !workspace->isDemoBusy() && workspace->sampleService()->isRunning(); }));
        QVERIFY2(workspace->demoStatus().contains(QLatin1String("deployed")),
                 qPrintable(workspace->demoStatus()));

        EntityTreeModel *tree = workspace->session()->tree();
        QVERIFY(waitFor([&] {
            for (const QString &t : demoTriggers) {
                if (!tree->indexOf(EntityTreeModel::Group::Triggers, t).isValid())
                    return false;
            }
            return true;
        }));
        QCOMPARE(tree->ns(), QStringLiteral("guest"));
        // Events flow through every pattern: each trigger has fired.
        for (const QString &t : demoTriggers) {
            QVERIFY2(waitFor([&] {
                         return tree->activity(EntityTreeModel::Group::Triggers, t).count > 0;
                     }),
                     qPrintable(t));
        }
        // ... and the actions behind them ran.
        QVERIFY(waitFor([&] {
            return tree->activity(EntityTreeModel::Group::Actions, QStringLiteral("demo-tick-log"))
                       .count
                   > 0;
        }));

        const qint64 enginePid = workspace->localEngine()->processId();
        const quint16 servicePort = workspace->sampleService()->port();
        QVERIFY(enginePid > 0);
        shutDown(*workspace);
        QVERIFY(processGone(enginePid));
        QVERIFY(!acceptsConnections(m_port));
        QVERIFY(!acceptsConnections(servicePort));
    }

    void secondStartReusesTheDemo()
    {
        auto workspace = makeWorkspace();
        workspace->start();
        QVERIFY(waitFor([&] {
            return workspace->state() == Workspace::State::Connected && !workspace->isDemoBusy()
                   && workspace->demoStatus().startsWith(QLatin1String("Demo workspace"));
        }));
        QVERIFY2(!workspace->demoStatus().contains(QLatin1String("deployed")),
                 qPrintable(workspace->demoStatus()));
        QVERIFY2(workspace->demoStatus().contains(
                     QLatin1String("reused hook, polling, connection, alarm")),
                 qPrintable(workspace->demoStatus()));
        // The hook still delivers after the service's restart (its registration was kept).
        EntityTreeModel *tree = workspace->session()->tree();
        QVERIFY(waitFor([&] {
            return tree->activity(EntityTreeModel::Group::Triggers, QStringLiteral("demo-hook"))
                       .count
                   > 0;
        }));
        shutDown(*workspace);
    }

    void halfMadePartsAreRedeployedAndOwedWorkIsRetried()
    {
        {
            // Break the hook part the way an interrupted deploy would (no rule), and leave a
            // provider entry whose trigger is gone, with its DELETE owed.
            auto workspace = makeWorkspace();
            workspace->start();
            QVERIFY(waitFor([&] {
                return workspace->state() == Workspace::State::Connected
                       && !workspace->isDemoBusy();
            }));
            const WhiskClientPtr client = workspace->session()->client();
            bool done = false;
            client->deleteRule(*QualifiedName::parse(QStringLiteral("demo-hook-rule")),
                               this,
                               [&](Result<Rule>) { done = true; });
            QVERIFY(waitFor([&] { return done; }));
            Operation *create = workspace->session()->lifecycle()->create(
                *QualifiedName::parse(QStringLiteral("/_/t-owed")),
                *QualifiedName::parse(QStringLiteral("/whisk.system/alarms/alarm")),
                {},
                QJsonObject{{QStringLiteral("cron"), QStringLiteral("0 0 1 1 *")}});
            bool created = false;
            connect(create, &Operation::finished, this, [&](const OperationReport &r) {
                created = r.ok;
            });
            QVERIFY(waitFor([&] { return created; }));
            done = false;
            client->deleteTrigger(*QualifiedName::parse(QStringLiteral("t-owed")),
                                  this,
                                  [&](Result<Trigger>) { done = true; });
            QVERIFY(waitFor([&] { return done; }));
            Tombstone owed;
            owed.trigger = QStringLiteral("/guest/t-owed");
            owed.feed = QStringLiteral("/whisk.system/alarms/alarm");
            owed.apiHost = client->endpoint().apiHost;
            owed.ns = client->endpoint().ns;
            workspace->lifecycleJournal()->addTombstone(owed);
            shutDown(*workspace);
        }
        auto workspace = makeWorkspace();
        workspace->start();
        QVERIFY(waitFor([&] {
            return workspace->state() == Workspace::State::Connected && !workspace->isDemoBusy()
                   && workspace->demoStatus().startsWith(QLatin1String("Demo workspace"));
        }));
        QVERIFY2(workspace->demoStatus().contains(QLatin1String("deployed hook")),
                 qPrintable(workspace->demoStatus()));
        QVERIFY2(
            workspace->demoStatus().contains(QLatin1String("reused polling, connection, alarm")),
            qPrintable(workspace->demoStatus()));
        // The owed DELETE went to the provider when the session opened.
        QVERIFY(waitFor([&] { return workspace->lifecycleJournal()->tombstones().isEmpty(); }));
        EntityTreeModel *tree = workspace->session()->tree();
        QVERIFY(waitFor([&] {
            return tree->activity(EntityTreeModel::Group::Actions,
                                  QStringLiteral("demo-hook-handler"))
                       .count
                   > 0;
        }));
        shutDown(*workspace);
    }

    void switchingProfilesMidOperationLeavesNothingHalfMade()
    {
        auto workspace = makeWorkspace();
        workspace->start();
        QVERIFY(waitFor([&] { return workspace->state() == Workspace::State::Connected; }));
        Session *session = workspace->session();
        QPointer<Operation> op = session->lifecycle()->create(
            *QualifiedName::parse(QStringLiteral("/_/t-switch")),
            *QualifiedName::parse(QStringLiteral("/whisk.system/alarms/alarm")),
            {},
            QJsonObject{{QStringLiteral("cron"), QStringLiteral("0 0 1 1 *")}});
        std::optional<OperationReport> report;
        connect(op, &Operation::finished, this, [&](const OperationReport &r) { report = r; });
        // A profile that cannot connect (no key): the session goes at once.
        workspace->switchTo(ProfileStore::wskPropsName);
        QVERIFY(!workspace->session() || workspace->session() != session);
        QVERIFY(waitFor([&] { return report.has_value(); }));
        QVERIFY2(report->ok, qPrintable(report->summary()));
        QCOMPARE(workspace->state(), Workspace::State::Failed);

        // Back on the local engine: the trigger and its feed entry are both there.
        workspace->switchTo(ProfileStore::localEngineName);
        QVERIFY(waitFor([&] { return workspace->state() == Workspace::State::Connected; }));
        Operation *read = workspace->session()->lifecycle()->read(
            *QualifiedName::parse(QStringLiteral("/_/t-switch")));
        std::optional<OperationReport> readReport;
        connect(
            read, &Operation::finished, this, [&](const OperationReport &r) { readReport = r; });
        QVERIFY(waitFor([&] { return readReport.has_value(); }));
        QVERIFY2(readReport->ok, qPrintable(readReport->summary()));
        QVERIFY(workspace->lifecycleJournal()->tombstones().isEmpty());
        shutDown(*workspace);
    }

    void lastProfileIsRemembered()
    {
        auto workspace = makeWorkspace();
        workspace->start();
        QCOMPARE(workspace->currentProfile(), ProfileStore::localEngineName);
        workspace->switchTo(ProfileStore::wskPropsName);
        shutDown(*workspace);
        auto again = makeWorkspace();
        again->start();
        QCOMPARE(again->currentProfile(), ProfileStore::wskPropsName);
        QVERIFY(waitFor([&] { return again->state() == Workspace::State::Failed; }));
        QVERIFY2(again->stateMessage().contains(QLatin1String("API host")),
                 qPrintable(again->stateMessage()));
        again->switchTo(ProfileStore::localEngineName);
        shutDown(*again);
    }
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
