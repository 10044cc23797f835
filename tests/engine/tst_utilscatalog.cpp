// SPDX-License-Identifier: GPL-3.0-or-later
// The /whisk.system/utils catalog package installed at engine start (PROTOCOL.md 1.7, 8.7):
// visibility to other namespaces, every action run for real, bindings, and idempotent
// reinstallation across restarts.
#include "enginefixture.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QTest>

using namespace Feedscope::Testing;
using namespace Qt::StringLiterals;

namespace {

const QString systemPackages = u"/api/v1/namespaces/whisk.system/packages"_s;

QString utilsAction(const QString &name)
{
    return u"/api/v1/namespaces/whisk.system/actions/utils/"_s + name;
}

QString activationPath(const QString &id)
{
    return u"/api/v1/namespaces/_/activations/"_s + id;
}

QJsonObject kv(const QString &key, const QJsonValue &value)
{
    return QJsonObject{{u"key"_s, key}, {u"value"_s, value}};
}

QJsonValue annotation(const QJsonObject &doc, const QString &key)
{
    for (const QJsonValue &pair : doc.value(u"annotations"_s).toArray()) {
        if (pair.toObject().value(u"key"_s).toString() == key)
            return pair.toObject().value(u"value"_s);
    }
    return QJsonValue(QJsonValue::Undefined);
}

QStringList sortedNames(const QJsonArray &items)
{
    QStringList names;
    for (const QJsonValue &item : items)
        names.append(item.toObject().value(u"name"_s).toString());
    names.sort();
    return names;
}

QJsonObject parse(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

const QStringList utilsActions{u"cat"_s,
                               u"date"_s,
                               u"echo"_s,
                               u"head"_s,
                               u"hosturl"_s,
                               u"namespace"_s,
                               u"smash"_s,
                               u"sort"_s,
                               u"split"_s};

} // namespace

class TestUtilsCatalog : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;

    HttpResult invokeUtil(const QString &name,
                          const QJsonObject &payload,
                          const QString &query = u"?blocking=true&result=true"_s)
    {
        return m_engine.post(utilsAction(name) + query, payload);
    }

    // name → {version, updated} of the package and of each of its actions.
    QJsonObject versions()
    {
        QJsonObject v;
        const QJsonObject pkg = m_engine.get(systemPackages + u"/utils"_s, systemKey).object();
        v.insert(u"utils"_s, QJsonArray{pkg.value(u"version"_s), pkg.value(u"updated"_s)});
        for (const QString &name : utilsActions) {
            const QJsonObject a = m_engine.get(utilsAction(name), systemKey).object();
            v.insert(name, QJsonArray{a.value(u"version"_s), a.value(u"updated"_s)});
        }
        return v;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString())); }

    void guestSeesThePublishedPackage()
    {
        const HttpResult r = m_engine.get(systemPackages);
        QCOMPARE(r.status, 200);
        bool seen = false;
        for (const QJsonValue &item : r.array()) {
            const QJsonObject pkg = item.toObject();
            if (pkg.value(u"name"_s).toString() != u"utils")
                continue;
            seen = true;
            QCOMPARE(pkg.value(u"namespace"_s).toString(), u"whisk.system"_s);
            QCOMPARE(pkg.value(u"publish"_s), QJsonValue(true));
        }
        QVERIFY2(seen, r.body);
    }

    void packageListsItsActions()
    {
        const HttpResult r = m_engine.get(systemPackages + u"/utils"_s);
        QCOMPARE(r.status, 200);
        const QJsonObject pkg = r.object();
        QCOMPARE(pkg.value(u"name"_s).toString(), u"utils"_s);
        QCOMPARE(pkg.value(u"namespace"_s).toString(), u"whisk.system"_s);
        QCOMPARE(pkg.value(u"publish"_s), QJsonValue(true));
        QCOMPARE(sortedNames(pkg.value(u"actions"_s).toArray()), utilsActions);
        QCOMPARE(pkg.value(u"feeds"_s).toArray(), QJsonArray());
        QVERIFY(annotation(pkg, u"description"_s).isString());
    }

    void actionsCarryTheirCatalogAnnotations()
    {
        for (const QString &name : utilsActions) {
            const HttpResult r = m_engine.get(utilsAction(name));
            QVERIFY2(r.status == 200, qPrintable(name));
            const QJsonObject action = r.object();
            QCOMPARE(action.value(u"namespace"_s).toString(), u"whisk.system/utils"_s);
            QCOMPARE(action.value(u"exec"_s).toObject().value(u"kind"_s).toString(),
                     u"nodejs:20"_s);
            QVERIFY2(annotation(action, u"description"_s).isString(), qPrintable(name));
            QVERIFY2(annotation(action, u"sampleOutput"_s).isObject(), qPrintable(name));
        }
    }

    void invokeEachAction_data()
    {
        QTest::addColumn<QString>("action");
        QTest::addColumn<QJsonObject>("input");
        QTest::addColumn<QJsonObject>("output");
        // The catalog's sampleInput → sampleOutput pairs (resources/catalog/utils/catalog.json).
        QTest::newRow("echo") << u"echo"_s << parse(R"({"payload": "Five fuzzy felines"})")
                              << parse(R"({"payload": "Five fuzzy felines"})");
        QTest::newRow("cat") << u"cat"_s << parse(R"({"lines": [4, 2, 3]})")
                             << parse(R"({"lines": [4, 2, 3], "payload": "4\n2\n3"})");
        QTest::newRow("smash") << u"smash"_s
                               << parse(R"({"a": 1, "b": {"c": 2, "d": 3}, "$fieldName": "p"})")
                               << parse(R"({"p": {"a": 1, "b": {"c": 2, "d": 3}}})");
        QTest::newRow("split")
            << u"split"_s << parse(R"({"payload": "one,two,three", "separator": ","})")
            << parse(R"({"lines": ["one", "two", "three"], "payload": "one,two,three"})");
        QTest::newRow("sort") << u"sort"_s << parse(R"({"lines": [4, 2, 3]})")
                              << parse(R"({"lines": [2, 3, 4], "length": 3})");
        QTest::newRow("head") << u"head"_s << parse(R"({"lines": [4, 2, 3], "num": 2})")
                              << parse(R"({"lines": [4, 2], "num": 2})");
        QTest::newRow("namespace")
            << u"namespace"_s << QJsonObject() << parse(R"({"namespace": "guest"})");
        // hosturl is checked separately: its output depends on the engine's URL.
    }

    void invokeEachAction()
    {
        QFETCH(QString, action);
        QFETCH(QJsonObject, input);
        QFETCH(QJsonObject, output);
        const HttpResult r = invokeUtil(action, input);
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(r.object(), output);
        // The installed sample agrees with what the action does.
        if (action != u"namespace") {
            const QJsonObject doc = m_engine.get(utilsAction(action)).object();
            QCOMPARE(annotation(doc, u"sampleOutput"_s).toObject(), output);
        }
    }

    void dateReturnsTheCurrentTime()
    {
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const HttpResult r = invokeUtil(u"date"_s, {});
        const qint64 after = QDateTime::currentMSecsSinceEpoch();
        QCOMPARE(r.status, 200);
        const QJsonObject o = r.object();
        QCOMPARE(o.keys(), QStringList{u"date"_s});
        const QString text = o.value(u"date"_s).toString();
        QVERIFY2(QRegularExpression(u"^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$"_s)
                     .match(text)
                     .hasMatch(),
                 qPrintable(text));
        const qint64 when = QDateTime::fromString(text, Qt::ISODateWithMs).toMSecsSinceEpoch();
        // The action's clock is this machine's clock: the date lies within the request.
        QVERIFY2(when >= before - 1 && when <= after + 1, qPrintable(text));
    }

    void hosturlUsesTheEngineUrl()
    {
        const HttpResult web = invokeUtil(
            u"hosturl"_s, parse(R"({"web": true, "path": "utils/echo", "ext": ".json"})"));
        QCOMPARE(web.status, 200);
        QCOMPARE(
            web.object(),
            (QJsonObject{
                {u"url"_s, QString(m_engine.baseUrl() + u"/api/v1/web/guest/utils/echo.json"_s)}}));

        const HttpResult action = invokeUtil(u"hosturl"_s, parse(R"({"path": "hello"})"));
        QCOMPARE(action.status, 200);
        QCOMPARE(action.object(),
                 (QJsonObject{
                     {u"url"_s,
                      QString(m_engine.baseUrl() + u"/api/v1/namespaces/guest/actions/hello"_s)}}));
    }

    void namespaceIsTheCallersOne()
    {
        QCOMPARE(invokeUtil(u"namespace"_s, {}).object(),
                 (QJsonObject{{u"namespace"_s, u"guest"_s}}));
        const HttpResult system = m_engine.post(
            utilsAction(u"namespace"_s) + u"?blocking=true&result=true"_s, {}, systemKey);
        QCOMPARE(system.status, 200);
        QCOMPARE(system.object(), (QJsonObject{{u"namespace"_s, u"whisk.system"_s}}));
    }

    void activationLandsInTheCallersNamespace()
    {
        const HttpResult r
            = invokeUtil(u"echo"_s, QJsonObject{{u"payload"_s, u"where"_s}}, u"?blocking=true"_s);
        QCOMPARE(r.status, 200);
        const QJsonObject record = r.object();
        QCOMPARE(record.value(u"namespace"_s).toString(), u"guest"_s);
        QCOMPARE(record.value(u"subject"_s).toString(), u"guest"_s);
        QCOMPARE(record.value(u"name"_s).toString(), u"echo"_s);
        QCOMPARE(annotation(record, u"path"_s), QJsonValue(u"whisk.system/utils/echo"_s));
        QVERIFY(annotation(record, u"binding"_s).isUndefined());
        const QString id = record.value(u"activationId"_s).toString();
        HttpResult stored;
        for (int attempt = 0; attempt < 100; ++attempt) {
            stored = m_engine.get(activationPath(id));
            if (stored.status == 200)
                break;
            QTest::qWait(100);
        }
        QCOMPARE(stored.status, 200);
        QCOMPARE(stored.object().value(u"response"_s).toObject().value(u"result"_s).toObject(),
                 (QJsonObject{{u"payload"_s, u"where"_s}}));
        QCOMPARE(m_engine.get(activationPath(id), systemKey).status, 404);
    }

    void bindingToUtils()
    {
        const HttpResult put = m_engine.put(
            u"/api/v1/namespaces/_/packages/mine"_s,
            QJsonObject{{u"binding"_s,
                         QJsonObject{{u"namespace"_s, u"whisk.system"_s}, {u"name"_s, u"utils"_s}}},
                        {u"parameters"_s, QJsonArray{kv(u"fromBinding"_s, u"bound"_s)}}});
        QCOMPARE(put.status, 200);

        const HttpResult r
            = m_engine.post(u"/api/v1/namespaces/_/actions/mine/echo?blocking=true"_s,
                            QJsonObject{{u"payload"_s, u"hi"_s}});
        QCOMPARE(r.status, 200);
        const QJsonObject record = r.object();
        QCOMPARE(record.value(u"response"_s).toObject().value(u"result"_s).toObject(),
                 (QJsonObject{{u"payload"_s, u"hi"_s}, {u"fromBinding"_s, u"bound"_s}}));
        QCOMPARE(annotation(record, u"binding"_s), QJsonValue(u"guest/mine"_s));
        QCOMPARE(annotation(record, u"path"_s), QJsonValue(u"whisk.system/utils/echo"_s));
        QCOMPARE(record.value(u"namespace"_s).toString(), u"guest"_s);

        // The payload overrides the binding's parameter.
        const HttpResult over
            = m_engine.post(u"/api/v1/namespaces/_/actions/mine/echo?blocking=true&result=true"_s,
                            QJsonObject{{u"fromBinding"_s, u"payload"_s}});
        QCOMPARE(over.status, 200);
        QCOMPARE(over.object(), (QJsonObject{{u"fromBinding"_s, u"payload"_s}}));

        // GET on the binding lists the target's actions.
        const QJsonObject binding = m_engine.get(u"/api/v1/namespaces/_/packages/mine"_s).object();
        QCOMPARE(sortedNames(binding.value(u"actions"_s).toArray()), utilsActions);
    }

    void restartKeepsTheCatalogUnchanged()
    {
        const QJsonObject before = versions();
        QCOMPARE(before.value(u"utils"_s).toArray().at(0).toString(), u"0.0.1"_s);
        for (const QString &name : utilsActions)
            QVERIFY2(before.value(name).toArray().at(0).isString(), qPrintable(name));

        m_engine.stop();
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));

        const QJsonObject after = versions();
        QCOMPARE(after, before);
        QCOMPARE(
            sortedNames(
                m_engine.get(systemPackages + u"/utils"_s).object().value(u"actions"_s).toArray()),
            utilsActions);
        // And it still runs.
        const HttpResult r
            = invokeUtil(u"sort"_s, QJsonObject{{u"lines"_s, QJsonArray{u"b"_s, u"a"_s}}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object(),
                 (QJsonObject{{u"lines"_s, QJsonArray{u"a"_s, u"b"_s}}, {u"length"_s, 2}}));
    }
};

QTEST_GUILESS_MAIN(TestUtilsCatalog)
#include "tst_utilscatalog.moc"
