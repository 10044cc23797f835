// SPDX-License-Identifier: GPL-3.0-or-later
// Sequences: creation limits, chaining of real component runs, the sequence's own record and
// its components' records (PROTOCOL.md 1.6, 2.1).
#include "feedtesting.h"

#include <QTest>

using namespace Feedscope::Testing;
using namespace Qt::StringLiterals;

namespace {

QJsonObject sequence(const QStringList &components)
{
    QJsonArray list;
    for (const QString &c : components)
        list.append(c);
    return QJsonObject{
        {u"exec"_s, QJsonObject{{u"kind"_s, u"sequence"_s}, {u"components"_s, list}}}};
}

// Each step appends its letter to `trail` and transforms `n`.
QString step(const QString &letter, const QString &transform)
{
    return u"function main(p) {\n"
           "  const out = Object.assign({}, p);\n"
           "  out.trail = (p.trail || []).concat('%1');\n"
           "  out.n = %2;\n"
           "  return out;\n"
           "}"_s.arg(letter, transform);
}

} // namespace

class TestSequences : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;

    bool create(const QString &name, const QJsonObject &body)
    {
        return !createAction(m_engine, name, body).isEmpty();
    }
    bool createPackage(const QString &name, const QJsonObject &body = {})
    {
        return Feedscope::Testing::createPackage(m_engine, name, body);
    }

    HttpResult invoke(const QString &name, const QJsonObject &payload = {})
    {
        return m_engine.post(actionPath(name) + u"?blocking=true"_s, payload);
    }

    // GET an activation, polling while it is not stored yet (generous deadline, no threshold).
    QJsonObject activation(const QString &id)
    {
        for (int attempt = 0; attempt < 100; ++attempt) {
            const HttpResult r = m_engine.get(activationPath(id));
            if (r.status == 200)
                return r.object();
            QTest::qWait(100);
        }
        return {};
    }

    int activationCount(const QString &name)
    {
        return int(m_engine.get(u"/api/v1/namespaces/_/activations?limit=200&name="_s + name)
                       .array()
                       .size());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        QVERIFY(create(u"a"_s, nodeAction(step(u"a"_s, u"p.n + 1"_s))));
        QVERIFY(create(u"b"_s, nodeAction(step(u"b"_s, u"p.n * 10"_s))));
        QVERIFY(create(u"c"_s, nodeAction(step(u"c"_s, u"p.n - 3"_s))));
        QVERIFY(create(u"echo"_s, nodeAction(u"function main(p) { return p; }"_s)));
    }

    void createNormalisesComponentNames()
    {
        const HttpResult r
            = m_engine.put(actionPath(u"abc"_s), sequence({u"/_/a"_s, u"/guest/b"_s, u"c"_s}));
        QCOMPARE(r.status, 200);
        const QJsonObject exec = r.object().value(u"exec"_s).toObject();
        QCOMPARE(exec.value(u"kind"_s).toString(), u"sequence"_s);
        QCOMPARE(exec.value(u"components"_s).toArray(),
                 (QJsonArray{u"/guest/a"_s, u"/guest/b"_s, u"/guest/c"_s}));
    }

    void blockingInvokeChainsTheComponents()
    {
        QVERIFY(m_engine.get(actionPath(u"abc"_s)).status == 200
                || create(u"abc"_s, sequence({u"/_/a"_s, u"/guest/b"_s, u"c"_s})));
        const HttpResult r = invoke(u"abc"_s, QJsonObject{{u"n"_s, 1}, {u"keep"_s, u"me"_s}});
        QCOMPARE(r.status, 200);
        const QJsonObject record = r.object();
        const QString seqId = record.value(u"activationId"_s).toString();
        QCOMPARE(seqId.size(), 32);
        QCOMPARE(QString::fromLatin1(r.header("x-openwhisk-activation-id")), seqId);

        // c(b(a(params))): ((1 + 1) * 10) - 3
        QCOMPARE(statusOf(record), u"success"_s);
        QCOMPARE(resultOf(record),
                 (QJsonObject{{u"n"_s, 17},
                              {u"keep"_s, u"me"_s},
                              {u"trail"_s, QJsonArray{u"a"_s, u"b"_s, u"c"_s}}}));

        // The sequence's own record.
        QCOMPARE(record.value(u"name"_s).toString(), u"abc"_s);
        QCOMPARE(record.value(u"namespace"_s).toString(), u"guest"_s);
        QCOMPARE(annotation(record, u"topmost"_s), QJsonValue(true));
        QCOMPARE(annotation(record, u"kind"_s), QJsonValue(u"sequence"_s));
        QCOMPARE(annotation(record, u"path"_s), QJsonValue(u"guest/abc"_s));
        QVERIFY(annotation(record, u"limits"_s).isObject());
        QVERIFY(annotation(record, u"causedBy"_s).isUndefined());
        QVERIFY(!record.contains(u"cause"_s));

        const QStringList ids = logsOf(record);
        QCOMPARE(ids.size(), 3);
        const QStringList expectedNames{u"a"_s, u"b"_s, u"c"_s};
        const int expectedN[] = {2, 20, 17};
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(ids[i].size(), 32);
            const QJsonObject component = activation(ids[i]);
            QVERIFY2(!component.isEmpty(), qPrintable(ids[i]));
            QCOMPARE(component.value(u"activationId"_s).toString(), ids[i]);
            QCOMPARE(component.value(u"name"_s).toString(), expectedNames[i]);
            QCOMPARE(component.value(u"cause"_s).toString(), seqId);
            QCOMPARE(annotation(component, u"causedBy"_s), QJsonValue(u"sequence"_s));
            QVERIFY(annotation(component, u"topmost"_s).isUndefined());
            QCOMPARE(annotation(component, u"path"_s), QJsonValue(u"guest/"_s + expectedNames[i]));
            QCOMPARE(statusOf(component), u"success"_s);
            QCOMPARE(resultOf(component).value(u"n"_s).toInt(), expectedN[i]);
        }

        // The stored record equals what the blocking invoke returned.
        const QJsonObject stored = activation(seqId);
        QCOMPARE(logsOf(stored), ids);
        QCOMPARE(annotation(stored, u"topmost"_s), QJsonValue(true));
    }

    void resultOnlyGivesTheFinalResult()
    {
        QVERIFY(create(u"abc-result"_s, sequence({u"/guest/a"_s, u"/guest/b"_s, u"/guest/c"_s})));
        const HttpResult r
            = m_engine.post(actionPath(u"abc-result"_s) + u"?blocking=true&result=true"_s,
                            QJsonObject{{u"n"_s, 0}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object(),
                 (QJsonObject{{u"n"_s, 7}, {u"trail"_s, QJsonArray{u"a"_s, u"b"_s, u"c"_s}}}));
    }

    void failingMiddleComponentStopsTheChain()
    {
        QVERIFY(create(
            u"fails"_s,
            nodeAction(u"function main(p) { return {error: 'middle failed at ' + p.n}; }"_s)));
        QVERIFY(create(u"last"_s, nodeAction(u"function main(p) { return {ran: true}; }"_s)));
        QVERIFY(create(u"afail"_s, sequence({u"/guest/a"_s, u"/guest/fails"_s, u"/guest/last"_s})));
        const int lastRunsBefore = activationCount(u"last"_s);
        const int failsRunsBefore = activationCount(u"fails"_s);

        const HttpResult r = invoke(u"afail"_s, QJsonObject{{u"n"_s, 4}});
        QCOMPARE(r.status, 502);
        const QJsonObject record = r.object();
        QCOMPARE(statusOf(record), u"application error"_s);
        QCOMPARE(resultOf(record), (QJsonObject{{u"error"_s, u"middle failed at 5"_s}}));
        const QStringList ids = logsOf(record);
        QCOMPARE(ids.size(), 2);
        QCOMPARE(activation(ids[0]).value(u"name"_s).toString(), u"a"_s);
        const QJsonObject failed = activation(ids[1]);
        QCOMPARE(failed.value(u"name"_s).toString(), u"fails"_s);
        QCOMPARE(statusOf(failed), u"application error"_s);
        // The third component never ran (the name filter does see the second one's run).
        QCOMPARE(activationCount(u"fails"_s), failsRunsBefore + 1);
        QCOMPARE(activationCount(u"last"_s), lastRunsBefore);
    }

    void developerErrorInTheMiddleIsTheSequenceStatus()
    {
        QVERIFY(create(u"bad42"_s, nodeAction(u"function main() { return 42; }"_s)));
        QVERIFY(create(u"adev"_s, sequence({u"/guest/a"_s, u"/guest/bad42"_s, u"/guest/c"_s})));
        const HttpResult r = invoke(u"adev"_s, QJsonObject{{u"n"_s, 1}});
        QCOMPARE(r.status, 502);
        const QJsonObject record = r.object();
        QCOMPARE(statusOf(record), u"action developer error"_s);
        QCOMPARE(resultOf(record),
                 (QJsonObject{{u"error"_s, u"The action did not return a dictionary."_s}}));
        QCOMPARE(logsOf(record).size(), 2);
    }

    void nestedSequence()
    {
        QVERIFY(create(u"bc"_s, sequence({u"/guest/b"_s, u"/guest/c"_s})));
        QVERIFY(create(u"a-bc"_s, sequence({u"/guest/a"_s, u"/guest/bc"_s})));
        const HttpResult r = invoke(u"a-bc"_s, QJsonObject{{u"n"_s, 2}});
        QCOMPARE(r.status, 200);
        const QJsonObject record = r.object();
        const QString outerId = record.value(u"activationId"_s).toString();
        QCOMPARE(resultOf(record),
                 (QJsonObject{{u"n"_s, 27}, {u"trail"_s, QJsonArray{u"a"_s, u"b"_s, u"c"_s}}}));
        QCOMPARE(annotation(record, u"topmost"_s), QJsonValue(true));

        const QStringList outerLogs = logsOf(record);
        QCOMPARE(outerLogs.size(), 2);
        QCOMPARE(activation(outerLogs[0]).value(u"name"_s).toString(), u"a"_s);
        const QJsonObject inner = activation(outerLogs[1]);
        QCOMPARE(inner.value(u"name"_s).toString(), u"bc"_s);
        QCOMPARE(annotation(inner, u"kind"_s), QJsonValue(u"sequence"_s));
        QCOMPARE(inner.value(u"cause"_s).toString(), outerId);
        QCOMPARE(annotation(inner, u"causedBy"_s), QJsonValue(u"sequence"_s));
        QVERIFY(annotation(inner, u"topmost"_s).isUndefined());
        const QStringList innerLogs = logsOf(inner);
        QCOMPARE(innerLogs.size(), 2);
        const QJsonObject b = activation(innerLogs[0]);
        QCOMPARE(b.value(u"name"_s).toString(), u"b"_s);
        QCOMPARE(b.value(u"cause"_s).toString(), inner.value(u"activationId"_s).toString());
        QCOMPARE(activation(innerLogs[1]).value(u"name"_s).toString(), u"c"_s);
    }

    void componentThroughABinding()
    {
        QVERIFY(createPackage(u"p"_s,
                              QJsonObject{{u"parameters"_s, QJsonArray{kv(u"fromPackage"_s, 1)}}}));
        QVERIFY(create(u"p/x"_s,
                       nodeAction(u"function main(p) { return Object.assign({x: true}, p); }"_s)));
        QVERIFY(createPackage(
            u"bp"_s,
            QJsonObject{
                {u"binding"_s, QJsonObject{{u"namespace"_s, u"guest"_s}, {u"name"_s, u"p"_s}}},
                {u"parameters"_s, QJsonArray{kv(u"fromBinding"_s, 2)}}}));
        QVERIFY(create(u"via-binding"_s, sequence({u"/guest/a"_s, u"/guest/bp/x"_s})));

        const HttpResult r = invoke(u"via-binding"_s, QJsonObject{{u"n"_s, 1}});
        QCOMPARE(r.status, 200);
        const QJsonObject record = r.object();
        QCOMPARE(resultOf(record),
                 (QJsonObject{{u"x"_s, true},
                              {u"n"_s, 2},
                              {u"trail"_s, QJsonArray{u"a"_s}},
                              {u"fromPackage"_s, 1},
                              {u"fromBinding"_s, 2}}));
        const QStringList ids = logsOf(record);
        QCOMPARE(ids.size(), 2);
        const QJsonObject x = activation(ids[1]);
        QCOMPARE(x.value(u"name"_s).toString(), u"x"_s);
        QCOMPARE(annotation(x, u"binding"_s), QJsonValue(u"guest/bp"_s));
        QCOMPARE(annotation(x, u"causedBy"_s), QJsonValue(u"sequence"_s));
    }

    void tooManyComponentsAreRejected()
    {
        QStringList fifty;
        for (int i = 0; i < 50; ++i)
            fifty.append(u"/guest/echo"_s);
        QCOMPARE(m_engine.put(actionPath(u"fifty"_s), sequence(fifty)).status, 200);

        QStringList fiftyOne = fifty;
        fiftyOne.append(u"/guest/echo"_s);
        const HttpResult r = m_engine.put(actionPath(u"fiftyone"_s), sequence(fiftyOne));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), u"Too many actions in the sequence."_s);
        QCOMPARE(m_engine.get(actionPath(u"fiftyone"_s)).status, 404);

        // The 50-long sequence runs.
        const HttpResult run = invoke(u"fifty"_s, QJsonObject{{u"k"_s, u"v"_s}});
        QCOMPARE(run.status, 200);
        QCOMPARE(resultOf(run.object()), (QJsonObject{{u"k"_s, u"v"_s}}));
        QCOMPARE(logsOf(run.object()).size(), 50);
    }

    void payloadGoesToTheFirstComponentWithoutActions()
    {
        // As upstream (Actions.scala makeWhiskAction: "Any parameters other than the action
        // sequence itself are discarded"), a sequence stores only `_actions` as parameters;
        // the invocation payload feeds the first component and `_actions` is never passed.
        QJsonObject body = sequence({u"/guest/echo"_s});
        body.insert(u"parameters"_s, QJsonArray{kv(u"own"_s, 1)});
        const HttpResult put = m_engine.put(actionPath(u"seq-params"_s), body);
        QCOMPARE(put.status, 200);
        const QJsonArray params = put.object().value(u"parameters"_s).toArray();
        QCOMPARE(params.size(), 1);
        QCOMPARE(keyValue(put.object(), u"parameters"_s, u"_actions"_s).toArray(),
                 QJsonArray{u"/guest/echo"_s});

        const HttpResult r = invoke(u"seq-params"_s, QJsonObject{{u"given"_s, u"yes"_s}});
        QCOMPARE(r.status, 200);
        const QJsonObject result = resultOf(r.object());
        QCOMPARE(result.value(u"given"_s).toString(), u"yes"_s);
        QVERIFY2(!result.contains(u"_actions"_s), r.body);
        QCOMPARE(result, (QJsonObject{{u"given"_s, u"yes"_s}}));

        // The component sees its own default parameters under the payload.
        QVERIFY(create(
            u"echo-defaults"_s,
            QJsonObject{{u"exec"_s, nodeAction().value(u"exec"_s)},
                        {u"parameters"_s,
                         QJsonArray{kv(u"dflt"_s, u"d"_s), kv(u"given"_s, u"overridden"_s)}}}));
        QVERIFY(create(u"seq-defaults"_s, sequence({u"/guest/echo-defaults"_s})));
        const HttpResult d = invoke(u"seq-defaults"_s, QJsonObject{{u"given"_s, u"yes"_s}});
        QCOMPARE(d.status, 200);
        QCOMPARE(resultOf(d.object()), (QJsonObject{{u"dflt"_s, u"d"_s}, {u"given"_s, u"yes"_s}}));
    }

    void missingComponentAtRunTime()
    {
        QVERIFY(create(u"doomed"_s, nodeAction()));
        QVERIFY(create(u"seq-doomed"_s, sequence({u"/guest/a"_s, u"/guest/doomed"_s})));
        QCOMPARE(m_engine.del(actionPath(u"doomed"_s)).status, 200);
        const HttpResult r = invoke(u"seq-doomed"_s, QJsonObject{{u"n"_s, 1}});
        QCOMPARE(r.status, 502);
        QCOMPARE(statusOf(r.object()), u"application error"_s);
        QCOMPARE(resultOf(r.object()),
                 (QJsonObject{{u"error"_s, u"Sequence component does not exist."_s}}));
        QCOMPARE(logsOf(r.object()).size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestSequences)
#include "tst_sequences.moc"
