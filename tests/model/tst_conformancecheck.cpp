// SPDX-License-Identifier: GPL-3.0-or-later
// ConformanceCheck against a real feedscope-engine: the alarms feed passes; broken feeds fail
// per step; the scratch trigger never survives.
#include "conformancecheck.h"
#include "enginefixture.h"
#include "feedtesting.h"
#include "whiskclient.h"

#include <QDebug>
#include <QEventLoop>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace Feedscope;
using namespace Feedscope::Testing;

namespace {

// How long one check may take before the test fails (a healthy one takes well under a second).
// The suite's ctest TIMEOUT (tests/model/CMakeLists.txt) covers every check hanging this long,
// so a hang is a failure with a message, never a killed process.
constexpr int checkDeadlineMs = 30000;

} // namespace

class TestConformanceCheck : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;
    WhiskClientPtr m_client = WhiskClient::create({});

    // The report card, or nothing when the check did not finish in time (a failure, not a crash).
    std::optional<ReportCard>
    check(const QualifiedName &feed, const QJsonObject &sample, const QJsonObject &update = {})
    {
        std::optional<ReportCard> card;
        QEventLoop loop;
        ConformanceCheck checker(m_client);
        // The run's context: it lives as long as this call, so a check that did not finish is
        // deleted with it instead of calling back into `card` and `loop` once they are gone.
        QObject scope;
        checker.run(
            feed,
            sample,
            &scope,
            [&](ReportCard c) {
                card = c;
                loop.quit();
            },
            update);
        QTimer::singleShot(checkDeadlineMs, &loop, &QEventLoop::quit);
        loop.exec();
        if (card)
            qInfo().noquote() << card->toText();
        else
            qWarning("the conformance check of %s did not finish", qPrintable(feed.toString()));
        return card;
    }

    void deployFeed(const QString &name, const QString &code)
    {
        QJsonObject body = nodeAction(code);
        body.insert(QStringLiteral("annotations"),
                    keyValues(QJsonObject{{QStringLiteral("feed"), true}}));
        const auto r = m_engine.put(QStringLiteral("/api/v1/namespaces/guest/actions/") + name
                                        + QStringLiteral("?overwrite=true"),
                                    body);
        QVERIFY2(r.status == 200, r.body.constData());
    }

    // No scratch trigger may remain.
    int scratchTriggers()
    {
        int n = 0;
        for (const QJsonValue &t :
             m_engine.get(QStringLiteral("/api/v1/namespaces/guest/triggers")).array())
            n += t.toObject()
                     .value(QLatin1String("name"))
                     .toString()
                     .startsWith(QLatin1String("feedscope-check-"));
        return n;
    }

    bool failed(const ReportCard &card, const QString &step)
    {
        const ConformanceRow *row = card.row(step);
        return row && !row->passed;
    }
    bool passed(const ReportCard &card, const QString &step)
    {
        const ConformanceRow *row = card.row(step);
        return row && row->passed;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        m_client->setEndpoint(
            WhiskEndpoint{m_engine.baseUrl(), QString::fromLatin1(guestKey), QStringLiteral("_")});
    }

    void alarmsFeedConforms()
    {
        const std::optional<ReportCard> result
            = check(*QualifiedName::parse(QStringLiteral("/whisk.system/alarms/alarm")),
                    QJsonObject{{QStringLiteral("cron"), QStringLiteral("0 0 1 1 *")}},
                    QJsonObject{{QStringLiteral("cron"), QStringLiteral("0 0 2 1 *")}});
        QVERIFY2(result, "the check did not finish");
        const ReportCard &card = *result;
        QVERIFY2(card.allPassed(), qPrintable(card.toText()));
        for (const char *step : {"CREATE",
                                 "READ after CREATE",
                                 "UPDATE",
                                 "READ after UPDATE",
                                 "PAUSE",
                                 "READ after PAUSE",
                                 "UNPAUSE",
                                 "READ after UNPAUSE",
                                 "CREATE twice",
                                 "DELETE",
                                 "READ after DELETE",
                                 "DELETE of an unknown trigger",
                                 "CREATE with a wrong key",
                                 "Clean up"}) {
            QVERIFY2(card.row(QString::fromLatin1(step)), step);
        }
        QVERIFY(card.scratchTrigger.startsWith(QLatin1String("/guest/feedscope-check-")));
        QCOMPARE(scratchTriggers(), 0);
    }

    void yesManFeedFails()
    {
        // Answers success to everything and stores nothing.
        deployFeed(QStringLiteral("yesman"),
                   QStringLiteral("function main(p) { return { status: 'success' }; }"));
        const std::optional<ReportCard> result
            = check(*QualifiedName::parse(QStringLiteral("/guest/yesman")),
                    QJsonObject{{QStringLiteral("cron"), QStringLiteral("0 0 1 1 *")}});
        QVERIFY2(result, "the check did not finish");
        const ReportCard &card = *result;
        QVERIFY(!card.allPassed());
        QVERIFY2(passed(card, QStringLiteral("CREATE")), qPrintable(card.toText()));
        QVERIFY2(failed(card, QStringLiteral("READ after CREATE")), qPrintable(card.toText()));
        QVERIFY2(failed(card, QStringLiteral("READ after UPDATE")), qPrintable(card.toText()));
        QVERIFY2(failed(card, QStringLiteral("READ after PAUSE")), qPrintable(card.toText()));
        QVERIFY2(failed(card, QStringLiteral("READ after DELETE")), qPrintable(card.toText()));
        QVERIFY2(failed(card, QStringLiteral("CREATE with a wrong key")),
                 qPrintable(card.toText()));
        QVERIFY(passed(card, QStringLiteral("Clean up")));
        QCOMPARE(scratchTriggers(), 0);
    }

    void throwingFeedFails()
    {
        deployFeed(QStringLiteral("thrower"),
                   QStringLiteral("function main(p) { throw new Error('feed exploded'); }"));
        const std::optional<ReportCard> result
            = check(*QualifiedName::parse(QStringLiteral("/guest/thrower")),
                    QJsonObject{{QStringLiteral("cron"), QStringLiteral("0 0 1 1 *")}});
        QVERIFY2(result, "the check did not finish");
        const ReportCard &card = *result;
        QVERIFY(!card.allPassed());
        for (const char *step : {"CREATE",
                                 "READ after CREATE",
                                 "UPDATE",
                                 "PAUSE",
                                 "UNPAUSE",
                                 "CREATE twice",
                                 "DELETE",
                                 "DELETE of an unknown trigger"}) {
            QVERIFY2(failed(card, QString::fromLatin1(step)), qPrintable(card.toText()));
        }
        QVERIFY(passed(card, QStringLiteral("Clean up")));
        QCOMPARE(scratchTriggers(), 0);
    }

    void reportsEachStepAsItStarts()
    {
        ConformanceCheck checker(m_client);
        QSignalSpy progress(&checker, &ConformanceCheck::progress);
        std::optional<ReportCard> card;
        bool runningInDone = true;
        QObject scope; // a run that did not finish goes with it (see check())
        checker.run(*QualifiedName::parse(QStringLiteral("/whisk.system/alarms/alarm")),
                    QJsonObject{{QStringLiteral("cron"), QStringLiteral("0 0 1 1 *")}},
                    &scope,
                    [&](ReportCard c) {
                        card = c;
                        runningInDone = checker.isRunning();
                    });
        QVERIFY(checker.isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(card.has_value(), checkDeadlineMs);
        QVERIFY(!runningInDone);
        QVERIFY(!checker.isRunning());
        QVERIFY2(card->allPassed(), qPrintable(card->toText()));
        // Every step in order, out of one fixed count, the clean-up last.
        QVERIFY(progress.size() >= 10);
        const int count = progress.first().at(1).toInt();
        QCOMPARE(progress.size(), count);
        for (int i = 0; i < progress.size(); ++i) {
            QCOMPARE(progress.at(i).at(0).toInt(), i);
            QCOMPARE(progress.at(i).at(1).toInt(), count);
        }
        QCOMPARE(progress.first().at(2).toString(), QStringLiteral("Set up a scratch trigger"));
        QCOMPARE(progress.last().at(2).toString(), QStringLiteral("Clean up"));
    }

    void cancelStopsAndCleansUp()
    {
        // Cancelled as CREATE starts: CREATE still finishes (the provider stores the entry),
        // then only the clean-up runs, which deletes the entry and the scratch trigger.
        ConformanceCheck checker(m_client);
        QStringList started;
        connect(&checker, &ConformanceCheck::progress, this, [&](int, int, const QString &text) {
            started.append(text);
            if (text == u"CREATE")
                checker.cancel();
        });
        std::optional<ReportCard> card;
        QObject scope; // a run that did not finish goes with it (see check())
        checker.run(*QualifiedName::parse(QStringLiteral("/whisk.system/alarms/alarm")),
                    QJsonObject{{QStringLiteral("cron"), QStringLiteral("0 0 1 1 *")}},
                    &scope,
                    [&](ReportCard c) { card = c; });
        QTRY_VERIFY_WITH_TIMEOUT(card.has_value(), checkDeadlineMs);
        qInfo().noquote() << card->toText();
        QVERIFY(card->cancelled);
        QCOMPARE(started,
                 QStringList({QStringLiteral("Set up a scratch trigger"),
                              QStringLiteral("CREATE"),
                              QStringLiteral("Clean up")}));
        QVERIFY(card->row(QStringLiteral("CREATE")) && card->row(QStringLiteral("CREATE"))->passed);
        QVERIFY(!card->row(QStringLiteral("READ after CREATE")));
        QVERIFY(card->row(QStringLiteral("Clean up"))
                && card->row(QStringLiteral("Clean up"))->passed);
        QCOMPARE(scratchTriggers(), 0);
        const QString scratch = card->scratchTrigger.section(u'/', -1);
        QVERIFY(!scratch.isEmpty());
        QVERIFY2(alarmEntry(m_engine, scratch).isEmpty(), "the provider kept the scratch entry");
        QVERIFY(card->toText().contains(QLatin1String("(cancelled)")));
    }

    void refusedPauseIsAWarning()
    {
        // Refusing PAUSE / UNPAUSE cleanly is what the upstream feeds do: allowed (clients fall
        // back to a soft pause), but worth a warning.
        FeedMisbehaviour noPause;
        noPause.refused = {QStringLiteral("PAUSE"), QStringLiteral("UNPAUSE")};
        const auto r = m_engine.put(QStringLiteral("/api/v1/namespaces/guest/actions/nopause"),
                                    misbehavingAlarmFeed(noPause));
        QVERIFY2(r.status == 200, r.body.constData());
        const std::optional<ReportCard> result
            = check(*QualifiedName::parse(QStringLiteral("/guest/nopause")),
                    QJsonObject{{QStringLiteral("cron"), QStringLiteral("0 0 1 1 *")}},
                    QJsonObject{{QStringLiteral("cron"), QStringLiteral("0 0 2 1 *")}});
        QVERIFY2(result, "the check did not finish");
        QVERIFY2(result->allPassed(), qPrintable(result->toText()));
        QCOMPARE(result->row(QStringLiteral("PAUSE"))->verdict(), QStringLiteral("WARN"));
        QCOMPARE(result->row(QStringLiteral("UNPAUSE"))->verdict(), QStringLiteral("WARN"));
        QCOMPARE(result->row(QStringLiteral("CREATE"))->verdict(), QStringLiteral("PASS"));
        QCOMPARE(result->warnings(), 2);
        QVERIFY(!result->row(QStringLiteral("READ after PAUSE")));
        QCOMPARE(scratchTriggers(), 0);
    }

    void missingFeedIsReportedNotCrashed()
    {
        const std::optional<ReportCard> result
            = check(*QualifiedName::parse(QStringLiteral("/guest/nothere")),
                    QJsonObject{{QStringLiteral("cron"), QStringLiteral("0 0 1 1 *")}});
        QVERIFY2(result, "the check did not finish");
        const ReportCard &card = *result;
        QVERIFY(!card.allPassed());
        QVERIFY(failed(card, QStringLiteral("CREATE")));
        QVERIFY(card.row(QStringLiteral("CREATE"))
                && card.row(QStringLiteral("CREATE"))->detail.contains(QLatin1String("404")));
        QCOMPARE(scratchTriggers(), 0);
    }
};

QTEST_GUILESS_MAIN(TestConformanceCheck)
#include "tst_conformancecheck.moc"
