// SPDX-License-Identifier: GPL-3.0-or-later
// Who keeps a feed operation alive (model/feedlifecycle.h, model/operation.h): an operation
// whose starter, FeedLifecycle and client owner are all gone still runs to its end; one that is
// destroyed mid-run leaves a tombstone, and a retry of that tombstone leaves nothing half-made.
// Against a real feedscope-engine, with feed actions slowed down so an operation can be caught
// in the middle of a lifecycle call.
#include "enginefixture.h"
#include "feedlifecycle.h"
#include "feedtesting.h"
#include "lifecyclejournal.h"
#include "operationtesting.h"
#include "whiskclient.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace Feedscope;
using namespace Feedscope::Testing;

namespace {

const QString quietCron = QStringLiteral("0 0 1 1 *");
const QString otherCron = QStringLiteral("0 0 2 1 *");

QualifiedName qn(const QString &text)
{
    return *QualifiedName::parse(text);
}

} // namespace

class TestOperationLifetime : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;
    QTemporaryDir m_dir;

    WhiskEndpoint endpoint() const
    {
        return WhiskEndpoint{
            m_engine.baseUrl(), QString::fromLatin1(guestKey), QStringLiteral("_")};
    }

    // A feed action in guest that drives the alarms provider (resources/catalog/providerfeed),
    // waits `delayMs` after each event in `slowEvents` has reached the provider, and refuses the
    // events in `refused` as unsupported.
    void deploySlowFeed(const QString &name,
                        const QStringList &slowEvents,
                        int delayMs,
                        const QStringList &refused = {})
    {
        FeedMisbehaviour how;
        how.refused = refused;
        how.slow = slowEvents;
        how.delayMs = delayMs;
        const auto r = m_engine.put(QStringLiteral("/api/v1/namespaces/guest/actions/") + name
                                        + QStringLiteral("?overwrite=true"),
                                    misbehavingAlarmFeed(how));
        QVERIFY2(r.status == 200, r.body.constData());
    }

    int triggerStatus(const QString &name)
    {
        return m_engine.get(QStringLiteral("/api/v1/namespaces/guest/triggers/") + name).status;
    }

    QJsonObject providerEntry(const QString &name) { return alarmEntry(m_engine, name); }

    // Retries every tombstone of the endpoint with a fresh client; true when all were cleared.
    bool retryAll(const LifecycleJournalPtr &journal)
    {
        const WhiskClientPtr client = WhiskClient::create(endpoint());
        std::optional<int> cleared;
        int retried = 0;
        journal->retryTombstones(client, this, [&](int r, int c) {
            retried = r;
            cleared = c;
        });
        if (!waitFor([&] { return cleared.has_value(); }))
            return false;
        return *cleared == retried;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        deploySlowFeed(QStringLiteral("slow-create"), {QStringLiteral("CREATE")}, 1500);
        deploySlowFeed(QStringLiteral("slow-delete"), {QStringLiteral("DELETE")}, 1500);
        deploySlowFeed(QStringLiteral("slow-recreate"),
                       {QStringLiteral("CREATE")},
                       1500,
                       {QStringLiteral("UPDATE")});
    }

    // The profile switch case: the starter drops the client and the lifecycle right away.
    void operationOutlivesItsOwners()
    {
        Operation *op = nullptr;
        {
            const WhiskClientPtr client = WhiskClient::create(endpoint());
            FeedLifecycle lifecycle(client, std::make_shared<LifecycleJournal>());
            op = lifecycle.create(qn(QStringLiteral("/_/t-outlive")),
                                  qn(QStringLiteral("/_/slow-create")),
                                  {},
                                  QJsonObject{{QStringLiteral("cron"), quietCron}});
        }
        const auto report = waitForReport(op);
        QVERIFY(report);
        QVERIFY2(report->ok, qPrintable(report->summary()));
        QCOMPARE(triggerStatus(QStringLiteral("t-outlive")), 200);
        QCOMPARE(providerEntry(QStringLiteral("t-outlive"))
                     .value(QLatin1String("config"))
                     .toObject()
                     .value(QLatin1String("cron"))
                     .toString(),
                 quietCron);
    }

    void rollbackOutlivesItsOwners()
    {
        Operation *op = nullptr;
        {
            const WhiskClientPtr client = WhiskClient::create(endpoint());
            FeedLifecycle lifecycle(client, std::make_shared<LifecycleJournal>());
            op = lifecycle.create(qn(QStringLiteral("/_/t-rollback")),
                                  qn(QStringLiteral("/_/slow-create")),
                                  {},
                                  QJsonObject{{QStringLiteral("cron"), QStringLiteral("bad")}});
        }
        const auto report = waitForReport(op);
        QVERIFY(report);
        QVERIFY(!report->ok);
        QVERIFY2(report->undoErrors.isEmpty(), qPrintable(report->summary()));
        QCOMPARE(triggerStatus(QStringLiteral("t-rollback")), 404);
    }

    void destroyedDuringCreateLeavesATombstone()
    {
        auto journal
            = std::make_shared<LifecycleJournal>(m_dir.filePath(QStringLiteral("create.json")));
        FeedLifecycle lifecycle(WhiskClient::create(endpoint()), journal);
        QPointer<Operation> op = lifecycle.create(qn(QStringLiteral("/_/t-cut")),
                                                  qn(QStringLiteral("/_/slow-create")),
                                                  {},
                                                  QJsonObject{{QStringLiteral("cron"), quietCron}});
        // The provider has the entry; the feed action still runs (its answer is 1.5 s away).
        // (Look at the provider only once the trigger exists: the look-up would create it.)
        QVERIFY(waitFor([&] { return triggerStatus(QStringLiteral("t-cut")) == 200; }));
        QVERIFY(waitFor([&] { return !providerEntry(QStringLiteral("t-cut")).isEmpty(); }));
        QVERIFY(op && !op->isFinished());
        delete op.data();

        QCOMPARE(journal->tombstones().size(), 1);
        const Tombstone t = journal->tombstones().first();
        QCOMPARE(t.work, Tombstone::Work::DeleteFeedAndTrigger);
        QCOMPARE(t.trigger, QStringLiteral("/guest/t-cut"));
        QCOMPARE(t.feed, QStringLiteral("/_/slow-create")); // as the annotation names it
        // Written to disk at once: a crash right after loses nothing.
        QCOMPARE(LifecycleJournal(journal->path()).tombstones().size(), 1);

        QVERIFY(retryAll(journal));
        QVERIFY(journal->tombstones().isEmpty());
        QCOMPARE(triggerStatus(QStringLiteral("t-cut")), 404);
        QVERIFY(providerEntry(QStringLiteral("t-cut")).isEmpty());
    }

    void destroyedDuringDeleteLeavesATombstone()
    {
        auto journal = std::make_shared<LifecycleJournal>();
        FeedLifecycle lifecycle(WhiskClient::create(endpoint()), journal);
        const auto created
            = waitForReport(lifecycle.create(qn(QStringLiteral("/_/t-halfgone")),
                                             qn(QStringLiteral("/_/slow-delete")),
                                             {},
                                             QJsonObject{{QStringLiteral("cron"), quietCron}}));
        QVERIFY(created && created->ok);

        QPointer<Operation> op = lifecycle.remove(qn(QStringLiteral("/_/t-halfgone")));
        QVERIFY(waitFor([&] { return providerEntry(QStringLiteral("t-halfgone")).isEmpty(); }));
        QVERIFY(op && !op->isFinished());
        delete op.data();
        // The feed entry is gone but the trigger is still there: half-made, unless owed.
        QCOMPARE(triggerStatus(QStringLiteral("t-halfgone")), 200);
        QCOMPARE(journal->tombstones().size(), 1);
        QCOMPARE(journal->tombstones().first().work, Tombstone::Work::DeleteFeedAndTrigger);

        QVERIFY(retryAll(journal));
        QCOMPARE(triggerStatus(QStringLiteral("t-halfgone")), 404);
    }

    void destroyedDuringRecreateLeavesATombstone()
    {
        auto journal = std::make_shared<LifecycleJournal>();
        FeedLifecycle lifecycle(WhiskClient::create(endpoint()), journal);
        const auto created
            = waitForReport(lifecycle.create(qn(QStringLiteral("/_/t-recreate")),
                                             qn(QStringLiteral("/_/slow-recreate")),
                                             {},
                                             QJsonObject{{QStringLiteral("cron"), quietCron}}));
        QVERIFY(created && created->ok);

        // UPDATE is refused, so the update deletes the entry and creates it again; cut it off
        // while the CREATE runs.
        QPointer<Operation> op = lifecycle.update(qn(QStringLiteral("/_/t-recreate")),
                                                  QJsonObject{{QStringLiteral("cron"), otherCron}});
        bool recreating = false;
        connect(op, &Operation::progress, this, [&](int, int, const QString &text) {
            recreating = recreating || text.contains(QLatin1String("Recreate"));
        });
        QVERIFY(waitFor([&] { return recreating; }));
        // Inside the slow CREATE: the provider already holds the new entry, the feed has not
        // answered yet.
        QVERIFY(waitFor([&] {
            return providerEntry(QStringLiteral("t-recreate"))
                       .value(QLatin1String("config"))
                       .toObject()
                       .value(QLatin1String("cron"))
                       .toString()
                   == otherCron;
        }));
        QVERIFY(op && !op->isFinished());
        delete op.data();

        QCOMPARE(journal->tombstones().size(), 1);
        const Tombstone t = journal->tombstones().first();
        QCOMPARE(t.work, Tombstone::Work::RecreateFeed);
        QCOMPARE(t.params.value(QLatin1String("cron")).toString(), otherCron);

        QVERIFY(retryAll(journal));
        QCOMPARE(triggerStatus(QStringLiteral("t-recreate")), 200);
        QCOMPARE(providerEntry(QStringLiteral("t-recreate"))
                     .value(QLatin1String("config"))
                     .toObject()
                     .value(QLatin1String("cron"))
                     .toString(),
                 otherCron);
    }

    void finishedOperationsAreNotListedAsRunning()
    {
        FeedLifecycle lifecycle(WhiskClient::create(endpoint()),
                                std::make_shared<LifecycleJournal>());
        Operation *op = lifecycle.read(qn(QStringLiteral("/_/t-outlive")));
        QVERIFY(Operation::running().contains(op));
        QVERIFY(waitForReport(op));
        QVERIFY(!Operation::running().contains(op));
    }
};

QTEST_GUILESS_MAIN(TestOperationLifetime)
#include "tst_operationlifetime.moc"
