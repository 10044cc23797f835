// SPDX-License-Identifier: GPL-3.0-or-later
// Action routes: create/update/get/delete/list, limits and packaged actions (PROTOCOL.md
// 0, 1.3, 1.4, 1.6, 1.11). Invoking actions: tst_actioninvoke.cpp.
#include "feedtesting.h"

#include <QDateTime>
#include <QTest>
#include <QUrl>

using namespace Feedscope::Testing;
using namespace Qt::StringLiterals;

namespace {

QStringList names(const QJsonArray &items)
{
    QStringList result;
    for (const QJsonValue &item : items)
        result.append(item.toObject().value(u"name"_s).toString());
    return result;
}

QJsonObject defaultLimits()
{
    return QJsonObject{
        {u"timeout"_s, 60000}, {u"memory"_s, 256}, {u"logs"_s, 10}, {u"concurrency"_s, 1}};
}

QJsonObject withExec(const QJsonObject &exec, const QJsonObject &extra = {})
{
    QJsonObject body = extra;
    body.insert(u"exec"_s, exec);
    return body;
}

const QString notFound = u"The requested resource does not exist."_s;
const QString bindingOperation = u"Operation not permitted on package binding."_s;

} // namespace

class TestActionsApi : public QObject
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

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString())); }

    // ---- create / exec forms -----------------------------------------------------------------

    void createReturnsTheFullDocument()
    {
        const QString code = u"function main(p) { return {hello: p.name}; }"_s;
        const HttpResult r = m_engine.put(actionPath(u"create1"_s), nodeAction(code));
        QCOMPARE(r.status, 200);
        const QJsonObject doc = r.object();
        QCOMPARE(doc.value(u"namespace"_s).toString(), u"guest"_s);
        QCOMPARE(doc.value(u"name"_s).toString(), u"create1"_s);
        QCOMPARE(doc.value(u"version"_s).toString(), u"0.0.1"_s);
        QCOMPARE(doc.value(u"publish"_s), QJsonValue(false));
        const QJsonObject exec{
            {u"kind"_s, u"nodejs:20"_s}, {u"code"_s, code}, {u"binary"_s, false}};
        QCOMPARE(doc.value(u"exec"_s).toObject(), exec);
        QCOMPARE(doc.value(u"annotations"_s).toArray(),
                 (QJsonArray{kv(u"provide-api-key"_s, false), kv(u"exec"_s, u"nodejs:20"_s)}));
        QCOMPARE(doc.value(u"parameters"_s).toArray(), QJsonArray());
        QCOMPARE(doc.value(u"limits"_s).toObject(), defaultLimits());
        // `updated` is epoch milliseconds, a number (not seconds, not a string).
        QVERIFY(doc.value(u"updated"_s).isDouble());
        QVERIFY(doc.value(u"updated"_s).toInteger() > 1000000000000LL);

        // GET returns the same document.
        const HttpResult g = m_engine.get(actionPath(u"create1"_s));
        QCOMPARE(g.status, 200);
        QCOMPARE(g.object(), doc);
    }

    void createKeepsGivenParametersAndAnnotations()
    {
        const QJsonArray params = keyValues(QJsonObject{{u"a"_s, 1}, {u"b"_s, u"two"_s}});
        QJsonObject body = nodeAction();
        body.insert(u"parameters"_s, params);
        body.insert(u"annotations"_s,
                    QJsonArray{kv(u"provide-api-key"_s, true), kv(u"web-export"_s, true)});
        const QJsonObject doc = create(u"create2"_s, body);
        QCOMPARE(doc.value(u"parameters"_s).toArray(), params);
        // An explicit provide-api-key is kept; exec is always added.
        QCOMPARE(annotation(doc, u"provide-api-key"_s), QJsonValue(true));
        QCOMPARE(annotation(doc, u"web-export"_s), QJsonValue(true));
        QCOMPARE(annotation(doc, u"exec"_s), QJsonValue(u"nodejs:20"_s));
        QCOMPARE(doc.value(u"annotations"_s).toArray().size(), 3);
    }

    void nodejsDefaultResolvesToNodejs20()
    {
        const QJsonObject doc
            = create(u"nodedefault"_s,
                     withExec(QJsonObject{{u"kind"_s, u"nodejs:default"_s}, {u"code"_s, u"x"_s}}));
        QCOMPARE(doc.value(u"exec"_s).toObject().value(u"kind"_s).toString(), u"nodejs:20"_s);
        QCOMPARE(annotation(doc, u"exec"_s), QJsonValue(u"nodejs:20"_s));
    }

    void pythonAction()
    {
        const QString code = u"def main(args):\n    return args\n"_s;
        const QJsonObject doc
            = create(u"py3"_s,
                     withExec(QJsonObject{
                         {u"kind"_s, u"python:3"_s}, {u"code"_s, code}, {u"main"_s, u"main"_s}}));
        const QJsonObject exec = doc.value(u"exec"_s).toObject();
        QCOMPARE(exec.value(u"kind"_s).toString(), u"python:3"_s);
        QCOMPARE(exec.value(u"code"_s).toString(), code);
        QCOMPARE(exec.value(u"main"_s).toString(), u"main"_s);
        QCOMPARE(exec.value(u"binary"_s), QJsonValue(false));
        QCOMPARE(annotation(doc, u"exec"_s), QJsonValue(u"python:3"_s));
    }

    void base64CodeIsBinary()
    {
        // The start of a zip local file header, base64-encoded (a multiple of 4 characters).
        const QString zip = QString::fromLatin1(QByteArray("PK\x03\x04\x0a\x00\x00\x00\x00\x00"
                                                           "archive-bytes")
                                                    .toBase64());
        QCOMPARE(zip.size() % 4, 0);
        const QJsonObject doc = create(
            u"zipped"_s, withExec(QJsonObject{{u"kind"_s, u"nodejs:20"_s}, {u"code"_s, zip}}));
        const QJsonObject exec = doc.value(u"exec"_s).toObject();
        QCOMPARE(exec.value(u"binary"_s), QJsonValue(true));
        QCOMPARE(exec.value(u"code"_s).toString(), zip);

        // Plain source is not binary even if a few characters are base64-like.
        const QJsonObject plain = create(u"notzipped"_s, nodeAction(u"function main() {}"_s));
        QCOMPARE(plain.value(u"exec"_s).toObject().value(u"binary"_s), QJsonValue(false));

        // The list summary shows only exec.binary.
        const HttpResult list = m_engine.get(u"/api/v1/namespaces/_/actions?limit=200"_s);
        bool seen = false;
        for (const QJsonValue &item : list.array()) {
            if (item.toObject().value(u"name"_s).toString() == u"zipped") {
                seen = true;
                QCOMPARE(item.toObject().value(u"exec"_s).toObject(),
                         (QJsonObject{{u"binary"_s, true}}));
            }
        }
        QVERIFY(seen);
    }

    void blackboxAction()
    {
        const QJsonObject doc = create(u"bb"_s,
                                       withExec(QJsonObject{{u"kind"_s, u"blackbox"_s},
                                                            {u"image"_s, u"openwhisk/example"_s}}));
        const QJsonObject exec = doc.value(u"exec"_s).toObject();
        QCOMPARE(exec.value(u"kind"_s).toString(), u"blackbox"_s);
        QCOMPARE(exec.value(u"image"_s).toString(), u"openwhisk/example"_s);
        QCOMPARE(exec.value(u"binary"_s), QJsonValue(false));
        QCOMPARE(annotation(doc, u"exec"_s), QJsonValue(u"blackbox"_s));

        // A blackbox without an image is malformed.
        const HttpResult r = m_engine.put(actionPath(u"bbnoimage"_s),
                                          withExec(QJsonObject{{u"kind"_s, u"blackbox"_s}}));
        QCOMPARE(r.status, 400);
        QVERIFY2(r.error().startsWith(u"The request content was malformed:\n"_s), r.body);
    }

    void unknownKindAndMissingExecAreRejected()
    {
        const HttpResult unknown
            = m_engine.put(actionPath(u"badkind"_s),
                           withExec(QJsonObject{{u"kind"_s, u"cobol:1"_s}, {u"code"_s, u"x"_s}}));
        QCOMPARE(unknown.status, 400);
        QVERIFY2(unknown.error().startsWith(
                     u"The request content was malformed:\nkind 'cobol:1' not in Set("_s),
                 unknown.body);

        const HttpResult noExec = m_engine.put(actionPath(u"noexec"_s), QJsonObject{});
        QCOMPARE(noExec.status, 400);
        QCOMPARE(noExec.error(), u"exec undefined"_s);
        QCOMPARE(m_engine.get(actionPath(u"noexec"_s)).status, 404);
    }

    void sequenceAction()
    {
        QVERIFY(!create(u"seqa"_s).isEmpty());
        QVERIFY(createPackage(u"seqpkg"_s));
        QVERIFY(!create(u"seqpkg/seqb"_s).isEmpty());
        // User parameters are discarded: a sequence's only parameter is `_actions`.
        const QJsonObject body = withExec(
            QJsonObject{{u"kind"_s, u"sequence"_s},
                        {u"components"_s, QJsonArray{u"/_/seqa"_s, u"/guest/seqpkg/seqb"_s}}},
            QJsonObject{{u"parameters"_s, keyValues(QJsonObject{{u"p"_s, 1}})}});
        const QJsonObject doc = create(u"seq"_s, body);
        const QJsonArray components{u"/guest/seqa"_s, u"/guest/seqpkg/seqb"_s};
        QCOMPARE(doc.value(u"exec"_s).toObject().value(u"kind"_s).toString(), u"sequence"_s);
        QCOMPARE(doc.value(u"exec"_s).toObject().value(u"components"_s).toArray(), components);
        QCOMPARE(doc.value(u"parameters"_s).toArray(), QJsonArray{kv(u"_actions"_s, components)});
        QCOMPARE(annotation(doc, u"exec"_s), QJsonValue(u"sequence"_s));
    }

    void sequenceComponentMustExist()
    {
        QVERIFY(!create(u"seqexists"_s).isEmpty());
        const HttpResult r = m_engine.put(
            actionPath(u"seqmissing"_s),
            withExec(QJsonObject{
                {u"kind"_s, u"sequence"_s},
                {u"components"_s, QJsonArray{u"/guest/seqexists"_s, u"/guest/nosuchaction"_s}}}));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), u"Sequence component does not exist."_s);
        QCOMPARE(m_engine.get(actionPath(u"seqmissing"_s)).status, 404);
    }

    void sequenceNeedsComponents()
    {
        const HttpResult r = m_engine.put(
            actionPath(u"seqempty"_s),
            withExec(QJsonObject{{u"kind"_s, u"sequence"_s}, {u"components"_s, QJsonArray()}}));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), u"No component specified for the sequence."_s);
    }

    void sequenceMayNotReferToItself()
    {
        QVERIFY(!create(u"seqselfpart"_s).isEmpty());
        const HttpResult r = m_engine.put(
            actionPath(u"seqself"_s),
            withExec(QJsonObject{
                {u"kind"_s, u"sequence"_s},
                {u"components"_s, QJsonArray{u"/guest/seqselfpart"_s, u"/guest/seqself"_s}}}));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), u"Sequence may not refer to itself."_s);
    }

    // ---- get / update ------------------------------------------------------------------------

    void getWithoutCode()
    {
        QVERIFY(!create(u"nocode"_s, nodeAction(u"function main() { return {}; }"_s)).isEmpty());
        const HttpResult r = m_engine.get(actionPath(u"nocode"_s) + u"?code=false"_s);
        QCOMPARE(r.status, 200);
        const QJsonObject exec = r.object().value(u"exec"_s).toObject();
        QVERIFY(!exec.contains(u"code"_s));
        QCOMPARE(exec.value(u"kind"_s).toString(), u"nodejs:20"_s);
        QCOMPARE(exec.value(u"binary"_s), QJsonValue(false));
        // Without the flag (or with code=true) the code is there.
        QCOMPARE(m_engine.get(actionPath(u"nocode"_s) + u"?code=true"_s)
                     .object()
                     .value(u"exec"_s)
                     .toObject()
                     .value(u"code"_s)
                     .toString(),
                 u"function main() { return {}; }"_s);
    }

    void putExistingWithoutOverwriteConflicts()
    {
        QVERIFY(!create(u"dup"_s).isEmpty());
        const HttpResult r = m_engine.put(actionPath(u"dup"_s), nodeAction(u"changed"_s));
        QCOMPARE(r.status, 409);
        QCOMPARE(r.error(), u"resource already exists"_s);
        QCOMPARE(r.object().value(u"code"_s).toString().size(), 32);
        // Nothing changed.
        const QJsonObject doc = m_engine.get(actionPath(u"dup"_s)).object();
        QCOMPARE(doc.value(u"version"_s).toString(), u"0.0.1"_s);
        QVERIFY(doc.value(u"exec"_s).toObject().value(u"code"_s).toString() != u"changed");
    }

    void overwriteBumpsVersionAndMergesAnnotations()
    {
        QJsonObject body = nodeAction(u"v1"_s);
        body.insert(u"annotations"_s, QJsonArray{kv(u"a"_s, 1), kv(u"b"_s, 2)});
        body.insert(u"parameters"_s, keyValues(QJsonObject{{u"p"_s, 1}}));
        QVERIFY(!create(u"upd"_s, body).isEmpty());

        QJsonObject update = nodeAction(u"v2"_s);
        update.insert(u"annotations"_s, QJsonArray{kv(u"b"_s, 20), kv(u"c"_s, 3)});
        const HttpResult r = m_engine.put(actionPath(u"upd"_s) + u"?overwrite=true"_s, update);
        QCOMPARE(r.status, 200);
        const QJsonObject doc = r.object();
        QCOMPARE(doc.value(u"version"_s).toString(), u"0.0.2"_s);
        QCOMPARE(doc.value(u"exec"_s).toObject().value(u"code"_s).toString(), u"v2"_s);
        // old ++ new: a kept, b overridden, c added, the create-time annotations survive.
        QCOMPARE(annotation(doc, u"a"_s), QJsonValue(1));
        QCOMPARE(annotation(doc, u"b"_s), QJsonValue(20));
        QCOMPARE(annotation(doc, u"c"_s), QJsonValue(3));
        QCOMPARE(annotation(doc, u"provide-api-key"_s), QJsonValue(false));
        QCOMPARE(annotation(doc, u"exec"_s), QJsonValue(u"nodejs:20"_s));
        // Parameters not given in the update are kept.
        QCOMPARE(doc.value(u"parameters"_s).toArray(), keyValues(QJsonObject{{u"p"_s, 1}}));

        // delAnnotations removes keys; the version keeps climbing.
        QJsonObject removal = nodeAction(u"v3"_s);
        removal.insert(u"delAnnotations"_s, QJsonArray{u"a"_s, u"c"_s});
        const HttpResult r2 = m_engine.put(actionPath(u"upd"_s) + u"?overwrite=true"_s, removal);
        QCOMPARE(r2.status, 200);
        const QJsonObject doc2 = r2.object();
        QCOMPARE(doc2.value(u"version"_s).toString(), u"0.0.3"_s);
        QVERIFY(annotation(doc2, u"a"_s).isUndefined());
        QVERIFY(annotation(doc2, u"c"_s).isUndefined());
        QCOMPARE(annotation(doc2, u"b"_s), QJsonValue(20));
        QCOMPARE(m_engine.get(actionPath(u"upd"_s)).object(), doc2);
    }

    void deletedAnnotationCanBeGivenAgain()
    {
        QJsonObject body = nodeAction();
        body.insert(u"annotations"_s, QJsonArray{kv(u"b"_s, 2), kv(u"keep"_s, 1)});
        QVERIFY(!create(u"readd"_s, body).isEmpty());
        // Deletion happens before the new annotations are added ((old -- del) ++ new,
        // Actions.scala updateWhiskAction), so a key both deleted and given takes the new value.
        QJsonObject replace;
        replace.insert(u"delAnnotations"_s, QJsonArray{u"b"_s});
        replace.insert(u"annotations"_s, QJsonArray{kv(u"b"_s, 30)});
        const HttpResult r = m_engine.put(actionPath(u"readd"_s) + u"?overwrite=true"_s, replace);
        QCOMPARE(r.status, 200);
        QCOMPARE(annotation(r.object(), u"keep"_s), QJsonValue(1));
        QCOMPARE(annotation(r.object(), u"b"_s), QJsonValue(30));
    }

    void overwriteCreatesWhenMissing()
    {
        const HttpResult r
            = m_engine.put(actionPath(u"fresh"_s) + u"?overwrite=true"_s, nodeAction());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(u"version"_s).toString(), u"0.0.1"_s);
    }

    void explicitVersionIsKept()
    {
        QJsonObject body = nodeAction();
        body.insert(u"version"_s, u"1.2.3"_s);
        QCOMPARE(create(u"versioned"_s, body).value(u"version"_s).toString(), u"1.2.3"_s);
        body.insert(u"version"_s, u"2.0.0"_s);
        const HttpResult r = m_engine.put(actionPath(u"versioned"_s) + u"?overwrite=true"_s, body);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(u"version"_s).toString(), u"2.0.0"_s);
        // Without a version the patch of the stored one is bumped.
        const HttpResult r2
            = m_engine.put(actionPath(u"versioned"_s) + u"?overwrite=true"_s, nodeAction());
        QCOMPARE(r2.object().value(u"version"_s).toString(), u"2.0.1"_s);
    }

    void limitsOutOfRangeAreRejected_data()
    {
        QTest::addColumn<QJsonObject>("limits");
        QTest::newRow("memory 64") << QJsonObject{{u"memory"_s, 64}};
        QTest::newRow("memory 1024") << QJsonObject{{u"memory"_s, 1024}};
        QTest::newRow("timeout 300001") << QJsonObject{{u"timeout"_s, 300001}};
        QTest::newRow("timeout 50") << QJsonObject{{u"timeout"_s, 50}};
        QTest::newRow("logs 11") << QJsonObject{{u"logs"_s, 11}};
        QTest::newRow("concurrency 2") << QJsonObject{{u"concurrency"_s, 2}};
    }

    void limitsOutOfRangeAreRejected()
    {
        QFETCH(QJsonObject, limits);
        const QString name
            = u"badlimits-"_s + QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-');
        QJsonObject body = nodeAction();
        body.insert(u"limits"_s, limits);
        const HttpResult r = m_engine.put(actionPath(name), body);
        QCOMPARE(r.status, 400);
        QVERIFY2(r.error().startsWith(u"The request content was malformed:\n"_s), r.body);
        QVERIFY2(r.error().contains(limits.keys().constFirst()), r.body);
        QCOMPARE(m_engine.get(actionPath(name)).status, 404);
    }

    void limitsInRangeAndPartialUpdate()
    {
        QJsonObject body = nodeAction();
        body.insert(u"limits"_s, QJsonObject{{u"timeout"_s, 300000}, {u"memory"_s, 128}});
        const QJsonObject doc = create(u"limited"_s, body);
        QCOMPARE(doc.value(u"limits"_s).toObject(),
                 (QJsonObject{{u"timeout"_s, 300000},
                              {u"memory"_s, 128},
                              {u"logs"_s, 10},
                              {u"concurrency"_s, 1}}));

        // An update naming one limit keeps the others.
        QJsonObject update;
        update.insert(u"limits"_s, QJsonObject{{u"memory"_s, 512}});
        const HttpResult r = m_engine.put(actionPath(u"limited"_s) + u"?overwrite=true"_s, update);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(u"limits"_s).toObject(),
                 (QJsonObject{{u"timeout"_s, 300000},
                              {u"memory"_s, 512},
                              {u"logs"_s, 10},
                              {u"concurrency"_s, 1}}));
        // An update without exec keeps the code.
        QCOMPARE(r.object().value(u"exec"_s).toObject().value(u"kind"_s).toString(),
                 u"nodejs:20"_s);
    }

    // ---- list --------------------------------------------------------------------------------

    void listShowsSummariesNewestFirst()
    {
        QJsonObject body = nodeAction();
        body.insert(u"parameters"_s, keyValues(QJsonObject{{u"secret"_s, u"s"_s}}));
        // Distinct `updated` milliseconds, so the order is defined: each write waits until the
        // clock (the engine's too) has passed the previous one's.
        auto after = [](const QJsonObject &doc) {
            QVERIFY(!doc.isEmpty());
            const qint64 updated = doc.value(u"updated"_s).toInteger();
            QTRY_VERIFY(QDateTime::currentMSecsSinceEpoch() > updated);
        };
        after(create(u"order-a"_s, body));
        after(create(u"order-b"_s));
        after(create(u"order-c"_s));
        // Updating order-a makes it the newest.
        QCOMPARE(m_engine.put(actionPath(u"order-a"_s) + u"?overwrite=true"_s, body).status, 200);

        const HttpResult r = m_engine.get(u"/api/v1/namespaces/_/actions?limit=200"_s);
        QCOMPARE(r.status, 200);
        const QJsonArray list = r.array();
        QVERIFY(!list.isEmpty());
        const QStringList order = names(list);
        QCOMPARE(order.mid(0, 3), (QStringList{u"order-a"_s, u"order-c"_s, u"order-b"_s}));

        qint64 previous = std::numeric_limits<qint64>::max();
        for (const QJsonValue &value : list) {
            const QJsonObject item = value.toObject();
            QCOMPARE(item.keys(),
                     (QStringList{u"annotations"_s,
                                  u"exec"_s,
                                  u"limits"_s,
                                  u"name"_s,
                                  u"namespace"_s,
                                  u"publish"_s,
                                  u"updated"_s,
                                  u"version"_s}));
            QCOMPARE(item.value(u"exec"_s).toObject().keys(), QStringList{u"binary"_s});
            const qint64 updated = item.value(u"updated"_s).toInteger();
            QVERIFY(updated <= previous);
            previous = updated;
        }
        const QJsonObject first = list.first().toObject();
        QCOMPARE(first.value(u"namespace"_s).toString(), u"guest"_s);
        QCOMPARE(first.value(u"version"_s).toString(), u"0.0.2"_s);
        QCOMPARE(first.value(u"limits"_s).toObject(), defaultLimits());
    }

    void listLimitSkipAndCount()
    {
        for (int i = 0; i < 4; ++i)
            QVERIFY(!create(u"paged-%1"_s.arg(i)).isEmpty());
        const QJsonArray all = m_engine.get(u"/api/v1/namespaces/_/actions?limit=200"_s).array();
        QVERIFY(all.size() >= 4);

        const QJsonArray two = m_engine.get(u"/api/v1/namespaces/_/actions?limit=2"_s).array();
        QCOMPARE(names(two), names(all).mid(0, 2));
        const QJsonArray skipped
            = m_engine.get(u"/api/v1/namespaces/_/actions?limit=2&skip=1"_s).array();
        QCOMPARE(names(skipped), names(all).mid(1, 2));
        const QJsonArray beyond
            = m_engine.get(u"/api/v1/namespaces/_/actions?skip=100000"_s).array();
        QCOMPARE(beyond.size(), 0);

        const HttpResult count = m_engine.get(u"/api/v1/namespaces/_/actions?count=true"_s);
        QCOMPARE(count.status, 200);
        QCOMPARE(count.object(), (QJsonObject{{u"actions"_s, all.size()}}));
    }

    void listDefaultLimitIs30AndZeroMeans200()
    {
        for (int i = 0; i < 32; ++i)
            QVERIFY(!create(u"many-%1"_s.arg(i)).isEmpty());
        const int total = m_engine.get(u"/api/v1/namespaces/_/actions?count=true"_s)
                              .object()
                              .value(u"actions"_s)
                              .toInt();
        QVERIFY(total > 30);
        QCOMPARE(m_engine.get(u"/api/v1/namespaces/_/actions"_s).array().size(), 30);
        QCOMPARE(m_engine.get(u"/api/v1/namespaces/_/actions?limit=0"_s).array().size(),
                 qMin(total, 200));
        QCOMPARE(m_engine.get(u"/api/v1/namespaces/_/actions?limit=200"_s).array().size(),
                 qMin(total, 200));
    }

    void listBadQueryValues()
    {
        const HttpResult tooMany = m_engine.get(u"/api/v1/namespaces/_/actions?limit=201"_s);
        QCOMPARE(tooMany.status, 400);
        QCOMPARE(tooMany.error(),
                 u"The query parameter 'limit' was malformed:\n"
                 "The value '201' is not in the range of 0 to 200 for actions."_s);

        const HttpResult negative = m_engine.get(u"/api/v1/namespaces/_/actions?skip=-1"_s);
        QCOMPARE(negative.status, 400);
        QCOMPARE(negative.error(),
                 u"The query parameter 'skip' was malformed:\n"
                 "The value '-1' is not greater than or equal to 0 for actions."_s);

        const HttpResult word = m_engine.get(u"/api/v1/namespaces/_/actions?limit=abc"_s);
        QCOMPARE(word.status, 400);
        QCOMPARE(word.error(),
                 u"The query parameter 'limit' was malformed:\n"
                 "The value 'abc' is not an integer for actions."_s);
    }

    // ---- packaged actions --------------------------------------------------------------------

    void packagedActionLifecycle()
    {
        QVERIFY(createPackage(u"tools"_s));
        const HttpResult put = m_engine.put(actionPath(u"tools/hammer"_s), nodeAction());
        QCOMPARE(put.status, 200);
        QCOMPARE(put.object().value(u"namespace"_s).toString(), u"guest/tools"_s);
        QCOMPARE(put.object().value(u"name"_s).toString(), u"hammer"_s);

        const HttpResult get = m_engine.get(actionPath(u"tools/hammer"_s));
        QCOMPARE(get.status, 200);
        QCOMPARE(get.object(), put.object());

        // The package's own list, and the namespace list, both show it.
        const HttpResult inPackage = m_engine.get(u"/api/v1/namespaces/_/actions/tools/"_s);
        QCOMPARE(inPackage.status, 200);
        QCOMPARE(names(inPackage.array()), QStringList{u"hammer"_s});
        QCOMPARE(inPackage.array().first().toObject().value(u"namespace"_s).toString(),
                 u"guest/tools"_s);
        bool listed = false;
        for (const QJsonValue &item :
             m_engine.get(u"/api/v1/namespaces/_/actions?limit=200"_s).array()) {
            const QJsonObject o = item.toObject();
            listed = listed
                     || (o.value(u"name"_s).toString() == u"hammer"
                         && o.value(u"namespace"_s).toString() == u"guest/tools");
        }
        QVERIFY(listed);
        // A plain action of the same name is a different entity.
        QCOMPARE(m_engine.get(actionPath(u"hammer"_s)).status, 404);

        const HttpResult del = m_engine.del(actionPath(u"tools/hammer"_s));
        QCOMPARE(del.status, 200);
        QCOMPARE(del.object().value(u"namespace"_s).toString(), u"guest/tools"_s);
        QCOMPARE(m_engine.get(actionPath(u"tools/hammer"_s)).status, 404);
        QCOMPARE(m_engine.get(u"/api/v1/namespaces/_/actions/tools/"_s).array().size(), 0);
    }

    void getPackagedActionInheritsPackageParameters()
    {
        // Actions.scala fetch: a packaged action is read merged with its package's parameters
        // (`action inherit packageParams`: the action's own values win).
        QVERIFY(createPackage(
            u"inherit"_s,
            QJsonObject{{u"parameters"_s, keyValues(QJsonObject{{u"a"_s, 1}, {u"b"_s, 1}})}}));
        QJsonObject body = nodeAction();
        body.insert(u"parameters"_s, keyValues(QJsonObject{{u"b"_s, 2}}));
        const QJsonObject stored = create(u"inherit/act"_s, body);
        QCOMPARE(stored.value(u"parameters"_s).toArray(), keyValues(QJsonObject{{u"b"_s, 2}}));

        for (const QString &query : {QString(), u"?code=false"_s}) {
            const HttpResult r = m_engine.get(actionPath(u"inherit/act"_s) + query);
            QCOMPARE(r.status, 200);
            QJsonObject params;
            for (const QJsonValue &pair : r.object().value(u"parameters"_s).toArray()) {
                params.insert(pair.toObject().value(u"key"_s).toString(),
                              pair.toObject().value(u"value"_s));
            }
            QCOMPARE(params, (QJsonObject{{u"a"_s, 1}, {u"b"_s, 2}}));
        }
    }

    void putInMissingPackageIsNotFound()
    {
        // The owner passes the entitlement check for PUT, so the package fetch (getEntity)
        // answers with the plain not-found text.
        const HttpResult r = m_engine.put(actionPath(u"nopkg/act"_s), nodeAction());
        QCOMPARE(r.status, 404);
        QCOMPARE(r.error(), notFound);
        QCOMPARE(m_engine.get(actionPath(u"nopkg/act"_s)).status, 404);
    }

    void bindingPathRefusesPutAndDelete()
    {
        QVERIFY(createPackage(u"realpkg"_s));
        QVERIFY(!create(u"realpkg/tool"_s).isEmpty());
        QVERIFY(createPackage(
            u"boundpkg"_s,
            QJsonObject{{u"binding"_s,
                         QJsonObject{{u"namespace"_s, u"guest"_s}, {u"name"_s, u"realpkg"_s}}}}));
        const HttpResult put = m_engine.put(actionPath(u"boundpkg/other"_s), nodeAction());
        QCOMPARE(put.status, 400);
        QCOMPARE(put.error(), bindingOperation);
        const HttpResult del = m_engine.del(actionPath(u"boundpkg/tool"_s));
        QCOMPARE(del.status, 400);
        QCOMPARE(del.error(), bindingOperation);
        // The target's action is untouched.
        QCOMPARE(m_engine.get(actionPath(u"realpkg/tool"_s)).status, 200);
    }

    void deleteReturnsTheDocument()
    {
        const QJsonObject created = create(u"doomed"_s);
        QVERIFY(!created.isEmpty());
        const HttpResult del = m_engine.del(actionPath(u"doomed"_s));
        QCOMPARE(del.status, 200);
        QCOMPARE(del.object(), created);
        const HttpResult get = m_engine.get(actionPath(u"doomed"_s));
        QCOMPARE(get.status, 404);
        QCOMPARE(get.error(), notFound);
        const HttpResult again = m_engine.del(actionPath(u"doomed"_s));
        QCOMPARE(again.status, 404);
        QCOMPARE(again.error(), notFound);
    }

    void nameTakenByATriggerConflicts()
    {
        QCOMPARE(m_engine.put(u"/api/v1/namespaces/_/triggers/clash"_s, QJsonObject{}).status, 200);
        const QString message = u"Resource by this name exists but is not in this collection."_s;
        const HttpResult put = m_engine.put(actionPath(u"clash"_s), nodeAction());
        QCOMPARE(put.status, 409);
        QCOMPARE(put.error(), message);
        const HttpResult get = m_engine.get(actionPath(u"clash"_s));
        QCOMPARE(get.status, 409);
        QCOMPARE(get.error(), message);
        const HttpResult overwrite
            = m_engine.put(actionPath(u"clash"_s) + u"?overwrite=true"_s, nodeAction());
        QCOMPARE(overwrite.status, 409);
        QCOMPARE(overwrite.error(), message);
    }

    void namesWithSpecialCharacters()
    {
        const QString name = u"my act@v1.2&x-y"_s;
        const HttpResult put = m_engine.put(actionPath(name), nodeAction());
        QCOMPARE(put.status, 200);
        QCOMPARE(put.object().value(u"name"_s).toString(), name);
        const HttpResult get = m_engine.get(actionPath(name));
        QCOMPARE(get.status, 200);
        QCOMPARE(get.object().value(u"name"_s).toString(), name);
        QVERIFY(names(m_engine.get(u"/api/v1/namespaces/_/actions?limit=200"_s).array())
                    .contains(name));
        QCOMPARE(m_engine.del(actionPath(name)).status, 200);
        QCOMPARE(m_engine.get(actionPath(name)).status, 404);
    }

    void illegalNamesAreRejected()
    {
        for (const QString &name : {u"-lead"_s, u"trail "_s, u"semi;colon"_s}) {
            const HttpResult r = m_engine.put(actionPath(name), nodeAction());
            QCOMPARE(r.status, 400);
            QCOMPARE(r.error(), u"The name of the entity contains illegal characters."_s);
        }
    }

    void otherNamespacesPrivateActionIsForbidden()
    {
        QVERIFY(!create(u"sysprivate"_s, nodeAction(), systemKey).isEmpty());
        QCOMPARE(m_engine.get(actionPath(u"sysprivate"_s), systemKey).status, 200);
        const HttpResult r = m_engine.get(actionPath(u"sysprivate"_s, u"whisk.system"_s));
        QCOMPARE(r.status, 403);
        QCOMPARE(r.error(),
                 u"The supplied authentication is not authorized to access "
                 "'whisk.system/sysprivate'."_s);
        // Nor may the guest write, delete or invoke it.
        QCOMPARE(m_engine
                     .put(actionPath(u"sysprivate"_s, u"whisk.system"_s) + u"?overwrite=true"_s,
                          nodeAction())
                     .status,
                 403);
        QCOMPARE(m_engine.del(actionPath(u"sysprivate"_s, u"whisk.system"_s)).status, 403);
        QCOMPARE(m_engine.post(actionPath(u"sysprivate"_s, u"whisk.system"_s)).status, 403);
        QCOMPARE(m_engine.get(actionPath(u"sysprivate"_s), systemKey).status, 200);
        // And the guest's own namespace does not see it.
        QCOMPARE(m_engine.get(actionPath(u"sysprivate"_s)).status, 404);
    }
};

QTEST_GUILESS_MAIN(TestActionsApi)
#include "tst_actionsapi.moc"
