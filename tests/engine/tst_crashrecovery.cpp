// SPDX-License-Identifier: GPL-3.0-or-later
// Crashes lose nothing and leave no dangling activation id. Every activation the engine accepts
// is written as pending in the commit that acknowledges it; one the engine did not finish before
// it died (SIGKILL) or stopped is recorded at the next start as a "whisk internal error" with
// {"error": "The engine stopped before the action finished."} (PendingActivations). Then a short
// version of bench/crash.sh: load, SIGKILL at random moments, restart, check everything that was
// acknowledged, the CouchDB and SSE feeds exactly once, the alarm on schedule.
#include "crashrun.h"
#include "enginefixture.h"
#include "feedtesting.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QTest>

using namespace Feedscope::Testing;

namespace {

const QString stopped = QStringLiteral("The engine stopped before the action finished.");

// An action that never finishes while the test runs (its timeout is far away).
QJsonObject hangingAction()
{
    QJsonObject body = nodeAction(
        QStringLiteral("function main(p) { return new Promise(resolve => setTimeout(() => "
                       "resolve(p), 300000)); }"));
    body.insert(QStringLiteral("limits"), QJsonObject{{QStringLiteral("timeout"), 300000}});
    return body;
}

QString idOf(const HttpResult &r)
{
    return r.object().value(QLatin1String("activationId")).toString();
}

// The activation id a trigger record's only log line names.
QString ruleActivationOf(EngineProcess &e, const QString &triggerActivationId)
{
    const QStringList logs = logsOf(e.get(activationPath(triggerActivationId)).object());
    if (logs.size() != 1)
        return {};
    return QJsonDocument::fromJson(logs.first().toUtf8())
        .object()
        .value(QLatin1String("activationId"))
        .toString();
}

// The rest of the start-up banner after the listening line.
QByteArray bannerOf(EngineProcess &e)
{
    QByteArray banner;
    QDeadlineTimer deadline(10000);
    while (!banner.contains("resources:") && !deadline.hasExpired()) {
        e.process().waitForReadyRead(100);
        banner += e.process().readAllStandardOutput();
    }
    return banner;
}

} // namespace

class TestCrashRecovery : public QObject
{
    Q_OBJECT

private:
    // Accepts activations that cannot finish: two fires whose rule runs the hanging action, a
    // non-blocking invoke, a blocking one that gives up waiting, and a sequence around it.
    static QStringList acceptUnfinished(EngineProcess &e)
    {
        QStringList ids;
        if (createAction(e, QStringLiteral("hang"), hangingAction()).isEmpty()
            || !setUpTrigger(e, QStringLiteral("t"))
            || !ok(e.put(api(QStringLiteral("rules/r")),
                         {{QStringLiteral("trigger"), QStringLiteral("/_/t")},
                          {QStringLiteral("action"), QStringLiteral("/_/hang")}}),
                   "rule")
            || createAction(e,
                            QStringLiteral("seq"),
                            QJsonObject{{QStringLiteral("exec"),
                                         QJsonObject{{QStringLiteral("kind"),
                                                      QStringLiteral("sequence")},
                                                     {QStringLiteral("components"),
                                                      QJsonArray{QStringLiteral("/_/hang")}}}}})
                   .isEmpty()) {
            return {};
        }
        for (int n = 0; n < 2; ++n) {
            const HttpResult fire
                = e.post(api(QStringLiteral("triggers/t")), {{QStringLiteral("n"), n}});
            if (fire.status != 202)
                return {};
            ids.append(ruleActivationOf(e, idOf(fire)));
        }
        ids.append(idOf(e.post(actionPath(QStringLiteral("hang")))));
        ids.append(idOf(e.post(actionPath(QStringLiteral("hang")) + QStringLiteral(
                                   "?blocking=true&timeout=100"))));
        ids.append(idOf(e.post(actionPath(QStringLiteral("seq")))));
        ids.removeAll(QString());
        return ids.size() == 5 ? ids : QStringList();
    }

    // Each id answers with the failure record: whisk internal error, the engine's message, times
    // and the annotations of a finished activation.
    static void verifyRepaired(EngineProcess &e, const QStringList &ids)
    {
        for (const QString &id : ids) {
            const HttpResult r = e.get(activationPath(id));
            QVERIFY2(r.status == 200, qPrintable(id + u' ' + QString::fromUtf8(r.body)));
            const QJsonObject record = r.object();
            QCOMPARE(record.value(QLatin1String("activationId")).toString(), id);
            QCOMPARE(statusOf(record), QStringLiteral("whisk internal error"));
            QCOMPARE(responseOf(record).value(QLatin1String("success")), QJsonValue(false));
            QCOMPARE(resultOf(record),
                     (QJsonObject{{QStringLiteral("error"), stopped}}));
            const qint64 start = record.value(QLatin1String("start")).toInteger();
            const qint64 end = record.value(QLatin1String("end")).toInteger();
            QVERIFY(start > 0);
            QVERIFY(end >= start);
            QCOMPARE(record.value(QLatin1String("duration")).toInteger(), end - start);
            const bool sequence = record.value(QLatin1String("name")).toString() == u"seq";
            QCOMPARE(annotation(record, QStringLiteral("path")).toString(),
                     sequence ? QStringLiteral("guest/seq") : QStringLiteral("guest/hang"));
            QCOMPARE(annotation(record, QStringLiteral("kind")).toString(),
                     sequence ? QStringLiteral("sequence") : QStringLiteral("nodejs:20"));
            QVERIFY(annotation(record, QStringLiteral("limits")).isObject());
            if (sequence)
                QCOMPARE(annotation(record, QStringLiteral("topmost")), QJsonValue(true));
            else
                QCOMPARE(annotation(record, QStringLiteral("timeout")), QJsonValue(false));
        }
    }

private Q_SLOTS:
    void killedEngineRecordsUnfinishedAsFailed()
    {
        EngineProcess engine;
        QVERIFY2(engine.start(), qPrintable(engine.errorString()));
        const QStringList ids = acceptUnfinished(engine);
        QCOMPARE(ids.size(), 5);
        for (const QString &id : ids)
            QCOMPARE(engine.get(activationPath(id)).status, 404); // still running
        engine.kill();

        QVERIFY2(engine.start(), qPrintable(engine.errorString()));
        QVERIFY(bannerOf(engine).contains(
            "recorded 5 activation(s) the previous run did not finish as failed"));
        verifyRepaired(engine, ids);
        // Listed like any other activation.
        const QJsonArray listed = engine.get(api(QStringLiteral("activations?name=hang"))).array();
        QCOMPARE(listed.size(), 4);
        for (const QJsonValue &summary : listed)
            QCOMPARE(summary.toObject().value(QLatin1String("statusCode")).toInt(), 3);

        // Repaired once: a second restart finds nothing left, and the engine runs actions again.
        engine.kill();
        QVERIFY2(engine.start(), qPrintable(engine.errorString()));
        QVERIFY(!bannerOf(engine).contains("recorded"));
        QCOMPARE(engine.post(actionPath(QStringLiteral("seq")) + QStringLiteral("?blocking=true&timeout=100"))
                     .status,
                 202);
    }

    void stoppedEngineRecordsUnfinishedAsFailed()
    {
        // A graceful stop (SIGTERM) does not wait for actions either; the next start records them.
        EngineProcess engine;
        QVERIFY2(engine.start(), qPrintable(engine.errorString()));
        const QStringList ids = acceptUnfinished(engine);
        QCOMPARE(ids.size(), 5);
        engine.stop();
        QVERIFY2(engine.start(), qPrintable(engine.errorString()));
        verifyRepaired(engine, ids);
    }

    void shortCrashRounds()
    {
        Feedscope::Bench::CrashOptions options;
        options.rounds = 3;
        options.minRoundMs = 300;
        options.maxRoundMs = 2000;
        options.pouchDbServer = QStringLiteral(FEEDSCOPE_POUCHDB_SERVER);
        options.eventService = QStringLiteral(FEEDSCOPE_EVENT_SERVICE);
        QVERIFY2(QFileInfo::exists(options.pouchDbServer),
                 "pouchdb-server is missing: run ./test.sh (npm ci in tests/e2e) first");
        options.progress = [](const QString &line) { qInfo("%s", qPrintable(line)); };
        const Feedscope::Bench::CrashReport r = Feedscope::Bench::runCrashRounds(options);
        qInfo("crash: acknowledged %lld, present %lld, repaired %lld, lost %lld",
              r.acknowledged,
              r.present,
              r.repaired,
              r.lost);
        QVERIFY2(r.problems.isEmpty(), qPrintable(r.problems.join(u'\n')));
        QVERIFY(r.fires > 0);
        QVERIFY(r.writes > 0);
        QVERIFY(r.couchDocs > 0);
        QVERIFY(r.sseEvents > 0);
        QCOMPARE(r.lost, 0);
        QCOMPARE(r.couchRepeated, 0);
        QCOMPARE(r.sseRepeated, 0);
        QVERIFY(r.alarmsResumed);
        QCOMPARE(r.integrity, QStringLiteral("ok"));
        QCOMPARE(r.acknowledged, r.present + r.repaired);
    }
};

QTEST_GUILESS_MAIN(TestCrashRecovery)
#include "tst_crashrecovery.moc"
