// SPDX-License-Identifier: GPL-3.0-or-later
// FeedLifecycle against a real feedscope-engine: the alarms feed, and custom feed actions in
// guest that wrap the alarms feed but refuse some lifecycle events.
#include "enginefixture.h"
#include "feedlifecycle.h"
#include "feedtesting.h"
#include "lifecyclejournal.h"
#include "operationtesting.h"
#include "whiskclient.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Feedscope;
using namespace Feedscope::Testing;

namespace {

QualifiedName qn(const QString &text)
{
    return *QualifiedName::parse(text);
}

const QualifiedName alarmFeed{
    QStringLiteral("whisk.system"), QStringLiteral("alarms"), QStringLiteral("alarm")};
// Never fires during a test run.
const QString quietCron = QStringLiteral("0 0 1 1 *");

} // namespace

class TestFeedLifecycle : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;
    QTemporaryDir m_dir;
    WhiskClientPtr m_client = WhiskClient::create({});
    LifecycleJournalPtr m_journal;
    std::unique_ptr<FeedLifecycle> m_lifecycle;

    // Runs an operation to its end (generous deadline, no timing assertions).
    OperationReport finish(Operation *op)
    {
        const auto report = waitForReport(op);
        if (!report)
            qWarning("operation did not finish");
        return report.value_or(OperationReport{});
    }

    static QString dump(const OperationReport &r) { return r.summary(); }

    // A feed action in guest wrapping the engine's alarms feed action, refusing `refused`
    // events with `message`.
    void deployWrapperFeed(const QString &name, const QStringList &refused, const QString &message)
    {
        FeedMisbehaviour how;
        how.refused = refused;
        how.refusal = message;
        const auto r = m_engine.put(QStringLiteral("/api/v1/namespaces/guest/actions/") + name
                                        + QStringLiteral("?overwrite=true"),
                                    misbehavingAlarmFeed(how));
        QVERIFY2(r.status == 200, r.body.constData());
    }

    int triggerStatus(const QString &name)
    {
        return m_engine.get(QStringLiteral("/api/v1/namespaces/guest/triggers/") + name).status;
    }

    bool providerHasEntry(const QString &name) { return !alarmEntry(m_engine, name).isEmpty(); }
    QJsonObject providerEntry(const QString &name) { return alarmEntry(m_engine, name); }

    QString ruleStatus(const QString &rule)
    {
        return m_engine.get(QStringLiteral("/api/v1/namespaces/guest/rules/") + rule)
            .object()
            .value(QLatin1String("status"))
            .toString();
    }

    OperationReport createAlarm(const QString &name, const QualifiedName &feed = alarmFeed)
    {
        return finish(m_lifecycle->create(qn(QStringLiteral("/_/") + name),
                                          feed,
                                          {},
                                          QJsonObject{{QStringLiteral("cron"), quietCron}}));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        m_client->setEndpoint(
            WhiskEndpoint{m_engine.baseUrl(), QString::fromLatin1(guestKey), QStringLiteral("_")});
        m_journal
            = std::make_shared<LifecycleJournal>(m_dir.filePath(QStringLiteral("journal.json")));
        m_lifecycle = std::make_unique<FeedLifecycle>(m_client, m_journal);
        // Used by the rule tests.
        QCOMPARE(m_engine.put(QStringLiteral("/api/v1/namespaces/guest/actions/echo"), nodeAction())
                     .status,
                 200);
    }

    void createSucceeds()
    {
        Operation *op = m_lifecycle->create(
            qn(QStringLiteral("/_/t-create")),
            alarmFeed,
            QJsonObject{{QStringLiteral("colour"), QStringLiteral("blue")}},
            QJsonObject{{QStringLiteral("cron"), quietCron},
                        {QStringLiteral("trigger_payload"),
                         QJsonObject{{QStringLiteral("name"), QStringLiteral("Odin")}}}});
        QSignalSpy progress(op, &Operation::progress);
        QCOMPARE(op->stepCount(), 2);
        const OperationReport report = finish(op);
        QVERIFY2(report.ok, qPrintable(dump(report)));
        QCOMPARE(report.failedStep, -1);
        QCOMPARE(report.completed.size(), 2);
        QCOMPARE(progress.size(), 2);
        QCOMPARE(progress.at(1).at(0).toInt(), 1);
        QCOMPARE(progress.at(1).at(1).toInt(), 2);

        // The trigger: feed annotation and trigger parameters only.
        const QJsonObject trigger
            = m_engine.get(QStringLiteral("/api/v1/namespaces/guest/triggers/t-create")).object();
        const KeyValueList annotations(trigger.value(QLatin1String("annotations")).toArray());
        const KeyValueList params(trigger.value(QLatin1String("parameters")).toArray());
        QCOMPARE(annotations.value(QStringLiteral("feed")).toString(), alarmFeed.toString());
        QCOMPARE(params.value(QStringLiteral("colour")).toString(), QStringLiteral("blue"));
        QVERIFY(!params.contains(QStringLiteral("cron")));
        QVERIFY(!params.contains(QStringLiteral("trigger_payload")));

        // READ: trigger merged with the feed's answer.
        const OperationReport read = finish(m_lifecycle->read(qn(QStringLiteral("/_/t-create"))));
        QVERIFY2(read.ok, qPrintable(dump(read)));
        QCOMPARE(read.data.value(QLatin1String("status"))
                     .toObject()
                     .value(QLatin1String("active"))
                     .toBool(),
                 true);
        QCOMPARE(read.data.value(QLatin1String("config"))
                     .toObject()
                     .value(QLatin1String("cron"))
                     .toString(),
                 quietCron);
        QCOMPARE(read.data.value(QLatin1String("trigger"))
                     .toObject()
                     .value(QLatin1String("name"))
                     .toString(),
                 QStringLiteral("t-create"));
        QVERIFY(providerHasEntry(QStringLiteral("t-create")));
    }

    void createWithFailingFeedLeavesNothing()
    {
        const OperationReport report = finish(
            m_lifecycle->create(qn(QStringLiteral("/_/t-badcron")),
                                alarmFeed,
                                {},
                                QJsonObject{{QStringLiteral("cron"), QStringLiteral("x")}}));
        QVERIFY(!report.ok);
        QCOMPARE(report.failedStep, 1);
        QVERIFY2(report.failedStepName.contains(QLatin1String("CREATE")), qPrintable(dump(report)));
        QVERIFY2(report.errorMessage.contains(QLatin1String("cron pattern 'x' is not valid")),
                 qPrintable(dump(report)));
        QCOMPARE(report.undone.size(), 2); // the feed DELETE, then the trigger
        QVERIFY2(report.undoErrors.isEmpty(), qPrintable(dump(report)));
        QCOMPARE(triggerStatus(QStringLiteral("t-badcron")), 404);
        QVERIFY(!providerHasEntry(QStringLiteral("t-badcron")));
    }

    void createWithMissingFeedActionLeavesNothing()
    {
        const OperationReport report
            = finish(m_lifecycle->create(qn(QStringLiteral("/_/t-nofeed")),
                                         qn(QStringLiteral("/guest/nosuchfeed")),
                                         {},
                                         QJsonObject{{QStringLiteral("cron"), quietCron}}));
        QVERIFY(!report.ok);
        QCOMPARE(report.failedStep, 1);
        QVERIFY2(report.errorMessage.contains(QLatin1String("404")), qPrintable(dump(report)));
        QCOMPARE(triggerStatus(QStringLiteral("t-nofeed")), 404);
    }

    void createOfExistingTriggerStopsAtFirstStep()
    {
        QVERIFY(createAlarm(QStringLiteral("t-dup")).ok);
        const OperationReport report = createAlarm(QStringLiteral("t-dup"));
        QVERIFY(!report.ok);
        QCOMPARE(report.failedStep, 0);
        QVERIFY2(report.errorMessage.contains(QLatin1String("409")), qPrintable(dump(report)));
        // Nothing of the existing trigger was undone.
        QCOMPARE(triggerStatus(QStringLiteral("t-dup")), 200);
        QVERIFY(providerHasEntry(QStringLiteral("t-dup")));
    }

    void updateCron()
    {
        QVERIFY(createAlarm(QStringLiteral("t-update")).ok);
        const OperationReport report = finish(
            m_lifecycle->update(qn(QStringLiteral("/_/t-update")),
                                QJsonObject{{QStringLiteral("cron"), QStringLiteral("0 0 2 1 *")},
                                            {QStringLiteral("maxTriggers"), 3}}));
        QVERIFY2(report.ok, qPrintable(dump(report)));
        QCOMPARE(report.data.value(QLatin1String("mode")).toString(), QStringLiteral("update"));
        // maxTriggers is declared not updatable: not sent, and said so.
        QVERIFY2(report.warnings.join(u' ').contains(QLatin1String("maxTriggers")),
                 qPrintable(dump(report)));
        const QJsonObject config
            = providerEntry(QStringLiteral("t-update")).value(QLatin1String("config")).toObject();
        QCOMPARE(config.value(QLatin1String("cron")).toString(), QStringLiteral("0 0 2 1 *"));
        QVERIFY(!config.contains(QLatin1String("maxTriggers")));
    }

    void updateWithoutUpdatableParameters()
    {
        QVERIFY(createAlarm(QStringLiteral("t-noupd")).ok);
        const OperationReport report = finish(m_lifecycle->update(
            qn(QStringLiteral("/_/t-noupd")), QJsonObject{{QStringLiteral("maxTriggers"), 3}}));
        QVERIFY(!report.ok);
        QCOMPARE(report.failedStep, 1);
        QVERIFY2(report.errorMessage.contains(
                     QLatin1String("none of the given parameters can be updated")),
                 qPrintable(dump(report)));
        QVERIFY(report.errorMessage.contains(QLatin1String("maxTriggers")));
        QCOMPARE(providerEntry(QStringLiteral("t-noupd"))
                     .value(QLatin1String("config"))
                     .toObject()
                     .value(QLatin1String("cron"))
                     .toString(),
                 quietCron);
    }

    void updateFallsBackToDeleteAndCreate()
    {
        deployWrapperFeed(QStringLiteral("noupdatefeed"),
                          {QStringLiteral("UPDATE")},
                          QStringLiteral("unsupported lifecycleEvent"));
        QVERIFY(createAlarm(QStringLiteral("t-recreate"), qn(QStringLiteral("/guest/noupdatefeed")))
                    .ok);
        const OperationReport report = finish(m_lifecycle->update(
            qn(QStringLiteral("/_/t-recreate")),
            QJsonObject{{QStringLiteral("cron"), QStringLiteral("0 0 3 1 *")}}));
        QVERIFY2(report.ok, qPrintable(dump(report)));
        QCOMPARE(report.data.value(QLatin1String("mode")).toString(), QStringLiteral("recreate"));
        QVERIFY2(report.warnings.join(u' ').contains(QLatin1String("gap")),
                 qPrintable(dump(report)));
        QVERIFY(report.steps.join(u'|').contains(QLatin1String("(DELETE)")));
        QVERIFY(report.steps.join(u'|').contains(QLatin1String("(CREATE)")));
        const QJsonObject entry = providerEntry(QStringLiteral("t-recreate"));
        QCOMPARE(
            entry.value(QLatin1String("config")).toObject().value(QLatin1String("cron")).toString(),
            QStringLiteral("0 0 3 1 *"));
        QCOMPARE(
            entry.value(QLatin1String("status")).toObject().value(QLatin1String("active")).toBool(),
            true);
    }

    void deleteSucceeds()
    {
        QVERIFY(createAlarm(QStringLiteral("t-delete")).ok);
        QVERIFY(providerHasEntry(QStringLiteral("t-delete")));
        const OperationReport report
            = finish(m_lifecycle->remove(qn(QStringLiteral("/_/t-delete"))));
        QVERIFY2(report.ok, qPrintable(dump(report)));
        QVERIFY(report.warnings.isEmpty());
        QCOMPARE(triggerStatus(QStringLiteral("t-delete")), 404);
        QVERIFY(!providerHasEntry(QStringLiteral("t-delete")));
    }

    // A trigger made again under the same name owns the provider's entry: the owed DELETE of
    // the old one must not cut it off (found in review: the retry runs on every connect).
    void tombstoneOfATriggerMadeAgainIsDroppedNotDelivered()
    {
        deployWrapperFeed(QStringLiteral("againfeed"),
                          {QStringLiteral("DELETE")},
                          QStringLiteral("provider unavailable, try again later"));
        QVERIFY(createAlarm(QStringLiteral("t-again"), qn(QStringLiteral("/guest/againfeed"))).ok);
        const int before = m_journal->tombstones().size();
        QVERIFY(finish(m_lifecycle->remove(qn(QStringLiteral("/_/t-again")))).ok);
        QCOMPARE(m_journal->tombstones().size(), before + 1);
        // The feed works again and a new trigger of that name is made through it.
        deployWrapperFeed(QStringLiteral("againfeed"), {}, QString());
        QVERIFY(createAlarm(QStringLiteral("t-again"), qn(QStringLiteral("/guest/againfeed"))).ok);
        QVERIFY(providerHasEntry(QStringLiteral("t-again")));
        int retried = -1, cleared = -1;
        m_lifecycle->retryTombstones(this, [&](int r, int c) {
            retried = r;
            cleared = c;
        });
        QTRY_VERIFY_WITH_TIMEOUT(retried >= 0, 60000);
        QCOMPARE(cleared, 1);
        QCOMPARE(m_journal->tombstones().size(), before);
        QVERIFY(providerHasEntry(QStringLiteral("t-again"))); // the new trigger's, untouched
        QVERIFY(finish(m_lifecycle->remove(qn(QStringLiteral("/_/t-again")))).ok);
    }

    void deleteWithFailingFeedKeepsTombstoneAndRetries()
    {
        deployWrapperFeed(QStringLiteral("stickyfeed"),
                          {QStringLiteral("DELETE")},
                          QStringLiteral("provider unavailable, try again later"));
        QVERIFY(
            createAlarm(QStringLiteral("t-sticky"), qn(QStringLiteral("/guest/stickyfeed"))).ok);
        const int before = m_journal->tombstones().size();
        const OperationReport report
            = finish(m_lifecycle->remove(qn(QStringLiteral("/_/t-sticky"))));
        QVERIFY2(report.ok, qPrintable(dump(report)));
        QVERIFY2(report.warnings.join(u' ').contains(QLatin1String("tombstone")),
                 qPrintable(dump(report)));
        QCOMPARE(report.steps.last(),
                 QStringLiteral("Keep a tombstone for the failed feed DELETE"));
        QCOMPARE(triggerStatus(QStringLiteral("t-sticky")), 404);
        QCOMPARE(m_journal->tombstones().size(), before + 1);
        const Tombstone t = m_journal->tombstones().last();
        QCOMPARE(t.trigger, QStringLiteral("/guest/t-sticky"));
        QCOMPARE(t.feed, QStringLiteral("/guest/stickyfeed"));
        QVERIFY(t.lastError.contains(QLatin1String("provider unavailable")));
        QCOMPARE(t.apiHost, m_engine.baseUrl());

        // Persisted, without the key.
        QFile file(m_journal->path());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray saved = file.readAll();
        QVERIFY(saved.contains("t-sticky"));
        QVERIFY(!saved.contains(guestKey.split(':').last()));
        QVERIFY(providerHasEntry(QStringLiteral("t-sticky"))); // the orphan the CLI would leave

        // A retry while the feed still fails keeps it and counts the attempt.
        int retried = -1, cleared = -1;
        m_lifecycle->retryTombstones(this, [&](int r, int c) {
            retried = r;
            cleared = c;
        });
        QTRY_VERIFY_WITH_TIMEOUT(retried >= 0, 60000);
        QCOMPARE(cleared, 0);
        QCOMPARE(m_journal->tombstones().last().attempts, 2);

        // Fix the feed, retry: the provider's entry and the tombstone are gone.
        deployWrapperFeed(QStringLiteral("stickyfeed"), {}, QString());
        retried = cleared = -1;
        m_lifecycle->retryTombstones(this, [&](int r, int c) {
            retried = r;
            cleared = c;
        });
        QTRY_VERIFY_WITH_TIMEOUT(retried >= 0, 60000);
        QCOMPARE(cleared, 1);
        QCOMPARE(m_journal->tombstones().size(), before);
        QVERIFY(!providerHasEntry(QStringLiteral("t-sticky")));
        // A journal read from the file agrees.
        LifecycleJournal reloaded(m_journal->path());
        QCOMPARE(reloaded.tombstones().size(), before);
    }

    void pauseAndUnpauseAtTheFeed()
    {
        QVERIFY(createAlarm(QStringLiteral("t-pause")).ok);
        const OperationReport paused = finish(m_lifecycle->pause(qn(QStringLiteral("/_/t-pause"))));
        QVERIFY2(paused.ok, qPrintable(dump(paused)));
        QCOMPARE(paused.data.value(QLatin1String("mode")).toString(), QStringLiteral("feed"));
        QCOMPARE(m_journal->pauseSupport(m_engine.baseUrl(), alarmFeed.toString()),
                 std::optional<bool>(true));
        OperationReport read = finish(m_lifecycle->read(qn(QStringLiteral("/_/t-pause"))));
        QVERIFY(read.ok);
        QCOMPARE(read.data.value(QLatin1String("status"))
                     .toObject()
                     .value(QLatin1String("active"))
                     .toBool(),
                 false);

        const OperationReport resumed
            = finish(m_lifecycle->unpause(qn(QStringLiteral("/_/t-pause"))));
        QVERIFY2(resumed.ok, qPrintable(dump(resumed)));
        QCOMPARE(resumed.data.value(QLatin1String("mode")).toString(), QStringLiteral("feed"));
        read = finish(m_lifecycle->read(qn(QStringLiteral("/_/t-pause"))));
        QCOMPARE(read.data.value(QLatin1String("status"))
                     .toObject()
                     .value(QLatin1String("active"))
                     .toBool(),
                 true);
    }

    void softPauseDisablesExactlyTheActiveRules()
    {
        deployWrapperFeed(QStringLiteral("nopausefeed"),
                          {QStringLiteral("PAUSE"), QStringLiteral("UNPAUSE")},
                          QStringLiteral("unsupported lifecycleEvent"));
        const QualifiedName feed = qn(QStringLiteral("/guest/nopausefeed"));
        QVERIFY(createAlarm(QStringLiteral("t-soft"), feed).ok);
        const QJsonObject rule{{QStringLiteral("trigger"), QStringLiteral("/_/t-soft")},
                               {QStringLiteral("action"), QStringLiteral("/_/echo")}};
        QCOMPARE(
            m_engine.put(QStringLiteral("/api/v1/namespaces/guest/rules/soft-r1"), rule).status,
            200);
        QCOMPARE(
            m_engine.put(QStringLiteral("/api/v1/namespaces/guest/rules/soft-r2"), rule).status,
            200);
        QCOMPARE(m_engine
                     .post(QStringLiteral("/api/v1/namespaces/guest/rules/soft-r2"),
                           QJsonObject{{QStringLiteral("status"), QStringLiteral("inactive")}})
                     .status,
                 200);

        const OperationReport paused = finish(m_lifecycle->pause(qn(QStringLiteral("/_/t-soft"))));
        QVERIFY2(paused.ok, qPrintable(dump(paused)));
        QCOMPARE(paused.data.value(QLatin1String("mode")).toString(), QStringLiteral("soft"));
        QVERIFY2(
            paused.warnings.join(u' ').contains(QLatin1String("events still arrive, nothing runs")),
            qPrintable(dump(paused)));
        QVERIFY(paused.steps.contains(QStringLiteral("Disable rule guest/soft-r1")));
        QVERIFY(!paused.steps.contains(QStringLiteral("Disable rule guest/soft-r2")));
        QCOMPARE(ruleStatus(QStringLiteral("soft-r1")), QStringLiteral("inactive"));
        QCOMPARE(ruleStatus(QStringLiteral("soft-r2")), QStringLiteral("inactive"));
        QCOMPARE(m_journal->pauseSupport(m_engine.baseUrl(), feed.toString()),
                 std::optional<bool>(false));
        QCOMPARE(m_journal->softPausedRules(m_engine.baseUrl(), QStringLiteral("/guest/t-soft")),
                 QStringList{QStringLiteral("guest/soft-r1")});
        // The provider entry itself still runs: events still arrive.
        QCOMPARE(providerEntry(QStringLiteral("t-soft"))
                     .value(QLatin1String("status"))
                     .toObject()
                     .value(QLatin1String("active"))
                     .toBool(),
                 true);

        const OperationReport resumed
            = finish(m_lifecycle->unpause(qn(QStringLiteral("/_/t-soft"))));
        QVERIFY2(resumed.ok, qPrintable(dump(resumed)));
        QCOMPARE(resumed.data.value(QLatin1String("mode")).toString(), QStringLiteral("soft"));
        QCOMPARE(ruleStatus(QStringLiteral("soft-r1")), QStringLiteral("active"));
        QCOMPARE(ruleStatus(QStringLiteral("soft-r2")), QStringLiteral("inactive"));
        QVERIFY(!m_journal->isSoftPaused(m_engine.baseUrl(), QStringLiteral("/guest/t-soft")));

        // The probe is remembered: the second pause does not ask the feed again.
        const OperationReport again = finish(m_lifecycle->pause(qn(QStringLiteral("/_/t-soft"))));
        QVERIFY(again.ok);
        QVERIFY2(again.completed.join(u' ').contains(QLatin1String("remembered")),
                 qPrintable(dump(again)));
        QCOMPARE(ruleStatus(QStringLiteral("soft-r1")), QStringLiteral("inactive"));
        QVERIFY(finish(m_lifecycle->unpause(qn(QStringLiteral("/_/t-soft")))).ok);
        QCOMPARE(ruleStatus(QStringLiteral("soft-r1")), QStringLiteral("active"));
    }

    void cancelUndoesWhatWasDone()
    {
        Operation *op = m_lifecycle->create(qn(QStringLiteral("/_/t-cancel")),
                                            alarmFeed,
                                            {},
                                            QJsonObject{{QStringLiteral("cron"), quietCron}});
        connect(op, &Operation::progress, this, [op](int index, int, const QString &text) {
            if (index == 1 && !text.startsWith(QLatin1String("Undoing")))
                op->cancel();
        });
        const OperationReport report = finish(op);
        QVERIFY(!report.ok);
        QVERIFY(report.cancelled);
        QCOMPARE(report.failedStep, -1);
        QCOMPARE(report.completed.size(), 2);
        QCOMPARE(report.undone.size(), 2);
        QVERIFY2(report.undone.first().contains(QLatin1String("CREATE")), qPrintable(dump(report)));
        QCOMPARE(triggerStatus(QStringLiteral("t-cancel")), 404);
        QVERIFY(!providerHasEntry(QStringLiteral("t-cancel")));
    }

    void cancelBeforeStartDoesNothing()
    {
        Operation *op = m_lifecycle->create(qn(QStringLiteral("/_/t-never")),
                                            alarmFeed,
                                            {},
                                            QJsonObject{{QStringLiteral("cron"), quietCron}});
        op->cancel();
        const OperationReport report = finish(op);
        QVERIFY(report.cancelled);
        QVERIFY(report.completed.isEmpty());
        QCOMPARE(triggerStatus(QStringLiteral("t-never")), 404);
    }

    void feedErrorText()
    {
        QCOMPARE(readableFeedError(QJsonObject{{QStringLiteral("error"), QStringLiteral("x")}}),
                 QStringLiteral("x"));
        QCOMPARE(readableFeedError(
                     QJsonObject{{QStringLiteral("error"),
                                  QJsonObject{{QStringLiteral("error"), QStringLiteral("y")},
                                              {QStringLiteral("statusCode"), 400}}}}),
                 QStringLiteral("y"));
        QCOMPARE(readableFeedError(
                     QJsonObject{{QStringLiteral("error"),
                                  QJsonObject{{QStringLiteral("message"), QStringLiteral("z")}}}}),
                 QStringLiteral("z"));
        QCOMPARE(readableFeedError(QJsonObject{{QStringLiteral("error"), 42}}),
                 QStringLiteral("42"));
    }
};

QTEST_GUILESS_MAIN(TestFeedLifecycle)
#include "tst_feedlifecycle.moc"
