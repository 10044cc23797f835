// SPDX-License-Identifier: GPL-3.0-or-later
// Bad input in requests (PROTOCOL.md 0, 1.2, 1.3, 1.11 and the controller's texts from
// ErrorResponse.scala and the Pekko rejection handler): malformed and wrongly typed bodies,
// oversize code, parameters and payloads, invalid names, authentication and other namespaces.
// Each request gets the right status and an {error, code} body whose code is the X-Request-ID,
// the engine keeps answering, and nothing that was stored before is changed. cleanup() checks the
// last two after every test row. Bad HTTP (routes, methods, framing): tst_badhttp.cpp.
#include "badinputsupport.h"

#include <QTest>

using namespace Feedscope::Testing;

class TestBadInput : public QObject, private BadInputFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        seedAndSnapshot();
    }

    void cleanup()
    {
        const QString problem = damage();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    // ---- malformed JSON -----------------------------------------------------------------------

    void malformedJson_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("error");

        const QByteArray broken = R"({"exec": {"kind": "nodejs:20", "code": )";
        QTest::newRow("PUT action")
            << QByteArray("PUT") << guestPath(QStringLiteral("actions/new-a")) << broken
            << malformed;
        QTest::newRow("PUT existing action, overwrite")
            << QByteArray("PUT") << guestPath(QStringLiteral("actions/keep-a?overwrite=true"))
            << broken << malformed;
        QTest::newRow("PUT trigger")
            << QByteArray("PUT") << guestPath(QStringLiteral("triggers/new-t"))
            << QByteArray("{\"parameters\": [}") << malformed;
        QTest::newRow("PUT existing trigger, overwrite")
            << QByteArray("PUT") << guestPath(QStringLiteral("triggers/keep-t?overwrite=true"))
            << QByteArray("{'single': 'quotes'}") << malformed;
        QTest::newRow("PUT package")
            << QByteArray("PUT") << guestPath(QStringLiteral("packages/new-p"))
            << QByteArray("{\"publish\": tru}") << malformed;
        QTest::newRow("PUT rule") << QByteArray("PUT") << guestPath(QStringLiteral("rules/new-r"))
                                  << QByteArray("{\"trigger\": \"/_/keep-t\",,}") << malformed;
        QTest::newRow("POST fire")
            << QByteArray("POST") << guestPath(QStringLiteral("triggers/keep-t"))
            << QByteArray("{\"payload\": ") << malformed;
        QTest::newRow("POST invoke")
            << QByteArray("POST") << guestPath(QStringLiteral("actions/keep-a"))
            << QByteArray("not json at all") << malformed;
        QTest::newRow("POST rule status")
            << QByteArray("POST") << guestPath(QStringLiteral("rules/keep-r"))
            << QByteArray("{\"status\": inactive}") << malformed;
        QTest::newRow("array for action")
            << QByteArray("PUT") << guestPath(QStringLiteral("actions/new-a"))
            << QByteArray("[{\"exec\": {}}]") << malformed;
        QTest::newRow("string for trigger")
            << QByteArray("PUT") << guestPath(QStringLiteral("triggers/new-t"))
            << QByteArray("\"a trigger\"") << malformed;
        QTest::newRow("number for package")
            << QByteArray("PUT") << guestPath(QStringLiteral("packages/new-p")) << QByteArray("42")
            << malformed;
        QTest::newRow("array for fire payload")
            << QByteArray("POST") << guestPath(QStringLiteral("triggers/keep-t"))
            << QByteArray("[1, 2]") << malformed;
        QTest::newRow("string for invoke payload")
            << QByteArray("POST") << guestPath(QStringLiteral("actions/keep-a"))
            << QByteArray("\"x\"") << malformed;
    }

    void malformedJson()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QString, error);
        VERIFY_ERROR(m_engine.request(method, path, body), 400, error, Match::Prefix);
        // A new name stays free (cleanup() checks the existing ones and the counts).
        if (path.contains(QLatin1String("/new-")))
            QCOMPARE(m_engine.get(path).status, 404);
    }

    // ---- wrong types --------------------------------------------------------------------------

    void wrongTypes_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("error");
        QTest::addColumn<bool>("exact");

        const QString action = guestPath(QStringLiteral("actions/new-a"));
        const QString trigger = guestPath(QStringLiteral("triggers/new-t"));
        const QString package = guestPath(QStringLiteral("packages/new-p"));
        const QString rule = guestPath(QStringLiteral("rules/new-r"));
        const QByteArray exec = R"("exec": {"kind": "nodejs:20", "code": "function main(){}"})";

        QTest::newRow("exec a string")
            << action << QByteArray(R"({"exec": "function main(){}"})") << malformed << false;
        QTest::newRow("exec an array")
            << action << QByteArray(R"({"exec": []})") << malformed << false;
        QTest::newRow("exec.kind a number")
            << action << QByteArray(R"({"exec": {"kind": 20, "code": "x"}})")
            << malformed + QStringLiteral("'kind' must be a string defined in 'exec'") << true;
        QTest::newRow("exec.code missing")
            << action << QByteArray(R"({"exec": {"kind": "nodejs:20"}})")
            << malformed
                   + QStringLiteral("'code' must be a string defined in 'exec' for 'nodejs:20' "
                                    "actions")
            << true;
        QTest::newRow("exec.code a number")
            << action << QByteArray(R"({"exec": {"kind": "nodejs:20", "code": 7}})")
            << malformed
                   + QStringLiteral("'code' must be a string defined in 'exec' for 'nodejs:20' "
                                    "actions")
            << true;
        QTest::newRow("unknown kind")
            << action << QByteArray(R"({"exec": {"kind": "cobol:1", "code": "x"}})")
            << malformed + QStringLiteral("kind 'cobol:1' not in Set(") << false;
        QTest::newRow("sequence components not an array")
            << action << QByteArray(R"({"exec": {"kind": "sequence", "components": "/_/keep-a"}})")
            << malformed + QStringLiteral("'components' must be an array") << true;
        QTest::newRow("action parameters an object")
            << action << QByteArray("{" + exec + R"(, "parameters": {"a": 1}})")
            << malformed + QStringLiteral("parameters malformed!") << true;
        QTest::newRow("trigger parameters a string")
            << trigger << QByteArray(R"({"parameters": "a=1"})")
            << malformed + QStringLiteral("parameters malformed!") << true;
        QTest::newRow("package parameters a number")
            << package << QByteArray(R"({"parameters": 1})")
            << malformed + QStringLiteral("parameters malformed!") << true;
        QTest::newRow("parameter without key")
            << trigger << QByteArray(R"({"parameters": [{"value": 1}]})") << malformed << false;
        QTest::newRow("parameter key a number")
            << action << QByteArray("{" + exec + R"(, "parameters": [{"key": 1, "value": 1}]})")
            << malformed << false;
        QTest::newRow("parameter not an object")
            << package << QByteArray(R"({"parameters": [1]})") << malformed << false;
        QTest::newRow("action annotations a string")
            << action << QByteArray("{" + exec + R"(, "annotations": "web-export"})") << malformed
            << false;
        QTest::newRow("trigger annotations a string")
            << trigger << QByteArray(R"({"annotations": "feed"})") << malformed << false;
        QTest::newRow("action publish \"yes\"")
            << action << QByteArray("{" + exec + R"(, "publish": "yes"})") << malformed << false;
        QTest::newRow("package publish \"yes\"")
            << package << QByteArray(R"({"publish": "yes"})") << malformed << false;
        QTest::newRow("trigger publish 1")
            << trigger << QByteArray(R"({"publish": 1})") << malformed << false;
        QTest::newRow("limits.memory \"big\"")
            << action << QByteArray("{" + exec + R"(, "limits": {"memory": "big"}})") << malformed
            << false;
        QTest::newRow("limits.memory below range")
            << action << QByteArray("{" + exec + R"(, "limits": {"memory": 64}})") << malformed
            << false;
        QTest::newRow("limits.timeout above range")
            << action << QByteArray("{" + exec + R"(, "limits": {"timeout": 300001}})") << malformed
            << false;
        QTest::newRow("limits a string")
            << action << QByteArray("{" + exec + R"(, "limits": "small"})") << malformed << false;
        QTest::newRow("version not semver")
            << trigger << QByteArray(R"({"version": "one"})") << malformed << false;
        QTest::newRow("binding a string")
            << package << QByteArray(R"({"binding": "whisk.system/private-p"})") << malformed
            << false;
        QTest::newRow("rule trigger a number")
            << rule << QByteArray(R"({"trigger": 5, "action": "/_/keep-a"})") << malformed << false;
        QTest::newRow("rule action an object")
            << rule << QByteArray(R"({"trigger": "/_/keep-t", "action": {"name": "keep-a"}})")
            << malformed << false;
        // The same bad bodies against existing entities with overwrite=true must not touch them.
        QTest::newRow("overwrite action, kind a number")
            << guestPath(QStringLiteral("actions/keep-a?overwrite=true"))
            << QByteArray(R"({"exec": {"kind": 20, "code": "x"}})")
            << malformed + QStringLiteral("'kind' must be a string defined in 'exec'") << true;
        QTest::newRow("overwrite trigger, parameters an object")
            << guestPath(QStringLiteral("triggers/keep-t?overwrite=true"))
            << QByteArray(R"({"parameters": {"t": 3}})")
            << malformed + QStringLiteral("parameters malformed!") << true;
        QTest::newRow("overwrite rule, trigger a number")
            << guestPath(QStringLiteral("rules/keep-r?overwrite=true"))
            << QByteArray(R"({"trigger": 5})") << malformed << false;
    }

    void wrongTypes()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QString, error);
        QFETCH(bool, exact);
        VERIFY_ERROR(
            m_engine.request("PUT", path, body), 400, error, exact ? Match::Exact : Match::Prefix);
        if (path.contains(QLatin1String("/new-")))
            QCOMPARE(m_engine.get(path).status, 404);
    }

    void ruleStatusOfWrongValue()
    {
        // PROTOCOL.md 1.9: anything but "active"/"inactive" is a 400.
        for (const QByteArray &body : {QByteArray(R"({"status": "paused"})"),
                                       QByteArray(R"({"status": true})"),
                                       QByteArray("{}")}) {
            VERIFY_ERROR(m_engine.request("POST", guestPath(QStringLiteral("rules/keep-r")), body),
                         400,
                         malformed,
                         Match::Prefix);
        }
    }

    // ---- oversize (PROTOCOL.md 1.11) -----------------------------------------------------------

    void oversizeActionCode()
    {
        const QString code(maxCodeBytes + 1, u'x');
        const QString path = guestPath(QStringLiteral("actions/huge-a"));
        const HttpResult r = m_engine.put(path, nodeAction(code));
        VERIFY_ERROR(r,
                     413,
                     QStringLiteral("exec larger than allowed: %1 > %2 bytes.")
                         .arg(maxCodeBytes + 1)
                         .arg(maxCodeBytes),
                     Match::Exact);
        QCOMPARE(m_engine.get(path).status, 404);
    }

    void oversizeActionCodeAtTheLimitIsAccepted()
    {
        // The boundary itself: exactly 48 MB of code is allowed (the limit is "> allowed").
        const QString path = guestPath(QStringLiteral("actions/limit-a"));
        const HttpResult r = m_engine.put(path, nodeAction(QString(maxCodeBytes, u'x')));
        QCOMPARE(r.status, 200);
        QCOMPARE(m_engine.del(path).status, 200);
    }

    void oversizeParameters_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("field");
        QTest::addColumn<bool>("isAction");

        QTest::newRow("trigger parameters")
            << guestPath(QStringLiteral("triggers/big-t")) << QStringLiteral("parameters") << false;
        QTest::newRow("trigger annotations") << guestPath(QStringLiteral("triggers/big-t"))
                                             << QStringLiteral("annotations") << false;
        QTest::newRow("action parameters")
            << guestPath(QStringLiteral("actions/big-a")) << QStringLiteral("parameters") << true;
        QTest::newRow("package parameters")
            << guestPath(QStringLiteral("packages/big-p")) << QStringLiteral("parameters") << false;
        QTest::newRow("existing trigger parameters, overwrite")
            << guestPath(QStringLiteral("triggers/keep-t?overwrite=true"))
            << QStringLiteral("parameters") << false;
    }

    void oversizeParameters()
    {
        QFETCH(QString, path);
        QFETCH(QString, field);
        QFETCH(bool, isAction);
        QJsonObject body = isAction ? nodeAction() : QJsonObject();
        body.insert(field, keyValues({{QStringLiteral("big"), QString(maxPayloadBytes, u'v')}}));
        const HttpResult r = m_engine.put(path, body);
        VERIFY_ERROR(r, 413, field + QStringLiteral(" larger than allowed: "), Match::Prefix);
        // The controller measures the key/value pairs, the engine may count the JSON framing too:
        // the announced size is above the limit and the limit is exactly 1048576.
        static const QRegularExpression text(QStringLiteral("^\\w+ larger than allowed: (\\d+) > "
                                                            "1048576 bytes\\.$"));
        const QRegularExpressionMatch m = text.match(r.error());
        QVERIFY2(m.hasMatch(), qPrintable(r.error()));
        QVERIFY(m.captured(1).toLongLong() > maxPayloadBytes);
        if (path.contains(QLatin1String("/big-")))
            QCOMPARE(m_engine.get(path).status, 404);
    }

    void oversizePayload_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("fire") << guestPath(QStringLiteral("triggers/keep-t"));
        QTest::newRow("invoke") << guestPath(QStringLiteral("actions/keep-a"));
        QTest::newRow("blocking invoke")
            << guestPath(QStringLiteral("actions/keep-a?blocking=true"));
    }

    void oversizePayload()
    {
        QFETCH(QString, path);
        const QByteArray body = compact({{QStringLiteral("x"), QString(maxPayloadBytes, u'p')}});
        const HttpResult r = m_engine.request("POST", path, body);
        VERIFY_ERROR(r,
                     413,
                     QStringLiteral("Request larger than allowed: %1 > %2 bytes.")
                         .arg(body.size())
                         .arg(maxPayloadBytes),
                     Match::Exact);
        // cleanup() checks that no activation was recorded.
    }

    // ---- invalid names in the URL (PROTOCOL.md 0) ----------------------------------------------

    void invalidNames_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("error");

        const QString illegal
            = QStringLiteral("The name of the entity contains illegal characters.");
        const QString tooLong = QStringLiteral("Name segement longer than allowed: 300 > 256.");
        const QString badNs = QStringLiteral("The namespace contains illegal characters.");
        const QString longName(300, u'n');

        QTest::newRow("GET action bad$name")
            << QByteArray("GET") << guestPath(QStringLiteral("actions/bad$name")) << illegal;
        QTest::newRow("PUT action bad$name")
            << QByteArray("PUT") << guestPath(QStringLiteral("actions/bad$name")) << illegal;
        QTest::newRow("POST action bad$name")
            << QByteArray("POST") << guestPath(QStringLiteral("actions/bad$name")) << illegal;
        QTest::newRow("PUT action in package bad$pkg")
            << QByteArray("PUT") << guestPath(QStringLiteral("actions/bad$pkg/a")) << illegal;
        QTest::newRow("GET trigger -leading")
            << QByteArray("GET") << guestPath(QStringLiteral("triggers/-leading")) << illegal;
        QTest::newRow("PUT trigger -leading")
            << QByteArray("PUT") << guestPath(QStringLiteral("triggers/-leading")) << illegal;
        QTest::newRow("DELETE rule bad$name")
            << QByteArray("DELETE") << guestPath(QStringLiteral("rules/bad$name")) << illegal;
        QTest::newRow("PUT package trailing space")
            << QByteArray("PUT") << guestPath(QStringLiteral("packages/trailing%20")) << illegal;
        QTest::newRow("GET action 300 chars")
            << QByteArray("GET") << guestPath(QStringLiteral("actions/") + longName) << tooLong;
        QTest::newRow("PUT trigger 300 chars")
            << QByteArray("PUT") << guestPath(QStringLiteral("triggers/") + longName) << tooLong;
        QTest::newRow("PUT rule 300 chars")
            << QByteArray("PUT") << guestPath(QStringLiteral("rules/") + longName) << tooLong;
        QTest::newRow("namespace bad$ns list")
            << QByteArray("GET") << QStringLiteral("/api/v1/namespaces/bad$ns/actions") << badNs;
        QTest::newRow("namespace bad$ns PUT")
            << QByteArray("PUT") << QStringLiteral("/api/v1/namespaces/bad$ns/triggers/t") << badNs;
    }

    void invalidNames()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QString, error);
        const QByteArray body = method == "PUT" ? compact(nodeAction()) : QByteArray();
        VERIFY_ERROR(m_engine.request(method, path, body), 400, error, Match::Exact);
    }

    // ---- authentication (PROTOCOL.md 1.2) -------------------------------------------------------

    void missingAuth_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");

        QTest::newRow("list namespaces")
            << QByteArray("GET") << QStringLiteral("/api/v1/namespaces") << QByteArray();
        QTest::newRow("GET action")
            << QByteArray("GET") << guestPath(QStringLiteral("actions/keep-a")) << QByteArray();
        QTest::newRow("PUT action")
            << QByteArray("PUT") << guestPath(QStringLiteral("actions/new-a"))
            << compact(nodeAction());
        QTest::newRow("DELETE trigger")
            << QByteArray("DELETE") << guestPath(QStringLiteral("triggers/keep-t")) << QByteArray();
        QTest::newRow("fire") << QByteArray("POST") << guestPath(QStringLiteral("triggers/keep-t"))
                              << QByteArray("{}");
        QTest::newRow("list activations")
            << QByteArray("GET") << guestPath(QStringLiteral("activations")) << QByteArray();
    }

    void missingAuth()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        const HttpResult r = m_engine.request(method, path, body, {});
        VERIFY_ERROR(r, 401, authMissing, Match::Exact);
        QCOMPARE(r.header("WWW-Authenticate"), challenge);
    }

    void invalidAuth_data()
    {
        QTest::addColumn<QByteArray>("authorization");

        const QByteArray uuid = guestKey.left(guestKey.indexOf(':'));
        QTest::newRow("wrong key") << "Basic " + QByteArray(uuid + ":wrong").toBase64();
        QTest::newRow("unknown uuid")
            << "Basic "
                   + QByteArray("00000000-0000-0000-0000-000000000000" + guestKey.mid(uuid.size()))
                         .toBase64();
        QTest::newRow("system uuid, guest key")
            << "Basic "
                   + QByteArray(systemKey.left(systemKey.indexOf(':')) + guestKey.mid(uuid.size()))
                         .toBase64();
        QTest::newRow("not base64") << QByteArray("Basic !!!not*base64***");
        QTest::newRow("no colon") << "Basic " + QByteArray("justauser").toBase64();
        QTest::newRow("empty credentials") << QByteArray("Basic ");
        QTest::newRow("bearer") << QByteArray("Bearer x");
        QTest::newRow("raw key without scheme") << guestKey;
    }

    void invalidAuth()
    {
        QFETCH(QByteArray, authorization);
        const HttpResult r = m_engine.request("GET",
                                              guestPath(QStringLiteral("actions/keep-a")),
                                              {},
                                              {},
                                              {{"Authorization", authorization}});
        VERIFY_ERROR(r, 401, authInvalid, Match::Exact);
        QCOMPARE(r.header("WWW-Authenticate"), challenge);
        // Writes are refused the same way.
        VERIFY_ERROR(m_engine.request("PUT",
                                      guestPath(QStringLiteral("actions/new-a")),
                                      compact(nodeAction()),
                                      {},
                                      {{"Authorization", authorization}}),
                     401,
                     authInvalid,
                     Match::Exact);
    }

    // ---- another namespace's private entities (PROTOCOL.md 1.3, 403) ----------------------------

    void otherNamespacePrivate_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("resource");

        const QByteArray action = compact(nodeAction());
        struct Case
        {
            const char *collection;
            const char *name;
            QByteArray putBody;
            QByteArray postBody; // empty: no POST on this collection
        };
        const Case cases[] = {
            {"actions", "private-a", action, "{}"},
            {"actions", "missing-a", action, "{}"},
            {"triggers", "private-t", "{}", "{}"},
            {"rules",
             "private-r",
             R"({"trigger": "/whisk.system/private-t", "action": "/whisk.system/private-a"})",
             R"({"status": "inactive"})"},
            {"packages", "private-p", "{}", {}},
        };
        for (const Case &c : cases) {
            const QString rest = QLatin1String(c.collection) + u'/' + QLatin1String(c.name);
            const QString path = systemPath(rest);
            const QString resource = QStringLiteral("whisk.system/") + QLatin1String(c.name);
            const QByteArray tag = QByteArray(c.collection) + '/' + c.name;
            QTest::newRow(QByteArray("GET " + tag).constData())
                << QByteArray("GET") << path << QByteArray() << resource;
            QTest::newRow(QByteArray("PUT " + tag).constData())
                << QByteArray("PUT") << path << c.putBody << resource;
            QTest::newRow(QByteArray("PUT overwrite " + tag).constData())
                << QByteArray("PUT") << path + QStringLiteral("?overwrite=true") << c.putBody
                << resource;
            QTest::newRow(QByteArray("DELETE " + tag).constData())
                << QByteArray("DELETE") << path << QByteArray() << resource;
            if (!c.postBody.isEmpty()) {
                QTest::newRow(QByteArray("POST " + tag).constData())
                    << QByteArray("POST") << path << c.postBody << resource;
            }
        }
        QTest::newRow("GET packaged action")
            << QByteArray("GET") << systemPath(QStringLiteral("actions/private-p/x"))
            << QByteArray() << QStringLiteral("whisk.system/private-p/x");
        QTest::newRow("invoke packaged action")
            << QByteArray("POST") << systemPath(QStringLiteral("actions/private-p/x"))
            << QByteArray("{}") << QStringLiteral("whisk.system/private-p/x");
        for (const char *collection : {"actions", "triggers", "rules", "activations"}) {
            QTest::newRow(QByteArray(QByteArray("list ") + collection).constData())
                << QByteArray("GET") << systemPath(QLatin1String(collection)) << QByteArray()
                << QStringLiteral("whisk.system");
        }
    }

    void otherNamespacePrivate()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QString, resource);
        VERIFY_ERROR(m_engine.request(method, path, body),
                     403,
                     QStringLiteral("The supplied authentication is not authorized to access "
                                    "'%1'.")
                         .arg(resource),
                     Match::Exact);
    }

    void otherNamespacePackageListHidesPrivatePackages()
    {
        // Listing another namespace's packages is allowed but shows only published ones (1.4).
        const HttpResult r = m_engine.get(systemPath(QStringLiteral("packages")));
        QCOMPARE(r.status, 200);
        for (const QJsonValue &p : r.array())
            QVERIFY(p.toObject().value(QLatin1String("name")).toString() != u"private-p");
    }

    // ---- the end --------------------------------------------------------------------------------

    void storedEntitiesSurvivedEverything()
    {
        // cleanup() compared after every row; this makes the final state explicit in the log.
        const QString problem = damage();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(m_engine.get(guestPath(QStringLiteral("activations?count=true"))).object(),
                 QJsonObject({{QStringLiteral("activations"), 0}}));
    }
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "tst_badinput.moc"
