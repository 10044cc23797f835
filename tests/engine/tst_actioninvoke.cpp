// SPDX-License-Identifier: GPL-3.0-or-later
// Action invoke: non-blocking and blocking calls, results, logs, errors, activations, bindings,
// final parameters and timeouts (PROTOCOL.md 1.6, 2.1). CRUD and lists: tst_actionsapi.cpp.
#include "feedtesting.h"

#include <QDeadlineTimer>
#include <QRegularExpression>
#include <QTest>
#include <QUrl>

using namespace Feedscope::Testing;
using namespace Qt::StringLiterals;

namespace {

const QString notFound = u"The requested resource does not exist."_s;

} // namespace

class TestActionInvoke : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;

    // Creates an action / a package and checks the engine accepted it.
    QJsonObject create(const QString &name,
                       const QJsonObject &body = nodeAction(),
                       const QByteArray &auth = guestKey)
    {
        return createAction(m_engine, name, body, auth);
    }
    bool createPackage(const QString &name,
                       const QJsonObject &body = {},
                       const QByteArray &auth = guestKey)
    {
        return Feedscope::Testing::createPackage(m_engine, name, body, auth);
    }

    HttpResult invoke(const QString &name,
                      const QString &query = {},
                      const QJsonObject &payload = {},
                      const QByteArray &auth = guestKey)
    {
        return m_engine.post(actionPath(name) + query, payload, auth);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString())); }

    void invokeNonBlocking()
    {
        QVERIFY(!create(u"inv-async"_s).isEmpty());
        const HttpResult r = invoke(u"inv-async"_s, {}, QJsonObject{{u"name"_s, u"x"_s}});
        QCOMPARE(r.status, 202);
        const QJsonObject body = r.object();
        QCOMPARE(body.keys(), QStringList{u"activationId"_s});
        const QString id = body.value(u"activationId"_s).toString();
        QVERIFY2(QRegularExpression(u"^[0-9a-f]{32}$"_s).match(id).hasMatch(), qPrintable(id));
        QCOMPARE(QString::fromLatin1(r.header("x-openwhisk-activation-id")), id);
        // blocking=false is the same as no flag.
        QCOMPARE(invoke(u"inv-async"_s, u"?blocking=false"_s).status, 202);
    }

    void invokeBlockingReturnsTheRecord()
    {
        QJsonObject body = nodeAction(); // echo
        body.insert(u"limits"_s, QJsonObject{{u"memory"_s, 128}});
        QVERIFY(!create(u"inv-block"_s, body).isEmpty());
        const QJsonObject payload{{u"name"_s, u"x"_s}, {u"n"_s, 7}, {u"deep"_s, QJsonArray{1, 2}}};
        const HttpResult r = invoke(u"inv-block"_s, u"?blocking=true"_s, payload);
        QCOMPARE(r.status, 200);
        const QJsonObject record = r.object();
        const QString id = record.value(u"activationId"_s).toString();
        QCOMPARE(id.size(), 32);
        QCOMPARE(QString::fromLatin1(r.header("x-openwhisk-activation-id")), id);
        QCOMPARE(record.value(u"namespace"_s).toString(), u"guest"_s);
        QCOMPARE(record.value(u"name"_s).toString(), u"inv-block"_s);
        QCOMPARE(record.value(u"version"_s).toString(), u"0.0.1"_s);
        QCOMPARE(record.value(u"subject"_s).toString(), u"guest"_s);
        QCOMPARE(record.value(u"publish"_s), QJsonValue(false));
        QVERIFY(!record.contains(u"cause"_s));
        QVERIFY(record.value(u"start"_s).isDouble());
        QVERIFY(record.value(u"end"_s).toInteger() >= record.value(u"start"_s).toInteger());
        QCOMPARE(record.value(u"duration"_s).toInteger(),
                 record.value(u"end"_s).toInteger() - record.value(u"start"_s).toInteger());
        QCOMPARE(record.value(u"logs"_s), QJsonValue(QJsonArray()));

        // The echo action really ran: the result is exactly the payload.
        const QJsonObject response = record.value(u"response"_s).toObject();
        QCOMPARE(response.value(u"status"_s).toString(), u"success"_s);
        QCOMPARE(response.value(u"success"_s), QJsonValue(true));
        QVERIFY(!response.contains(u"statusCode"_s));
        QCOMPARE(response.value(u"result"_s), QJsonValue(payload));

        QCOMPARE(annotation(record, u"path"_s), QJsonValue(u"guest/inv-block"_s));
        QCOMPARE(annotation(record, u"kind"_s), QJsonValue(u"nodejs:20"_s));
        QCOMPARE(annotation(record, u"limits"_s).toObject(),
                 (QJsonObject{{u"timeout"_s, 60000},
                              {u"memory"_s, 128},
                              {u"logs"_s, 10},
                              {u"concurrency"_s, 1}}));
        QVERIFY(annotation(record, u"waitTime"_s).isDouble());
        QCOMPARE(annotation(record, u"timeout"_s), QJsonValue(false));
        QVERIFY(annotation(record, u"binding"_s).isUndefined());
        // First invoke after create: a cold start records initTime.
        QVERIFY2(annotation(record, u"initTime"_s).isDouble(), r.body.constData());
        QVERIFY(annotation(record, u"initTime"_s).toInteger() >= 0);

        // The same action again is warm: no initTime, same result shape.
        const HttpResult warm = invoke(u"inv-block"_s, u"?blocking=true"_s, payload);
        QCOMPARE(warm.status, 200);
        QVERIFY(warm.object().value(u"activationId"_s).toString() != id);
        QCOMPARE(warm.object().value(u"response"_s).toObject().value(u"result"_s),
                 QJsonValue(payload));
        QVERIFY2(annotation(warm.object(), u"initTime"_s).isUndefined(), warm.body.constData());
        QVERIFY(annotation(warm.object(), u"waitTime"_s).isDouble());
        QCOMPARE(annotation(warm.object(), u"timeout"_s), QJsonValue(false));
    }

    void invokeBlockingCollectsLogs()
    {
        QVERIFY(!create(u"inv-logs"_s,
                        nodeAction(u"function main(p) { console.log('hello ' + p.who); "
                                   "console.log('second line'); return {ok: true}; }"_s))
                     .isEmpty());
        const HttpResult r
            = invoke(u"inv-logs"_s, u"?blocking=true"_s, QJsonObject{{u"who"_s, u"world"_s}});
        QCOMPARE(r.status, 200);
        const QJsonObject record = r.object();
        QCOMPARE(record.value(u"response"_s).toObject().value(u"result"_s),
                 QJsonValue(QJsonObject{{u"ok"_s, true}}));
        const QJsonArray logs = record.value(u"logs"_s).toArray();
        QCOMPARE(logs.size(), 2);
        // "<RFC 3339 UTC timestamp, padded to 30> stdout: <text>" (PROTOCOL.md 2.3).
        const QRegularExpression line(
            u"^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z) +stdout: (.*)$"_s);
        const QStringList texts{u"hello world"_s, u"second line"_s};
        for (int i = 0; i < 2; ++i) {
            const QString text = logs.at(i).toString();
            const QRegularExpressionMatch m = line.match(text);
            QVERIFY2(m.hasMatch(), qPrintable(text));
            QCOMPARE(m.captured(3), texts.at(i));
            QVERIFY2(text.indexOf(u" stdout: "_s) >= 30, qPrintable(text));
        }
        // The logs route shows the same lines.
        const HttpResult viaRoute
            = m_engine.get(activationPath(record.value(u"activationId"_s).toString()) + u"/logs"_s);
        QCOMPARE(viaRoute.status, 200);
        QCOMPARE(viaRoute.object().value(u"logs"_s), QJsonValue(logs));
    }

    void invokeBlockingResultOnly()
    {
        QVERIFY(!create(u"inv-result"_s).isEmpty());
        const QJsonObject payload{{u"a"_s, 1}, {u"b"_s, u"two"_s}};
        const HttpResult r = invoke(u"inv-result"_s, u"?blocking=true&result=true"_s, payload);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object(), payload);
        QCOMPARE(r.header("x-openwhisk-activation-id").size(), 32);
    }

    void invokeApplicationError()
    {
        QVERIFY(
            !create(u"inv-apperr"_s, nodeAction(u"function main() { return {error: 'boom'}; }"_s))
                 .isEmpty());
        const HttpResult r = invoke(u"inv-apperr"_s, u"?blocking=true"_s);
        QCOMPARE(r.status, 502);
        QCOMPARE(QString::fromLatin1(r.header("x-openwhisk-activation-id")),
                 r.object().value(u"activationId"_s).toString());
        const QJsonObject response = r.object().value(u"response"_s).toObject();
        QCOMPARE(response.value(u"status"_s).toString(), u"application error"_s);
        QCOMPARE(response.value(u"success"_s), QJsonValue(false));
        QCOMPARE(response.value(u"result"_s), QJsonValue(QJsonObject{{u"error"_s, u"boom"_s}}));

        // result=true: the body is the result object itself.
        const HttpResult only = invoke(u"inv-apperr"_s, u"?blocking=true&result=true"_s);
        QCOMPARE(only.status, 502);
        QCOMPARE(only.object(), (QJsonObject{{u"error"_s, u"boom"_s}}));
        QCOMPARE(only.header("x-openwhisk-activation-id").size(), 32);
    }

    void invokeThrowIsDeveloperError()
    {
        QVERIFY(!create(u"inv-throw"_s,
                        nodeAction(u"function main() { throw new Error('x-marks-the-spot'); }"_s))
                     .isEmpty());
        const HttpResult r = invoke(u"inv-throw"_s, u"?blocking=true"_s);
        QCOMPARE(r.status, 502);
        const QJsonObject record = r.object();
        QCOMPARE(QString::fromLatin1(r.header("x-openwhisk-activation-id")),
                 record.value(u"activationId"_s).toString());
        const QJsonObject response = record.value(u"response"_s).toObject();
        QCOMPARE(response.value(u"status"_s).toString(), u"action developer error"_s);
        QCOMPARE(response.value(u"success"_s), QJsonValue(false));
        QVERIFY(!response.contains(u"statusCode"_s));
        const QString error = response.value(u"result"_s).toObject().value(u"error"_s).toString();
        QVERIFY2(error.contains(u"x-marks-the-spot"_s), qPrintable(error));
        QCOMPARE(annotation(record, u"timeout"_s), QJsonValue(false));

        const HttpResult only = invoke(u"inv-throw"_s, u"?blocking=true&result=true"_s);
        QCOMPARE(only.status, 502);
        QCOMPARE(only.object().keys(), QStringList{u"error"_s});
    }

    void invokeMissingActionIsNotFound()
    {
        const HttpResult r = invoke(u"inv-nothing"_s, u"?blocking=true"_s);
        QCOMPARE(r.status, 404);
        QCOMPARE(r.error(), notFound);
        QVERIFY(r.header("x-openwhisk-activation-id").isEmpty());
        QCOMPARE(invoke(u"nopkg/inv-nothing"_s).status, 404);
    }

    void activationIsReadableAfterInvoke()
    {
        QVERIFY(!create(u"inv-read"_s).isEmpty());
        const HttpResult r = invoke(u"inv-read"_s, {}, QJsonObject{{u"k"_s, 1}});
        QCOMPARE(r.status, 202);
        const QString id = r.object().value(u"activationId"_s).toString();
        // The record is written when the run completes; poll for it (the deadline only bounds
        // a hang, nothing is timed).
        HttpResult a;
        QDeadlineTimer deadline(60000);
        do {
            a = m_engine.get(activationPath(id));
            if (a.status != 404)
                break;
            QTest::qWait(50);
        } while (!deadline.hasExpired());
        QCOMPARE(a.status, 200);
        const QJsonObject record = a.object();
        QCOMPARE(record.value(u"activationId"_s).toString(), id);
        QCOMPARE(record.value(u"name"_s).toString(), u"inv-read"_s);
        QCOMPARE(record.value(u"namespace"_s).toString(), u"guest"_s);
        const QJsonObject response = record.value(u"response"_s).toObject();
        QCOMPARE(response.value(u"status"_s).toString(), u"success"_s);
        QCOMPARE(response.value(u"result"_s), QJsonValue(QJsonObject{{u"k"_s, 1}}));
        QCOMPARE(annotation(record, u"path"_s), QJsonValue(u"guest/inv-read"_s));
        // Another namespace cannot read it through its own namespace.
        QCOMPARE(m_engine.get(activationPath(id), systemKey).status, 404);
    }

    // Found by the Feed Designer's screenshot tour: a polling feed's DELETE removed its poll
    // action while a poll ran, and recording that activation read the deleted action (a crash).
    void actionDeletedOrUpdatedWhileRunningIsStillRecorded()
    {
        const QJsonObject slow = nodeAction(
            u"function main(p) { return new Promise(r => setTimeout(() => r({done: p.n}), 1500)); }"_s);
        QVERIFY(!create(u"inv-vanishing"_s, slow).isEmpty());
        QVERIFY(!create(u"inv-changing"_s, slow).isEmpty());
        const QString gone = invoke(u"inv-vanishing"_s, {}, QJsonObject{{u"n"_s, 1}})
                                 .object()
                                 .value(u"activationId"_s)
                                 .toString();
        const QString changed = invoke(u"inv-changing"_s, {}, QJsonObject{{u"n"_s, 2}})
                                    .object()
                                    .value(u"activationId"_s)
                                    .toString();
        QVERIFY(!gone.isEmpty() && !changed.isEmpty());
        QCOMPARE(m_engine.del(actionPath(u"inv-vanishing"_s)).status, 200);
        // New entities make the store's table grow and move what it holds.
        for (int i = 0; i < 300; ++i)
            QCOMPARE(m_engine.put(u"/api/v1/namespaces/_/triggers/churn-%1"_s.arg(i), {}).status,
                     200);
        QCOMPARE(
            m_engine.put(actionPath(u"inv-changing"_s) + u"?overwrite=true"_s, nodeAction()).status,
            200);
        for (const auto &[id, n] : {std::pair{gone, 1}, std::pair{changed, 2}}) {
            HttpResult a;
            QVERIFY(waitFor([&] { return (a = m_engine.get(activationPath(id))).status == 200; }));
            QCOMPARE(a.object().value(u"response"_s).toObject().value(u"result"_s),
                     QJsonValue(QJsonObject{{u"done"_s, n}}));
        }
        QCOMPARE(m_engine.get(u"/api/v1/namespaces"_s).status, 200); // still up
    }

    void invokeThroughBindingRecordsTheBinding()
    {
        // Parameters: package < binding < action < payload (PROTOCOL.md 1.6).
        QVERIFY(
            createPackage(u"sysinv"_s,
                          QJsonObject{{u"publish"_s, true},
                                      {u"parameters"_s,
                                       keyValues(QJsonObject{{u"fromPkg"_s, u"package"_s},
                                                             {u"fromBinding"_s, u"package"_s},
                                                             {u"fromAction"_s, u"package"_s},
                                                             {u"fromPayload"_s, u"package"_s}})}},
                          systemKey));
        QJsonObject echo = nodeAction();
        echo.insert(u"parameters"_s,
                    keyValues(QJsonObject{{u"fromAction"_s, u"action"_s},
                                          {u"fromPayload"_s, u"action"_s}}));
        QVERIFY(!create(u"sysinv/echo"_s, echo, systemKey).isEmpty());
        QVERIFY(createPackage(
            u"myinv"_s,
            QJsonObject{
                {u"binding"_s,
                 QJsonObject{{u"namespace"_s, u"whisk.system"_s}, {u"name"_s, u"sysinv"_s}}},
                {u"parameters"_s,
                 keyValues(QJsonObject{{u"fromBinding"_s, u"binding"_s},
                                       {u"fromAction"_s, u"binding"_s},
                                       {u"fromPayload"_s, u"binding"_s}})}}));
        const HttpResult r = invoke(
            u"myinv/echo"_s, u"?blocking=true"_s, QJsonObject{{u"fromPayload"_s, u"payload"_s}});
        QCOMPARE(r.status, 200);
        const QJsonObject record = r.object();
        QCOMPARE(record.value(u"namespace"_s).toString(), u"guest"_s);
        QCOMPARE(record.value(u"subject"_s).toString(), u"guest"_s);
        QCOMPARE(record.value(u"name"_s).toString(), u"echo"_s);
        QCOMPARE(annotation(record, u"binding"_s), QJsonValue(u"guest/myinv"_s));
        QCOMPARE(annotation(record, u"path"_s), QJsonValue(u"whisk.system/sysinv/echo"_s));
        QCOMPARE(record.value(u"response"_s).toObject().value(u"result"_s).toObject(),
                 (QJsonObject{{u"fromPkg"_s, u"package"_s},
                              {u"fromBinding"_s, u"binding"_s},
                              {u"fromAction"_s, u"action"_s},
                              {u"fromPayload"_s, u"payload"_s}}));

        // Stored in the caller's namespace, not the package owner's.
        const QString id = record.value(u"activationId"_s).toString();
        const HttpResult mine = m_engine.get(activationPath(id));
        QCOMPARE(mine.status, 200);
        QCOMPARE(annotation(mine.object(), u"binding"_s), QJsonValue(u"guest/myinv"_s));
        QCOMPARE(m_engine.get(activationPath(id), systemKey).status, 404);

        // The owner invoking directly records no binding and gets no binding parameters.
        const HttpResult direct
            = m_engine.post(actionPath(u"sysinv/echo"_s) + u"?blocking=true"_s, {}, systemKey);
        QCOMPARE(direct.status, 200);
        QVERIFY(annotation(direct.object(), u"binding"_s).isUndefined());
        QCOMPARE(direct.object().value(u"namespace"_s).toString(), u"whisk.system"_s);
        QCOMPARE(direct.object().value(u"response"_s).toObject().value(u"result"_s).toObject(),
                 (QJsonObject{{u"fromPkg"_s, u"package"_s},
                              {u"fromBinding"_s, u"package"_s},
                              {u"fromAction"_s, u"action"_s},
                              {u"fromPayload"_s, u"action"_s}}));
    }

    void finalParametersCannotBeOverridden()
    {
        QJsonObject body = nodeAction();
        body.insert(u"parameters"_s, keyValues(QJsonObject{{u"fixed"_s, 1}}));
        body.insert(u"annotations"_s, QJsonArray{kv(u"final"_s, true)});
        QVERIFY(!create(u"inv-final"_s, body).isEmpty());

        const HttpResult r = invoke(u"inv-final"_s, {}, QJsonObject{{u"fixed"_s, 2}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(),
                 u"Request defines parameters that are not allowed (e.g., reserved properties)."_s);
        // Other keys are fine, and the final parameter reaches the action unchanged.
        QCOMPARE(invoke(u"inv-final"_s, {}, QJsonObject{{u"other"_s, 2}}).status, 202);
        const HttpResult ok
            = invoke(u"inv-final"_s, u"?blocking=true&result=true"_s, QJsonObject{{u"other"_s, 2}});
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.object(), (QJsonObject{{u"fixed"_s, 1}, {u"other"_s, 2}}));

        // Without `final` the payload may override a defined parameter.
        QJsonObject open = nodeAction();
        open.insert(u"parameters"_s, keyValues(QJsonObject{{u"fixed"_s, 1}}));
        QVERIFY(!create(u"inv-notfinal"_s, open).isEmpty());
        QCOMPARE(invoke(u"inv-notfinal"_s, {}, QJsonObject{{u"fixed"_s, 2}}).status, 202);
        const HttpResult overridden = invoke(
            u"inv-notfinal"_s, u"?blocking=true&result=true"_s, QJsonObject{{u"fixed"_s, 2}});
        QCOMPARE(overridden.status, 200);
        QCOMPARE(overridden.object(), (QJsonObject{{u"fixed"_s, 2}}));
    }

    void invokeTimeoutOutOfRange()
    {
        QVERIFY(!create(u"inv-timeout"_s).isEmpty());
        for (const QString &timeout : {u"70000"_s, u"0"_s, u"abc"_s}) {
            const HttpResult r = invoke(u"inv-timeout"_s, u"?blocking=true&timeout="_s + timeout);
            QCOMPARE(r.status, 400);
            QVERIFY2(r.error().contains(u"Timeout must be number of milliseconds up to 60000."_s),
                     r.body);
        }
        const HttpResult r
            = invoke(u"inv-timeout"_s, u"?blocking=true&timeout=60000"_s, QJsonObject{{u"t"_s, 1}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(u"response"_s).toObject().value(u"result"_s),
                 QJsonValue(QJsonObject{{u"t"_s, 1}}));
    }
};

QTEST_GUILESS_MAIN(TestActionInvoke)
#include "tst_actioninvoke.moc"
