// SPDX-License-Identifier: GPL-3.0-or-later
// Persistence across restarts: a graceful stop and a crash (SIGKILL) must both keep every
// acknowledged write: entities, rule status, versions and activation records.
#include "enginefixture.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QMap>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace Feedscope::Testing;

namespace {

QString path(const QString &tail)
{
    return QStringLiteral("/api/v1/namespaces/_/") + tail;
}

QJsonObject ruleBody(const QString &trigger, const QString &action)
{
    return QJsonObject{{QStringLiteral("trigger"), trigger}, {QStringLiteral("action"), action}};
}

QJsonObject statusBody(const QString &status)
{
    return QJsonObject{{QStringLiteral("status"), status}};
}

QJsonObject bindingBody(const QString &package)
{
    return QJsonObject{{QStringLiteral("binding"),
                        QJsonObject{{QStringLiteral("namespace"), QStringLiteral("guest")},
                                    {QStringLiteral("name"), package}}}};
}

HttpResult waitForActivation(EngineProcess &engine, const QString &id)
{
    // Only bounds a hang; nothing is timed.
    QDeadlineTimer deadline(60000);
    HttpResult r;
    do {
        r = engine.get(path(QStringLiteral("activations/") + id));
        if (r.status != 404)
            return r;
        QTest::qWait(20);
    } while (!deadline.hasExpired());
    return r;
}

// The activation ids of the rule-fired actions named in a trigger activation's log lines.
QStringList firedActivationIds(const QJsonObject &triggerRecord)
{
    QStringList ids;
    for (const QJsonValue &v : triggerRecord.value(QLatin1String("logs")).toArray()) {
        const QString id = QJsonDocument::fromJson(v.toString().toUtf8())
                               .object()
                               .value(QLatin1String("activationId"))
                               .toString();
        if (!id.isEmpty())
            ids.append(id);
    }
    return ids;
}

QJsonObject resultOf(const QJsonObject &record)
{
    return record.value(QLatin1String("response"))
        .toObject()
        .value(QLatin1String("result"))
        .toObject();
}

QString annotationOf(const QJsonObject &record, const QString &key)
{
    for (const QJsonValue &v : record.value(QLatin1String("annotations")).toArray()) {
        if (v.toObject().value(QLatin1String("key")).toString() == key)
            return v.toObject().value(QLatin1String("value")).toString();
    }
    return {};
}

// A collection list keyed by entity name, so the comparison does not depend on how entities
// with the same `updated` time are ordered.
QMap<QString, QJsonObject> byName(const QJsonArray &items)
{
    QMap<QString, QJsonObject> map;
    for (const QJsonValue &v : items)
        map.insert(v.toObject().value(QLatin1String("name")).toString(), v.toObject());
    return map;
}

// Everything a client can read back about a namespace.
struct Snapshot
{
    QMap<QString, QByteArray> entities; // GET path -> body
    QMap<QString, int> statuses;        // GET path -> status
    QMap<QString, QMap<QString, QJsonObject>> lists;
    QJsonArray activations;             // docs=true, newest first
    QMap<QString, QJsonObject> records; // id -> GET, /logs, /result combined

    static Snapshot take(EngineProcess &engine, const QStringList &entityPaths)
    {
        Snapshot s;
        for (const QString &p : entityPaths) {
            const HttpResult r = engine.get(path(p));
            s.statuses.insert(p, r.status);
            s.entities.insert(p, QJsonDocument(r.object()).toJson(QJsonDocument::Compact));
        }
        for (const char *collection : {"actions", "packages", "triggers", "rules"}) {
            s.lists.insert(
                QString::fromLatin1(collection),
                byName(
                    engine.get(path(QString::fromLatin1(collection) + QStringLiteral("?limit=200")))
                        .array()));
        }
        s.activations = engine.get(path(QStringLiteral("activations?docs=true&limit=200"))).array();
        for (const QJsonValue &v : s.activations) {
            const QString id = v.toObject().value(QLatin1String("activationId")).toString();
            const QString base = QStringLiteral("activations/") + id;
            s.records.insert(
                id,
                QJsonObject{{QStringLiteral("record"), engine.get(path(base)).object()},
                            {QStringLiteral("logs"),
                             engine.get(path(base + QStringLiteral("/logs"))).object()},
                            {QStringLiteral("result"),
                             engine.get(path(base + QStringLiteral("/result"))).object()}});
        }
        return s;
    }
};

} // namespace

class TestRestart : public QObject
{
    Q_OBJECT

private:
    // Fails the calling test (through the caller's QVERIFY on the result) unless 2xx.
    static bool ok(const HttpResult &r, const char *what)
    {
        if (r.status >= 200 && r.status < 300)
            return true;
        qWarning("%s: %d %s", what, r.status, r.body.constData());
        return false;
    }

private Q_SLOTS:
    void gracefulRestartKeepsEverything()
    {
        EngineProcess engine;
        QVERIFY2(engine.start(), qPrintable(engine.errorString()));

        QJsonObject withParams = nodeAction();
        withParams.insert(QStringLiteral("parameters"), keyValues({{QStringLiteral("p"), 1}}));
        withParams.insert(QStringLiteral("annotations"),
                          keyValues({{QStringLiteral("web-export"), true}}));
        QVERIFY(ok(engine.put(path(QStringLiteral("actions/a1")), withParams), "a1"));
        QVERIFY(ok(engine.put(path(QStringLiteral("actions/a2")), nodeAction()), "a2"));
        QVERIFY(ok(engine.put(path(QStringLiteral("packages/pkg")),
                              {{QStringLiteral("parameters"),
                                keyValues({{QStringLiteral("pp"), QStringLiteral("x")}})},
                               {QStringLiteral("publish"), true}}),
                   "pkg"));
        QVERIFY(ok(engine.put(path(QStringLiteral("actions/pkg/pa")), nodeAction()), "pkg/pa"));
        QVERIFY(
            ok(engine.put(path(QStringLiteral("packages/bnd")), bindingBody(QStringLiteral("pkg"))),
               "bnd"));
        QVERIFY(
            ok(engine.put(path(QStringLiteral("triggers/t1")),
                          {{QStringLiteral("annotations"),
                            keyValues({{QStringLiteral("feed"),
                                        QStringLiteral("/whisk.system/alarms/alarm")}})},
                           {QStringLiteral("parameters"), keyValues({{QStringLiteral("tp"), 2}})}}),
               "t1"));
        QVERIFY(ok(engine.put(path(QStringLiteral("triggers/t2")), {}), "t2"));
        QVERIFY(ok(engine.put(path(QStringLiteral("rules/r1")),
                              ruleBody(QStringLiteral("t1"), QStringLiteral("a1"))),
                   "r1"));
        QVERIFY(ok(engine.put(path(QStringLiteral("rules/r2")),
                              ruleBody(QStringLiteral("t2"), QStringLiteral("a2"))),
                   "r2"));
        QVERIFY(ok(engine.put(path(QStringLiteral("rules/r3")),
                              ruleBody(QStringLiteral("t1"), QStringLiteral("/_/bnd/pa"))),
                   "r3"));
        QVERIFY(ok(
            engine.post(path(QStringLiteral("rules/r2")), statusBody(QStringLiteral("inactive"))),
            "disable r2"));

        const HttpResult fire = engine.post(path(QStringLiteral("triggers/t1")),
                                            {{QStringLiteral("temperature"), 60}});
        QCOMPARE(fire.status, 202);
        const QString triggerId = fire.object().value(QLatin1String("activationId")).toString();
        const HttpResult triggerRecord = waitForActivation(engine, triggerId);
        QCOMPARE(triggerRecord.status, 200);
        // The two active rules' actions run asynchronously; their records are written when
        // the runs complete, so wait for them before taking the snapshot.
        const QStringList firedIds = firedActivationIds(triggerRecord.object());
        QCOMPARE(firedIds.size(), 2);
        for (const QString &id : firedIds) {
            const HttpResult fired = waitForActivation(engine, id);
            QCOMPARE(fired.status, 200);
            QJsonObject received = resultOf(fired.object());
            QVERIFY(received.take(QLatin1String("__ow_headers")).isObject());
            const QString actionPath = annotationOf(fired.object(), QStringLiteral("path"));
            if (actionPath == u"guest/a1") {
                QCOMPARE(received,
                         (QJsonObject{{QStringLiteral("p"), 1},
                                      {QStringLiteral("tp"), 2},
                                      {QStringLiteral("temperature"), 60}}));
            } else {
                QCOMPARE(actionPath, QStringLiteral("guest/pkg/pa"));
                QCOMPARE(received,
                         (QJsonObject{{QStringLiteral("pp"), QStringLiteral("x")},
                                      {QStringLiteral("tp"), 2},
                                      {QStringLiteral("temperature"), 60}}));
            }
        }
        const HttpResult invoked
            = engine.post(path(QStringLiteral("actions/a2")), {{QStringLiteral("x"), 1}});
        QCOMPARE(invoked.status, 202);
        const QString invokedId = invoked.object().value(QLatin1String("activationId")).toString();
        QCOMPARE(waitForActivation(engine, invokedId).status, 200);
        const HttpResult blocking
            = engine.post(path(QStringLiteral("actions/pkg/pa?blocking=true")));
        QCOMPARE(blocking.status, 200);
        QCOMPARE(resultOf(blocking.object()),
                 (QJsonObject{{QStringLiteral("pp"), QStringLiteral("x")}}));

        const QStringList paths{
            QStringLiteral("actions/a1"),
            QStringLiteral("actions/a2"),
            QStringLiteral("actions/pkg/pa"),
            QStringLiteral("packages/pkg"),
            QStringLiteral("packages/bnd"),
            QStringLiteral("triggers/t1"),
            QStringLiteral("triggers/t2"),
            QStringLiteral("rules/r1"),
            QStringLiteral("rules/r2"),
            QStringLiteral("rules/r3"),
        };
        const Snapshot before = Snapshot::take(engine, paths);
        for (auto it = before.statuses.begin(); it != before.statuses.end(); ++it)
            QVERIFY2(it.value() == 200, qPrintable(it.key()));
        // Fire (trigger + 2 rule actions), invoke, blocking invoke.
        QCOMPARE(before.activations.size(), 5);
        QVERIFY(before.records.contains(triggerId));
        QVERIFY(before.records.contains(invokedId));

        engine.stop();
        QCOMPARE(engine.process().exitStatus(), QProcess::NormalExit);
        QVERIFY2(engine.start(), qPrintable(engine.errorString()));

        const Snapshot after = Snapshot::take(engine, paths);
        QCOMPARE(after.statuses, before.statuses);
        for (const QString &p : paths)
            QCOMPARE(after.entities.value(p), before.entities.value(p));
        QCOMPARE(after.lists, before.lists);
        QCOMPARE(after.activations, before.activations);
        QCOMPARE(after.records, before.records);

        QCOMPARE(engine.get(path(QStringLiteral("rules/r2")))
                     .object()
                     .value(QLatin1String("status"))
                     .toString(),
                 QStringLiteral("inactive"));
        QCOMPARE(engine.get(path(QStringLiteral("rules/r1")))
                     .object()
                     .value(QLatin1String("status"))
                     .toString(),
                 QStringLiteral("active"));

        // The restarted engine behaves on the reloaded state.
        QCOMPARE(engine.post(path(QStringLiteral("triggers/t2"))).status, 204);
        const HttpResult again = engine.post(path(QStringLiteral("triggers/t1")));
        QCOMPARE(again.status, 202);
        const QString againId = again.object().value(QLatin1String("activationId")).toString();
        QVERIFY(!before.records.contains(againId));
        const HttpResult againRecord = waitForActivation(engine, againId);
        QCOMPARE(againRecord.status, 200);
        // The rule's action really runs again on the restarted engine (a fresh runner).
        const QStringList againFired = firedActivationIds(againRecord.object());
        QCOMPARE(againFired.size(), 2);
        for (const QString &id : againFired) {
            const HttpResult fired = waitForActivation(engine, id);
            QCOMPARE(fired.status, 200);
            QCOMPARE(resultOf(fired.object()).value(QLatin1String("tp")), QJsonValue(2));
        }
        const HttpResult invokedAfterRestart = engine.post(
            path(QStringLiteral("actions/a2?blocking=true")), {{QStringLiteral("y"), 3}});
        QCOMPARE(invokedAfterRestart.status, 200);
        QCOMPARE(resultOf(invokedAfterRestart.object()), (QJsonObject{{QStringLiteral("y"), 3}}));
        QCOMPARE(engine.put(path(QStringLiteral("actions/a1")), nodeAction()).status, 409);
    }

    void crashKeepsAcknowledgedWrites()
    {
        EngineProcess engine;
        QVERIFY2(engine.start(), qPrintable(engine.errorString()));

        QVERIFY(ok(engine.put(path(QStringLiteral("actions/c_a")), nodeAction()), "c_a"));
        QVERIFY(ok(engine.put(path(QStringLiteral("actions/c_gone")), nodeAction()), "c_gone"));
        QVERIFY(ok(engine.put(path(QStringLiteral("triggers/c_t")), {}), "c_t"));
        QVERIFY(ok(engine.put(path(QStringLiteral("rules/c_r")),
                              ruleBody(QStringLiteral("c_t"), QStringLiteral("c_a"))),
                   "c_r"));
        const HttpResult fire
            = engine.post(path(QStringLiteral("triggers/c_t")), {{QStringLiteral("n"), 7}});
        QCOMPARE(fire.status, 202);
        const QString triggerId = fire.object().value(QLatin1String("activationId")).toString();
        // The trigger record is written asynchronously after the 202 (PROTOCOL.md 1.8): it is
        // acknowledged once readable.
        QCOMPARE(waitForActivation(engine, triggerId).status, 200);
        const HttpResult blocking = engine.post(path(QStringLiteral("actions/c_a?blocking=true")));
        QCOMPARE(blocking.status, 200);
        QCOMPARE(resultOf(blocking.object()), QJsonObject());
        const QJsonObject blockingRecord = blocking.object();
        const QString blockingId = blockingRecord.value(QLatin1String("activationId")).toString();
        QCOMPARE(blockingId.size(), 32);
        const HttpResult updated
            = engine.put(path(QStringLiteral("actions/c_a?overwrite=true")),
                         {{QStringLiteral("parameters"), keyValues({{QStringLiteral("v"), 2}})}});
        QVERIFY(ok(updated, "update c_a"));
        QVERIFY(ok(engine.del(path(QStringLiteral("actions/c_gone"))), "delete c_gone"));
        const HttpResult lastTrigger
            = engine.put(path(QStringLiteral("triggers/c_last")),
                         {{QStringLiteral("parameters"), keyValues({{QStringLiteral("z"), 3}})}});
        QVERIFY(ok(lastTrigger, "c_last"));
        QVERIFY(ok(
            engine.post(path(QStringLiteral("rules/c_r")), statusBody(QStringLiteral("inactive"))),
            "disable c_r"));

        // A crash right after the last acknowledgement.
        engine.kill();
        QCOMPARE(engine.process().exitStatus(), QProcess::CrashExit);
        QVERIFY2(engine.start(), qPrintable(engine.errorString()));

        const HttpResult action = engine.get(path(QStringLiteral("actions/c_a")));
        QCOMPARE(action.status, 200);
        QCOMPARE(action.object(), updated.object());
        QCOMPARE(engine.get(path(QStringLiteral("actions/c_gone"))).status, 404);
        const HttpResult trigger = engine.get(path(QStringLiteral("triggers/c_last")));
        QCOMPARE(trigger.status, 200);
        QCOMPARE(trigger.object(), lastTrigger.object());
        QCOMPARE(engine.get(path(QStringLiteral("rules/c_r")))
                     .object()
                     .value(QLatin1String("status"))
                     .toString(),
                 QStringLiteral("inactive"));
        QCOMPARE(engine.get(path(QStringLiteral("triggers/c_t")))
                     .object()
                     .value(QLatin1String("rules"))
                     .toObject()
                     .value(QLatin1String("guest/c_r"))
                     .toObject()
                     .value(QLatin1String("status"))
                     .toString(),
                 QStringLiteral("inactive"));

        const HttpResult triggerRecord
            = engine.get(path(QStringLiteral("activations/") + triggerId));
        QCOMPARE(triggerRecord.status, 200);
        QCOMPARE(triggerRecord.object()
                     .value(QLatin1String("response"))
                     .toObject()
                     .value(QLatin1String("result")),
                 QJsonValue(QJsonObject{{QStringLiteral("n"), 7}}));
        const HttpResult record = engine.get(path(QStringLiteral("activations/") + blockingId));
        QCOMPARE(record.status, 200);
        QCOMPARE(record.object(), blockingRecord);
    }

    void versionAndUpdatedSurvive()
    {
        EngineProcess engine;
        QVERIFY2(engine.start(), qPrintable(engine.errorString()));
        QVERIFY(ok(engine.put(path(QStringLiteral("actions/v_a")), nodeAction()), "v_a"));
        QVERIFY(ok(engine.put(path(QStringLiteral("actions/v_a?overwrite=true")), nodeAction()),
                   "v_a 2"));
        const HttpResult third
            = engine.put(path(QStringLiteral("actions/v_a?overwrite=true")), nodeAction());
        QVERIFY(ok(third, "v_a 3"));
        QCOMPARE(third.object().value(QLatin1String("version")).toString(),
                 QStringLiteral("0.0.3"));
        QVERIFY(ok(engine.put(path(QStringLiteral("triggers/v_t")), {}), "v_t"));
        const HttpResult trigger
            = engine.put(path(QStringLiteral("triggers/v_t?overwrite=true")),
                         {{QStringLiteral("version"), QStringLiteral("2.5.0")}});
        QVERIFY(ok(trigger, "v_t 2"));
        QCOMPARE(trigger.object().value(QLatin1String("version")).toString(),
                 QStringLiteral("2.5.0"));
        const qint64 updated = third.object().value(QLatin1String("updated")).toInteger();

        engine.stop();
        QVERIFY2(engine.start(), qPrintable(engine.errorString()));

        const QJsonObject action = engine.get(path(QStringLiteral("actions/v_a"))).object();
        QCOMPARE(action.value(QLatin1String("version")).toString(), QStringLiteral("0.0.3"));
        QCOMPARE(action.value(QLatin1String("updated")).toInteger(), updated);
        QCOMPARE(engine.get(path(QStringLiteral("triggers/v_t"))).object(), trigger.object());

        // Versions keep counting from the stored one.
        const HttpResult fourth
            = engine.put(path(QStringLiteral("actions/v_a?overwrite=true")), nodeAction());
        QVERIFY(ok(fourth, "v_a 4"));
        QCOMPARE(fourth.object().value(QLatin1String("version")).toString(),
                 QStringLiteral("0.0.4"));
        QVERIFY(fourth.object().value(QLatin1String("updated")).toInteger() >= updated);
        const HttpResult triggerAgain
            = engine.put(path(QStringLiteral("triggers/v_t?overwrite=true")), {});
        QCOMPARE(triggerAgain.object().value(QLatin1String("version")).toString(),
                 QStringLiteral("2.5.1"));
    }

    void newerSchemaIsRefused()
    {
        EngineProcess engine;
        QVERIFY2(engine.start(), qPrintable(engine.errorString()));
        QVERIFY(ok(engine.put(path(QStringLiteral("actions/s_a")), nodeAction()), "s_a"));
        engine.stop();

        const QString db = QDir(engine.dataDirectory()).filePath(QStringLiteral("feedscope.db"));
        QVERIFY(QFile::exists(db));
        // The schema version is written as a newer engine would, with Qt's own SQLite driver
        // (the one the engine uses), so the check never depends on a command-line tool.
        auto sql = [&](const QString &statement) {
            const QString connection = QStringLiteral("newer-schema");
            QString value;
            {
                QSqlDatabase handle
                    = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
                handle.setDatabaseName(db);
                QSqlQuery query(handle);
                if (!handle.open())
                    qWarning("open %s: %s", qPrintable(db), qPrintable(handle.lastError().text()));
                else if (!query.exec(statement))
                    qWarning("%s: %s", qPrintable(statement), qPrintable(query.lastError().text()));
                else if (query.next())
                    value = query.value(0).toString();
            }
            QSqlDatabase::removeDatabase(connection);
            return value;
        };
        const int current = sql(QStringLiteral("PRAGMA user_version")).toInt();
        QVERIFY(current >= 1);
        sql(QStringLiteral("PRAGMA user_version=%1").arg(current + 98));
        QCOMPARE(sql(QStringLiteral("PRAGMA user_version")).toInt(), current + 98);

        QVERIFY(!engine.start());
        QVERIFY2(engine.errorString().contains(QLatin1String("newer")),
                 qPrintable(engine.errorString()));
        QCOMPARE(engine.process().state(), QProcess::NotRunning);
        QVERIFY(engine.process().exitCode() != 0);

        // Refusing changed nothing: with the version put back the data is all there.
        sql(QStringLiteral("PRAGMA user_version=%1").arg(current));
        QVERIFY2(engine.start(), qPrintable(engine.errorString()));
        QCOMPARE(engine.get(path(QStringLiteral("actions/s_a"))).status, 200);
    }
};

QTEST_GUILESS_MAIN(TestRestart)
#include "tst_restart.moc"
