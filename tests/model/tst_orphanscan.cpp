// SPDX-License-Identifier: GPL-3.0-or-later
// OrphanScan against a real feedscope-engine: each kind of broken feed plumbing is found, with a
// proposed fix; healthy entities are not reported.
#include "enginefixture.h"
#include "feedlifecycle.h"
#include "feedtesting.h"
#include "lifecyclejournal.h"
#include "operationtesting.h"
#include "orphanscan.h"
#include "whiskclient.h"

#include <QEventLoop>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace Feedscope;
using namespace Feedscope::Testing;

class TestOrphanScan : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;
    WhiskClientPtr m_client = WhiskClient::create({});
    LifecycleJournalPtr m_journal = std::make_shared<LifecycleJournal>(); // in memory

    QList<Finding> scan()
    {
        OrphanScan scanner(m_client, m_journal);
        std::optional<QList<Finding>> found;
        QEventLoop loop;
        scanner.run(this, [&](QList<Finding> f) {
            found = f;
            loop.quit();
        });
        QTimer::singleShot(100000, &loop, &QEventLoop::quit);
        loop.exec();
        return found.value_or(QList<Finding>{});
    }

    static const Finding *
    find(const QList<Finding> &findings, Finding::Kind kind, const QString &entity)
    {
        for (const Finding &f : findings) {
            if (f.kind == kind && f.entity == entity)
                return &f;
        }
        return nullptr;
    }

    static QString dump(const QList<Finding> &findings)
    {
        QString text;
        for (const Finding &f : findings)
            text += findingKindName(f.kind) + u' ' + f.entity + QStringLiteral(": ") + f.problem
                    + QStringLiteral(" → ") + f.proposedFix + u'\n';
        return text;
    }

    void ok(const HttpResult &r) { QVERIFY2(r.status == 200, r.body.constData()); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        m_client->setEndpoint(
            WhiskEndpoint{m_engine.baseUrl(), QString::fromLatin1(guestKey), QStringLiteral("_")});
    }

    void findsEveryKind()
    {
        const QString api = QStringLiteral("/api/v1/namespaces/guest/");
        ok(m_engine.put(api + QStringLiteral("actions/keeper"), nodeAction()));
        ok(m_engine.put(api + QStringLiteral("actions/doomed"), nodeAction()));

        // A trigger with no rule.
        ok(m_engine.put(api + QStringLiteral("triggers/lonely"), QJsonObject{}));
        // A healthy trigger, and a rule whose action is then deleted.
        ok(m_engine.put(api + QStringLiteral("triggers/healthy"), QJsonObject{}));
        ok(m_engine.put(api + QStringLiteral("rules/good"),
                        QJsonObject{{QStringLiteral("trigger"), QStringLiteral("/_/healthy")},
                                    {QStringLiteral("action"), QStringLiteral("/_/keeper")}}));
        ok(m_engine.put(api + QStringLiteral("triggers/dangling"), QJsonObject{}));
        ok(m_engine.put(api + QStringLiteral("rules/r-doomed"),
                        QJsonObject{{QStringLiteral("trigger"), QStringLiteral("/_/dangling")},
                                    {QStringLiteral("action"), QStringLiteral("/_/doomed")}}));
        ok(m_engine.del(api + QStringLiteral("actions/doomed")));

        // A feed trigger with a rule whose provider entry is then removed behind its back.
        FeedLifecycle lifecycle(m_client, m_journal);
        std::optional<OperationReport> created;
        Operation *op
            = lifecycle.create(*QualifiedName::parse(QStringLiteral("/_/t-lost")),
                               *QualifiedName::parse(QStringLiteral("/whisk.system/alarms/alarm")),
                               {},
                               QJsonObject{{QStringLiteral("cron"), QStringLiteral("0 0 1 1 *")}});
        connect(op, &Operation::finished, this, [&](const OperationReport &r) { created = r; });
        QTRY_VERIFY_WITH_TIMEOUT(created.has_value(), 60000);
        QVERIFY2(created->ok, qPrintable(created->summary()));
        ok(m_engine.put(api + QStringLiteral("rules/r-lost"),
                        QJsonObject{{QStringLiteral("trigger"), QStringLiteral("/_/t-lost")},
                                    {QStringLiteral("action"), QStringLiteral("/_/keeper")}}));
        ok(m_engine.del(QStringLiteral("/feedscope/v1/providers/alarms/feeds/guest/t-lost")));

        // A tombstone of this endpoint (and one of another, not reported).
        Tombstone t;
        t.trigger = QStringLiteral("/guest/gone");
        t.feed = QStringLiteral("/whisk.system/alarms/alarm");
        t.apiHost = m_engine.baseUrl();
        t.ns = QStringLiteral("_");
        t.attempts = 1;
        t.lastError = QStringLiteral("provider unavailable");
        m_journal->addTombstone(t);
        t.apiHost = QStringLiteral("https://elsewhere.example");
        t.trigger = QStringLiteral("/guest/elsewhere");
        m_journal->addTombstone(t);

        const QList<Finding> findings = scan();
        const QString text = dump(findings);
        for (const Finding &f : findings) {
            QVERIFY2(!f.problem.isEmpty() && !f.proposedFix.isEmpty(), qPrintable(text));
            QVERIFY2(f.kind != Finding::Kind::ScanIncomplete, qPrintable(text));
        }
        QVERIFY2(find(findings, Finding::Kind::NoActiveRule, QStringLiteral("/guest/lonely")),
                 qPrintable(text));
        QVERIFY2(
            find(findings, Finding::Kind::RuleActionMissing, QStringLiteral("/guest/r-doomed")),
            qPrintable(text));
        QVERIFY(find(findings, Finding::Kind::RuleActionMissing, QStringLiteral("/guest/r-doomed"))
                    ->proposedFix.contains(QLatin1String("r-doomed")));
        QVERIFY2(find(findings, Finding::Kind::FeedUnreadable, QStringLiteral("/guest/t-lost")),
                 qPrintable(text));
        QVERIFY2(find(findings, Finding::Kind::Tombstone, QStringLiteral("/guest/gone")),
                 qPrintable(text));
        QVERIFY2(!find(findings, Finding::Kind::Tombstone, QStringLiteral("/guest/elsewhere")),
                 qPrintable(text));
        // Healthy things are not reported.
        for (const Finding &f : findings) {
            QVERIFY2(f.entity != u"/guest/healthy" && f.entity != u"/guest/good", qPrintable(text));
            QVERIFY2(!(f.entity == u"/guest/t-lost" && f.kind == Finding::Kind::NoActiveRule),
                     qPrintable(text));
        }
    }

    void fixesGoThroughTheLifecycle()
    {
        // The findings of findsEveryKind, fixed one click each: the lost feed entry is made
        // again with the parameters it was created with, the dangling rule goes.
        FeedLifecycle lifecycle(m_client, m_journal);
        QList<Finding> findings = scan();
        const Finding *lost
            = find(findings, Finding::Kind::FeedUnreadable, QStringLiteral("/guest/t-lost"));
        QVERIFY2(lost, qPrintable(dump(findings)));
        QCOMPARE(lost->fix, Finding::Fix::RecreateFeed);
        QCOMPARE(lost->feedParams.value(QLatin1String("cron")).toString(),
                 QStringLiteral("0 0 1 1 *"));
        std::optional<OperationReport> report = waitForReport(OrphanScan::fix(lifecycle, *lost));
        QVERIFY(report);
        QVERIFY2(report->ok, qPrintable(report->summary()));
        QCOMPARE(alarmEntry(m_engine, QStringLiteral("t-lost"))
                     .value(QLatin1String("config"))
                     .toObject()
                     .value(QLatin1String("cron"))
                     .toString(),
                 QStringLiteral("0 0 1 1 *"));

        const Finding *dangling
            = find(findings, Finding::Kind::RuleActionMissing, QStringLiteral("/guest/r-doomed"));
        QVERIFY(dangling);
        QCOMPARE(dangling->fix, Finding::Fix::DeleteRule);
        report = waitForReport(OrphanScan::fix(lifecycle, *dangling));
        QVERIFY(report);
        QVERIFY2(report->ok, qPrintable(report->summary()));
        QCOMPARE(m_engine.get(QStringLiteral("/api/v1/namespaces/guest/rules/r-doomed")).status,
                 404);

        findings = scan();
        QVERIFY2(!find(findings, Finding::Kind::FeedUnreadable, QStringLiteral("/guest/t-lost")),
                 qPrintable(dump(findings)));
        QVERIFY2(
            !find(findings, Finding::Kind::RuleActionMissing, QStringLiteral("/guest/r-doomed")),
            qPrintable(dump(findings)));

        // A fix re-checks first: a rule whose action is back is left alone.
        ok(m_engine.put(QStringLiteral("/api/v1/namespaces/guest/actions/back"), nodeAction()));
        ok(m_engine.put(QStringLiteral("/api/v1/namespaces/guest/rules/r-back"),
                        QJsonObject{{QStringLiteral("trigger"), QStringLiteral("/_/healthy")},
                                    {QStringLiteral("action"), QStringLiteral("/_/back")}}));
        Finding stale;
        stale.kind = Finding::Kind::RuleActionMissing;
        stale.entity = QStringLiteral("/guest/r-back");
        stale.fix = Finding::Fix::DeleteRule;
        report = waitForReport(OrphanScan::fix(lifecycle, stale));
        QVERIFY(report && !report->ok);
        QCOMPARE(m_engine.get(QStringLiteral("/api/v1/namespaces/guest/rules/r-back")).status, 200);
    }

    void findsAndDeletesALeftoverFeed()
    {
        // A feed trigger deleted with a bare DELETE (the feed never heard): the provider keeps
        // its entry, and only the journal's memory of the trigger can find it.
        FeedLifecycle lifecycle(m_client, m_journal);
        std::optional<OperationReport> created = waitForReport(
            lifecycle.create(*QualifiedName::parse(QStringLiteral("/_/t-left")),
                             *QualifiedName::parse(QStringLiteral("/whisk.system/alarms/alarm")),
                             {},
                             QJsonObject{{QStringLiteral("cron"), QStringLiteral("0 0 1 1 *")}}));
        QVERIFY(created && created->ok);
        ok(m_engine.del(QStringLiteral("/api/v1/namespaces/guest/triggers/t-left")));
        QVERIFY(!alarmEntry(m_engine, QStringLiteral("t-left")).isEmpty());

        QList<Finding> findings = scan();
        const Finding *leftover
            = find(findings, Finding::Kind::LeftoverFeed, QStringLiteral("/guest/t-left"));
        QVERIFY2(leftover, qPrintable(dump(findings)));
        QCOMPARE(leftover->fix, Finding::Fix::DeleteLeftover);
        QCOMPARE(leftover->feed, QStringLiteral("/whisk.system/alarms/alarm"));
        const std::optional<OperationReport> fixed
            = waitForReport(OrphanScan::fix(lifecycle, *leftover));
        QVERIFY(fixed);
        QVERIFY2(fixed->ok, qPrintable(fixed->summary()));
        QVERIFY(alarmEntry(m_engine, QStringLiteral("t-left")).isEmpty());
        findings = scan();
        QVERIFY2(!find(findings, Finding::Kind::LeftoverFeed, QStringLiteral("/guest/t-left")),
                 qPrintable(dump(findings)));

        // Deleted through the lifecycle (the feed's DELETE sent): nothing is left, nothing found.
        created = waitForReport(
            lifecycle.create(*QualifiedName::parse(QStringLiteral("/_/t-clean")),
                             *QualifiedName::parse(QStringLiteral("/whisk.system/alarms/alarm")),
                             {},
                             QJsonObject{{QStringLiteral("cron"), QStringLiteral("0 0 1 1 *")}}));
        QVERIFY(created && created->ok);
        QVERIFY(waitForReport(lifecycle.remove(*QualifiedName::parse(QStringLiteral("/_/t-clean"))))
                    ->ok);
        findings = scan();
        QVERIFY2(!find(findings, Finding::Kind::LeftoverFeed, QStringLiteral("/guest/t-clean")),
                 qPrintable(dump(findings)));
    }

    void reportsProgressAndCancels()
    {
        OrphanScan scanner(m_client, m_journal);
        QSignalSpy progress(&scanner, &OrphanScan::progress);
        std::optional<QList<Finding>> found;
        bool runningInDone = true;
        scanner.run(this, [&](QList<Finding> f) {
            found = f;
            runningInDone = scanner.isRunning();
        });
        QVERIFY(scanner.isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(found.has_value(), 100000);
        QVERIFY(!runningInDone);
        QVERIFY(!scanner.isRunning());
        // Listing triggers, listing rules, then one check per rule and per trigger, in order.
        QVERIFY(progress.size() > 2);
        QCOMPARE(progress.first().at(2).toString(), QStringLiteral("Listing triggers"));
        for (int i = 0; i < progress.size(); ++i) {
            QCOMPARE(progress.at(i).at(0).toInt(), i);
            QVERIFY(progress.at(i).at(0).toInt() < progress.at(i).at(1).toInt());
        }
        QCOMPARE(progress.last().at(1).toInt(), progress.size());

        // Cancelled as the first check starts: nothing past it is reported, and it says so.
        OrphanScan cancelled(m_client, m_journal);
        connect(&cancelled, &OrphanScan::progress, &cancelled, [&cancelled](int step) {
            if (step == 2)
                cancelled.cancel();
        });
        found.reset();
        cancelled.run(this, [&](QList<Finding> f) { found = f; });
        QTRY_VERIFY_WITH_TIMEOUT(found.has_value(), 100000);
        QVERIFY2(find(*found, Finding::Kind::ScanIncomplete, QStringLiteral("scan")),
                 qPrintable(dump(*found)));
        for (const Finding &f : std::as_const(*found))
            QVERIFY2(f.kind == Finding::Kind::ScanIncomplete
                         || f.kind == Finding::Kind::RuleActionMissing,
                     qPrintable(dump(*found)));
    }

    void findsDisabledFeed()
    {
        // A feed paused at the provider reads as inactive.
        FeedLifecycle lifecycle(m_client, m_journal);
        std::optional<OperationReport> done;
        auto run = [&](Operation *op) {
            done.reset();
            connect(op, &Operation::finished, this, [&](const OperationReport &r) { done = r; });
            QTRY_VERIFY_WITH_TIMEOUT(done.has_value(), 60000);
            QVERIFY2(done->ok, qPrintable(done->summary()));
        };
        run(lifecycle.create(*QualifiedName::parse(QStringLiteral("/_/t-paused")),
                             *QualifiedName::parse(QStringLiteral("/whisk.system/alarms/alarm")),
                             {},
                             QJsonObject{{QStringLiteral("cron"), QStringLiteral("0 0 1 1 *")}}));
        run(lifecycle.pause(*QualifiedName::parse(QStringLiteral("/_/t-paused"))));
        const QList<Finding> findings = scan();
        QVERIFY2(find(findings, Finding::Kind::FeedInactive, QStringLiteral("/guest/t-paused")),
                 qPrintable(dump(findings)));
    }
};

QTEST_GUILESS_MAIN(TestOrphanScan)
#include "tst_orphanscan.moc"
